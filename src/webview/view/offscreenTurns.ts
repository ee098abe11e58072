/**
 * Which answers are far off screen, so their DOM can be dropped and only their text kept
 * (issue 17: a long conversation's webview kept ~2.4 MB per long answer, mostly the highlighter's
 * spans, and content-visibility frees none of it). One IntersectionObserver watches every turn
 * with a margin of two transcript heights above and below what is shown: a turn counts as far
 * only beyond it, so an answer is rendered again well before it scrolls into view.
 *
 * Webviews have no find-in-page, so dropped text is not missed there; what a user could miss is
 * kept: an answer holding keyboard focus or part of a selection is left alone.
 */

/** How far beyond the visible part of the transcript a turn still counts as near. */
const NEAR_MARGIN = '200% 0px';

/** What to do with an answer's DOM now. */
export type ResidencyStep = 'park' | 'restore' | 'stay';

export interface TurnResidency {
  /** Within the margin around what the transcript shows. */
  near: boolean;
  /** Its DOM was dropped. */
  parked: boolean;
  /** Finished, with nothing left to render. */
  settled: boolean;
  /** Holds keyboard focus or part of the user's selection. */
  inUse: () => boolean;
}

/** Pure: parks a settled answer that went far away and is not in use, restores one that came near. */
export function residencyStep(turn: TurnResidency): ResidencyStep {
  if (turn.parked) return turn.near ? 'restore' : 'stay';
  return !turn.near && turn.settled && !turn.inUse() ? 'park' : 'stay';
}

export class OffscreenTurns {
  private readonly far = new Set<Element>();
  private readonly observer: IntersectionObserver;

  /** `onChange` runs when turns went far or came near (the transcript renders then). */
  constructor(root: HTMLElement, onChange: () => void) {
    this.observer = new IntersectionObserver((entries) => {
      let changed = false;
      for (const entry of entries) {
        // A hidden panel has no visible part: nothing is far from it.
        if (entry.rootBounds === null || entry.rootBounds.height === 0) continue;
        const wasFar = this.far.has(entry.target);
        if (entry.isIntersecting) this.far.delete(entry.target);
        else this.far.add(entry.target);
        changed ||= wasFar !== this.far.has(entry.target);
      }
      if (changed) onChange();
    }, { root, rootMargin: NEAR_MARGIN });
  }

  watch(element: Element): void {
    this.observer.observe(element);
  }

  /** The turn left the page: no reference to it stays behind. */
  unwatch(element: Element): void {
    this.observer.unobserve(element);
    this.far.delete(element);
  }

  unwatchAll(): void {
    this.observer.disconnect();
    this.far.clear();
  }

  isFar(element: Element): boolean {
    return this.far.has(element);
  }
}
