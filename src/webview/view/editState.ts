/**
 * "Edit and resend" of an earlier question, as state transitions without DOM so they are
 * unit-tested in Node. While editing, the input holds the question's text; the draft that was
 * in the input before is kept aside and comes back when editing ends, however it ends.
 */
import type { WebviewToHost } from '../../protocol/messages';
import { outgoingText } from './composerKeys';

export interface EditState {
  /** The question being edited. */
  turnId: string;
  /** What the input held before editing began. */
  draftBefore: string;
}

/**
 * Starts editing `turnId`. Switching from one question to another keeps the draft from before
 * the first edit: the text of the question left is not a draft of the user's.
 */
export function startEditing(current: EditState | undefined, turnId: string, input: string): EditState {
  return { turnId, draftBefore: current === undefined ? input : current.draftBefore };
}

/** The input once editing is cancelled (Escape, Cancel Edit, or the question went away). */
export function cancelEditing(state: EditState): { input: string } {
  return { input: state.draftBefore };
}

/**
 * What Enter sends while editing, and what the input holds afterwards; undefined when the text
 * is empty (nothing is sent and editing goes on).
 */
export function resendEdited(state: EditState, input: string): { message: WebviewToHost; input: string } | undefined {
  const text = outgoingText(input);
  if (text === undefined) return undefined;
  return { message: { type: 'editAndResend', turnId: state.turnId, text }, input: state.draftBefore };
}

/** Whether editing must end because the question left the conversation. */
export function editedTurnRemoved(state: EditState | undefined, removedIds: readonly string[]): boolean {
  return state !== undefined && removedIds.includes(state.turnId);
}
