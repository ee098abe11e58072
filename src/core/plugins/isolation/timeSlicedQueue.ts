/**
 * Handles queued items in order, at most a few milliseconds' worth per turn of the event
 * loop. A plugin's worker may send thousands of registrations at once (an OpenAPI spec with a
 * thousand operations), which arrive in one burst of messages; handled as they arrive they
 * would block the extension host for as long as they all take, which isolation is there to
 * prevent. Within its budget an item is handled at once, so a plugin's few registrations
 * wait for nothing.
 */
export interface TimeSlicedQueueOptions {
  /** How long one turn's slice may run before the rest waits for the next turn. */
  budgetMs?: number;
  now?: () => number;
  /** Runs `next` on the next turn of the event loop (setImmediate: after timers and I/O). */
  later?: (next: () => void) => void;
}

export class TimeSlicedQueue<T> {
  private items: T[] = [];
  private next = 0;
  /** When this turn's slice began; undefined when no slice is open. */
  private sliceStarted: number | undefined;
  private readonly budgetMs: number;
  private readonly now: () => number;
  private readonly later: (next: () => void) => void;

  constructor(
    private readonly handle: (item: T) => void,
    options: TimeSlicedQueueOptions = {},
  ) {
    this.budgetMs = options.budgetMs ?? 8;
    this.now = options.now ?? (() => performance.now());
    this.later = options.later ?? ((next) => void setImmediate(next));
  }

  push(item: T): void {
    this.items.push(item);
    if (this.sliceStarted === undefined) this.openSlice();
    this.drain();
  }

  get pending(): number {
    return this.items.length - this.next;
  }

  /** Forgets what has not been handled (the worker stopped; its registrations mean nothing now). */
  clear(): void {
    this.items = [];
    this.next = 0;
  }

  private openSlice(): void {
    this.sliceStarted = this.now();
    this.later(() => this.nextTurn());
  }

  private nextTurn(): void {
    this.sliceStarted = undefined;
    if (this.pending === 0) return;
    this.openSlice();
    this.drain();
  }

  private drain(): void {
    while (this.next < this.items.length) {
      if (this.now() - (this.sliceStarted ?? 0) >= this.budgetMs) return;
      const item = this.items[this.next++] as T;
      this.handle(item);
    }
    this.items = [];
    this.next = 0;
  }
}
