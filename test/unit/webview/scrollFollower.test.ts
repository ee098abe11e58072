import assert from 'node:assert/strict';
import { ScrollFollower } from '../../../src/webview/view/scrollFollower';

/** The parts of a scrolling element the follower uses; scroll events are delivered when the test says. */
class FakeScroller {
  clientHeight = 700;
  scrollHeight = 700;
  private top = 0;
  private readonly listeners = new Map<string, Array<(event: { deltaY?: number }) => void>>();

  get scrollTop(): number {
    return this.top;
  }

  set scrollTop(value: number) {
    this.top = Math.max(0, Math.min(value, this.scrollHeight - this.clientHeight));
  }

  addEventListener(type: string, listener: (event: { deltaY?: number }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  dispatch(type: 'scroll' | 'wheel', event: { deltaY?: number } = {}): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }

  get distanceFromBottom(): number {
    return this.scrollHeight - this.top - this.clientHeight;
  }
}

function follower(): { scroller: FakeScroller; follower: ScrollFollower } {
  const scroller = new FakeScroller();
  return { scroller, follower: new ScrollFollower(scroller as unknown as HTMLElement) };
}

describe('ScrollFollower', () => {
  it('keeps following when the content grew between its own scroll and the scroll event', () => {
    const { scroller, follower: view } = follower();
    scroller.scrollHeight = 3000;
    view.keepUp();
    // Blocks laid out for the first time after the scroll (content-visibility) make the text taller
    // before the browser delivers the scroll event of the follower's own scroll.
    scroller.scrollHeight = 3500;
    scroller.dispatch('scroll');
    view.keepUp();
    assert.equal(scroller.distanceFromBottom, 0);
  });

  it('stops following when the user scrolls up', () => {
    const { scroller, follower: view } = follower();
    scroller.scrollHeight = 3000;
    view.keepUp();
    scroller.scrollTop = 1000;
    scroller.dispatch('scroll');
    scroller.scrollHeight = 3500;
    view.keepUp();
    assert.equal(scroller.scrollTop, 1000);
  });

  it('stops following at a wheel turn upwards, and follows again once the user is back at the bottom', () => {
    const { scroller, follower: view } = follower();
    scroller.scrollHeight = 3000;
    view.keepUp();
    scroller.dispatch('wheel', { deltaY: -40 });
    scroller.scrollHeight = 3200;
    view.keepUp();
    assert.equal(scroller.scrollTop, 2300);
    scroller.scrollTop = 2500;
    scroller.dispatch('scroll');
    scroller.scrollHeight = 3400;
    view.keepUp();
    assert.equal(scroller.distanceFromBottom, 0);
  });
});
