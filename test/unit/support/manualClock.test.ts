import assert from 'node:assert/strict';
import { realClock } from '../../../src/core/ports';
import { ManualClock } from '../../support/manualClock';

describe('the manual test clock', () => {
  it('runs the timers that fall due in order, each at its own time, and not cleared or later ones', () => {
    const clock = new ManualClock(1000);
    const ran: string[] = [];
    clock.setTimeout(() => ran.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => {
      ran.push(`a@${clock.now()}`);
      clock.setTimeout(() => ran.push(`c@${clock.now()}`), 5);
    }, 10);
    const cleared = clock.setTimeout(() => ran.push('cleared'), 15);
    clock.setTimeout(() => ran.push('later'), 31);
    clock.clearTimeout(cleared);
    clock.advance(30);
    assert.deepEqual(ran, ['a@1010', 'c@1015', 'b@1020']);
    assert.equal(clock.now(), 1030);
    assert.deepEqual(clock.pendingDelays(), [1]);
  });

  it('advances once the code under test waits on a timer', async () => {
    const clock = new ManualClock();
    const waited = new Promise<number>((resolve) => void Promise.resolve().then(() => clock.setTimeout(() => resolve(clock.now()), 200)));
    await clock.advanceWhenDue(200);
    assert.equal(await waited, 200);
  });

  it('the real clock runs and clears real timers', async () => {
    let cleared = false;
    realClock.clearTimeout(realClock.setTimeout(() => (cleared = true), 1));
    await new Promise<void>((resolve) => realClock.setTimeout(resolve, 5));
    assert.equal(cleared, false);
  });
});
