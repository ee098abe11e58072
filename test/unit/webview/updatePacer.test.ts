import assert from 'node:assert/strict';
import { UpdatePacer } from '../../../src/webview/render/updatePacer';

describe('UpdatePacer', () => {
  it('lets the first update through at once', () => {
    const pacer = new UpdatePacer(50, 3);
    assert.equal(pacer.isDue(1000), true);
  });

  it('spaces cheap updates a fixed interval apart, counted from the start of the last one', () => {
    const pacer = new UpdatePacer(50, 3);
    pacer.applied(1000, 1002);
    assert.deepEqual([1020, 1049.9, 1050, 1080].map((now) => pacer.isDue(now)), [false, false, true, true]);
  });

  it('waits a multiple of an expensive update\'s cost after it, so it takes a bounded share of the time', () => {
    const pacer = new UpdatePacer(50, 3);
    pacer.applied(1000, 1030);
    // 30 ms of work: the next may start 90 ms after it ended, not 50 ms after it began.
    assert.deepEqual([1050, 1119, 1120].map((now) => pacer.isDue(now)), [false, false, true]);
  });

  it('after reset, the next update goes through at once', () => {
    const pacer = new UpdatePacer(50, 3);
    pacer.applied(1000, 1001);
    pacer.reset();
    assert.equal(pacer.isDue(1010), true);
  });
});
