/**
 * What the page's first script (start.ts) hands to the chat's bundle (main.ts). The two are
 * separate scripts, so the hand-off is one property of the window, typed here for both.
 */

export interface EarlyStart {
  /** Enter was pressed in the input before the chat could send: send once a model is known. */
  readonly sendRequested: boolean;
  /** Stops the first script's own key handling: from now on the composer handles the input. */
  release(): void;
}

const scope = globalThis as { patchbayEarlyStart?: EarlyStart };

export function offerEarlyStart(early: EarlyStart): void {
  scope.patchbayEarlyStart = early;
}

/** The first script's state, once (undefined in a page without it, such as the render benchmark's). */
export function takeEarlyStart(): EarlyStart | undefined {
  const early = scope.patchbayEarlyStart;
  delete scope.patchbayEarlyStart;
  early?.release();
  return early;
}
