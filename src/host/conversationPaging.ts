/**
 * A long conversation reaches each webview a page at a time: opening it sends only the
 * latest turns, and earlier pages follow when the user asks. This keeps opening a
 * 500-message conversation as quick as opening a short one.
 */
import type { Conversation, Turn } from '../core/chat/conversation';
import type { ConversationPage } from '../protocol/messages';

export const PAGE_SIZE = 20;

export function latestPage(conversation: Conversation): { page: ConversationPage; oldestShown: string | undefined } {
  const start = Math.max(0, conversation.turns.length - PAGE_SIZE);
  const turns = conversation.turns.slice(start);
  return { page: { conversation: { ...conversation, turns }, earlier: start }, oldestShown: turns[0]?.id };
}

/** The page before the oldest turn a webview shows, and how many remain before it. */
export function pageBefore(conversation: Conversation, oldestShown: string | undefined): { turns: Turn[]; earlier: number } {
  const index = oldestShown === undefined ? conversation.turns.length : conversation.turns.findIndex((turn) => turn.id === oldestShown);
  if (index <= 0) return { turns: [], earlier: 0 };
  const start = Math.max(0, index - PAGE_SIZE);
  return { turns: conversation.turns.slice(start, index), earlier: start };
}
