/**
 * Letting go of many things at once. An owner adds what it subscribes to or creates and
 * disposes the lot in one call: the newest first (it may depend on the older ones), each
 * once, and one that throws does not keep the others alive. Core and host both use it:
 * `vscode.Disposable` has the same shape.
 */
export interface DisposableLike {
  dispose(): unknown;
}

export class DisposableStore implements DisposableLike {
  private items: DisposableLike[] = [];
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Keeps the item until the store is disposed; a store already disposed disposes it at once. */
  add<T extends DisposableLike>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }

  /** Disposes every item, newest first; the failures, if any, are thrown together at the end. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const items = this.items.reverse();
    this.items = [];
    const failures: unknown[] = [];
    for (const item of items) {
      try {
        item.dispose();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} of ${items.length} disposables failed to dispose`);
  }
}

/** A base for classes whose cleanup is the things they registered. */
export abstract class Disposable implements DisposableLike {
  private readonly owned = new DisposableStore();

  dispose(): void {
    this.owned.dispose();
  }

  protected register<T extends DisposableLike>(item: T): T {
    return this.owned.add(item);
  }
}
