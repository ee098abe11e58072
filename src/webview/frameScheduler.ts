/**
 * Runs the render at most once per animation frame, however many messages arrive in between:
 * a fast server sends hundreds of deltas a second and each must not cost a layout. A timer backs
 * up the frame request, since frames stop while the panel is hidden or the window is occluded.
 */
const FALLBACK_DELAY_MS = 250;

export class FrameScheduler {
  private frame: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly work: () => void) {}

  request(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(this.run);
    this.timer = setTimeout(this.run, FALLBACK_DELAY_MS);
  }

  private readonly run = (): void => {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.frame = undefined;
    this.timer = undefined;
    try {
      this.work();
    } catch (error) {
      console.error('Patchbay: render failed', error);
    }
  };
}
