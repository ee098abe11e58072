/**
 * Decides when a streaming answer's new text may go to the DOM. Local servers send a token or
 * two per frame for minutes; applying each one costs a frame's style, layout and paint, which
 * dwarfs the text itself. Updates are therefore applied at most once per `intervalMs` (a reader
 * cannot tell 20 updates a second from 60), and an expensive update waits `costFactor` times its
 * own cost afterwards, so an unusually long block can never take more than its share of the
 * main thread. Pure timing logic, unit-tested in Node.
 */
export class UpdatePacer {
  private nextAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs: number,
    private readonly costFactor: number,
  ) {}

  /** Whether an update may be applied at `now` (performance.now() time). */
  isDue(now: number): boolean {
    return now >= this.nextAt;
  }

  /** An update ran from `startedAt` to `finishedAt`. */
  applied(startedAt: number, finishedAt: number): void {
    this.nextAt = Math.max(startedAt + this.intervalMs, finishedAt + (finishedAt - startedAt) * this.costFactor);
  }

  /** The next update goes through at once (new text, or the end of the answer). */
  reset(): void {
    this.nextAt = Number.NEGATIVE_INFINITY;
  }
}
