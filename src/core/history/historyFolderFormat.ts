/**
 * What the files in the history folder hold and how their text is read back: one
 * `<id>.json` per conversation and an `index.json` of summaries. Reading is strict (a file of
 * the wrong shape is treated as unreadable) because the store sets such files aside rather
 * than letting one bad file break the history list.
 */
import type { Conversation, ConversationSummary } from '../chat/conversation';
import { isConversation, isConversationSummary } from './conversationShape';

export const INDEX_FILE = 'index.json';
/**
 * Ids become file names (`<id>.json`), so only characters that cannot lead out of the
 * folder, and never the index's own name.
 */
export function isConversationId(id: string): boolean {
  return /^[A-Za-z0-9_-]{1,100}$/.test(id) && `${id}.json` !== INDEX_FILE;
}
/** Characters of the first question kept in a summary, enough to recognize a chat in the list. */
const PREVIEW_LENGTH = 120;

export interface IndexFile {
  version: 1;
  conversations: ConversationSummary[];
}

/** The index entry for a conversation: what the history list shows without opening its file. */
export function summarize(conversation: Conversation): ConversationSummary {
  const firstQuestion = conversation.turns.find((turn) => turn.role === 'user');
  const preview = firstQuestion?.role === 'user' ? firstQuestion.text.replace(/\s+/g, ' ').trim().slice(0, PREVIEW_LENGTH) : '';
  return {
    id: conversation.id,
    title: conversation.title,
    createdAt: conversation.createdAt,
    updatedAt: conversation.updatedAt,
    turnCount: conversation.turns.length,
    preview,
  };
}

export function parseConversation(text: string): Conversation | undefined {
  const value = parseJson(text);
  return isConversation(value) ? value : undefined;
}

/** The index, when every entry in it is a whole summary; one bad entry means rebuilding it. */
export function parseIndex(text: string): IndexFile | undefined {
  const value = parseJson(text) as Partial<IndexFile> | null | undefined;
  if (typeof value !== 'object' || value === null || value.version !== 1 || !Array.isArray(value.conversations)) return undefined;
  const wellFormed = value.conversations.every((summary: unknown) => isConversationSummary(summary) && isConversationId(summary.id));
  return wellFormed ? (value as IndexFile) : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
