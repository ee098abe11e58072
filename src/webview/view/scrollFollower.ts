/**
 * Keeps the transcript scrolled to the newest text while an answer streams, but only while the
 * user is at (or near) the bottom: whoever scrolled up to read stays where they are until they
 * scroll back down.
 */
const NEAR_BOTTOM_PX = 48;

export class ScrollFollower {
  private following = true;
  /**
   * Where the follower's own last scroll left the view. Its scroll event comes a frame later,
   * when the text may have grown already (blocks laid out for the first time): that event is no
   * sign that the user scrolled away.
   */
  private ownScrollTop: number | undefined;

  constructor(private readonly scroller: HTMLElement) {
    scroller.addEventListener('scroll', () => {
      if (this.scroller.scrollTop === this.ownScrollTop) return;
      this.ownScrollTop = undefined;
      this.following = this.distanceFromBottom() <= NEAR_BOTTOM_PX;
    }, { passive: true });
    // A wheel turn upwards is a clear wish to read back, even before the threshold is passed.
    scroller.addEventListener('wheel', (event) => {
      if (event.deltaY < 0) this.following = false;
    }, { passive: true });
  }

  /** After the user sends a message: show its answer as it arrives. */
  follow(): void {
    this.following = true;
  }

  /**
   * The view was moved on purpose (earlier turns went in above and the reader was kept in
   * place): follow from where it is now, rather than scroll it to the bottom.
   */
  recheck(): void {
    this.following = this.distanceFromBottom() <= NEAR_BOTTOM_PX;
  }

  /** Call after each render. */
  keepUp(): void {
    if (this.following && this.distanceFromBottom() > 1) {
      this.scroller.scrollTop = this.scroller.scrollHeight;
      this.ownScrollTop = this.scroller.scrollTop;
    }
  }

  private distanceFromBottom(): number {
    return this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight;
  }
}
