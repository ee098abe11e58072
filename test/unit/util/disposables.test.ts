import assert from 'node:assert/strict';
import { Disposable, DisposableStore } from '../../../src/core/util/disposables';

function recorder(): { disposed: string[]; item(name: string): { dispose(): void } } {
  const disposed: string[] = [];
  return { disposed, item: (name) => ({ dispose: () => void disposed.push(name) }) };
}

describe('DisposableStore lets go of everything it holds', () => {
  it('disposes the newest first', () => {
    const { disposed, item } = recorder();
    const store = new DisposableStore();
    store.add(item('first'));
    store.add(item('second'));
    store.add(item('third'));
    store.dispose();
    assert.deepEqual(disposed, ['third', 'second', 'first']);
  });

  it('disposes each item once however often it is disposed', () => {
    const { disposed, item } = recorder();
    const store = new DisposableStore();
    store.add(item('only'));
    store.dispose();
    store.dispose();
    assert.deepEqual(disposed, ['only']);
    assert.equal(store.isDisposed, true);
  });

  it('keeps disposing after one item throws, then throws that error', () => {
    const { disposed, item } = recorder();
    const store = new DisposableStore();
    store.add(item('first'));
    store.add({ dispose: () => { throw new Error('watcher is gone'); } });
    store.add(item('third'));
    assert.throws(() => store.dispose(), /watcher is gone/);
    assert.deepEqual(disposed, ['third', 'first']);
  });

  it('reports every failure when several items throw', () => {
    const store = new DisposableStore();
    store.add({ dispose: () => { throw new Error('one'); } });
    store.add({ dispose: () => { throw new Error('two'); } });
    assert.throws(
      () => store.dispose(),
      (error: unknown) => error instanceof AggregateError && error.errors.map((item: Error) => item.message).join(',') === 'two,one',
    );
  });

  it('disposes at once what is added after it was disposed', () => {
    const { disposed, item } = recorder();
    const store = new DisposableStore();
    store.dispose();
    const late = store.add(item('late'));
    assert.deepEqual(disposed, ['late']);
    assert.equal(typeof late.dispose, 'function');
  });
});

describe('Disposable base class', () => {
  it('disposes what a subclass registered when it is disposed', () => {
    const { disposed, item } = recorder();
    class Owner extends Disposable {
      constructor() {
        super();
        this.register(item('subscription'));
        this.register(item('watcher'));
      }
    }
    const owner = new Owner();
    owner.dispose();
    owner.dispose();
    assert.deepEqual(disposed, ['watcher', 'subscription']);
  });
});
