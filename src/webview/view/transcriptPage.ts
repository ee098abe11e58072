/**
 * Bookkeeping of a conversation shown a page at a time: the transcript holds only the latest
 * turns, and earlier ones come from the host on request. Pure, unit-tested in Node.
 */
import type { Turn } from '../../protocol/messages';
import { formatCount } from './numberText';

/** The accessible name of the button at the top of a paged conversation (tests find it by it). */
export const SHOW_EARLIER_LABEL = 'Show Earlier Messages';

/** The button's visible text: how many turns are not shown yet, or that they are on their way. */
export function earlierButtonText(earlier: number, loading: boolean): string {
  if (loading) return 'Loading earlier messages…';
  const count = Math.max(0, Math.round(earlier));
  return count === 1 ? 'Show 1 earlier message' : `Show ${formatCount(count)} earlier messages`;
}

/** How many earlier turns there are, from a count the host sent (never negative, whole). */
export function earlierCount(raw: number): number {
  return Number.isFinite(raw) && raw > 0 ? Math.floor(raw) : 0;
}

/**
 * Which of the turns the host sent to go before the shown ones are new: one shown already (a
 * repeated answer, or one that arrived meanwhile) or repeated within the batch is left out.
 */
export function turnsToPrepend(turns: readonly Turn[], isShown: (turnId: string) => boolean): Turn[] {
  const seen = new Set<string>();
  return turns.filter((turn) => {
    if (isShown(turn.id) || seen.has(turn.id)) return false;
    seen.add(turn.id);
    return true;
  });
}

/**
 * The scroll offset that keeps what the user was looking at in place after content was added
 * above it: the anchor (the first turn shown before) was at `anchorTopBefore` on screen and the
 * new content pushed it to `anchorTopAfter`; the view follows it by the difference.
 */
export function scrollTopAfterPrepend(scrollTop: number, anchorTopBefore: number, anchorTopAfter: number): number {
  return Math.max(0, scrollTop + (anchorTopAfter - anchorTopBefore));
}
