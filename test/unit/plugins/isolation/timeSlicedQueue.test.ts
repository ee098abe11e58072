import assert from 'node:assert/strict';
import { TimeSlicedQueue } from '../../../../src/core/plugins/isolation/timeSlicedQueue';

/** A queue whose handler "takes" `costMs` of a manual clock per item, and whose turns run when the test says. */
function slicedQueue(costMs: number, budgetMs = 8) {
  let clock = 0;
  const turns: (() => void)[] = [];
  const handled: number[] = [];
  const queue = new TimeSlicedQueue<number>(
    (item) => {
      if (item < 0) throw new Error(`bad item ${item}`);
      handled.push(item);
      clock += costMs;
    },
    { budgetMs, now: () => clock, later: (next) => turns.push(next) },
  );
  const nextTurn = (): void => {
    clock += 1;
    turns.shift()?.();
  };
  return { queue, handled, turns, nextTurn };
}

describe('TimeSlicedQueue: a burst of registrations is handled in slices, in order', () => {
  it('handles items at once while the slice has time, and the rest on later turns, in order', () => {
    const { queue, handled, nextTurn } = slicedQueue(3);
    for (let item = 0; item < 10; item++) queue.push(item);
    assert.deepEqual(handled, [0, 1, 2], 'three items of 3 ms fill an 8 ms slice');
    assert.equal(queue.pending, 7);
    nextTurn();
    assert.deepEqual(handled, [0, 1, 2, 3, 4, 5]);
    nextTurn();
    nextTurn();
    assert.deepEqual(handled, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(queue.pending, 0);
  });

  it('an item pushed while others wait goes after them, never ahead', () => {
    const { queue, handled, nextTurn } = slicedQueue(5);
    queue.push(1);
    queue.push(2);
    queue.push(3);
    queue.push(4);
    assert.deepEqual(handled, [1, 2]);
    nextTurn();
    assert.deepEqual(handled, [1, 2, 3, 4]);
  });

  it('a quiet queue handles each item at once and schedules nothing after its turn ends', () => {
    const { queue, handled, turns, nextTurn } = slicedQueue(0.1);
    queue.push(1);
    assert.deepEqual(handled, [1]);
    nextTurn();
    assert.equal(turns.length, 0, 'no turn is scheduled while nothing waits');
    queue.push(2);
    assert.deepEqual(handled, [1, 2]);
  });

  it('clear() drops what waits; a handler that throws loses only its own item', () => {
    const { queue, handled, nextTurn } = slicedQueue(5);
    queue.push(1);
    queue.push(2);
    queue.push(3);
    queue.clear();
    nextTurn();
    assert.deepEqual(handled, [1, 2]);
    assert.throws(() => queue.push(-1), /bad item -1/);
    queue.push(4);
    nextTurn();
    assert.deepEqual(handled, [1, 2, 4]);
  });
});
