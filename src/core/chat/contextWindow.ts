/**
 * Keeps a request within the model's context window, because servers cut an overlong prompt
 * silently (Ollama keeps only the end; others fail). The oldest earlier exchanges are left
 * out first; if the question itself is still too long, its middle is cut. Either way the
 * user is told what was left out.
 */
import type { ChatMessage } from '../api';
import { PatchbayError } from '../errors';

/** A deliberately generous estimate (about 3 characters per token) so a prompt is never too long. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3);
}

/** Per image: vision models take a few hundred tokens to a thousand or more; the estimate leans high. */
const IMAGE_TOKENS = 1_000;

/** Per message: the role and separators the chat template adds. */
const MESSAGE_OVERHEAD = 6;

export function messageTokens(message: ChatMessage): number {
  const calls = message.toolCalls?.reduce((sum, call) => sum + estimateTokens(call.name + call.arguments) + MESSAGE_OVERHEAD, 0) ?? 0;
  return estimateTokens(message.content) + MESSAGE_OVERHEAD + calls + (message.images?.length ?? 0) * IMAGE_TOKENS;
}

export interface WindowFit {
  messages: ChatMessage[];
  /** What was left out, in a sentence; undefined when everything fits. */
  note?: string;
  promptTokens: number;
}

export interface WindowLimits {
  /** The model's window in tokens. */
  windowTokens: number;
  /** Tokens kept free for the answer. */
  answerTokens: number;
  /** Tokens the offered tools' descriptions take. */
  toolTokens: number;
  modelName: string;
}

/**
 * `keepFrom` is the index of the first message that must be sent whole if at all possible:
 * the current question and everything after it (this answer's tool calls and results).
 */
export function fitToWindow(messages: readonly ChatMessage[], keepFrom: number, limits: WindowLimits): WindowFit {
  const budget = limits.windowTokens - limits.answerTokens - limits.toolTokens;
  const system = messages.filter((message, index) => message.role === 'system' && index < keepFrom);
  const earlier = messages.slice(0, keepFrom).filter((message) => message.role !== 'system');
  const kept = messages.slice(keepFrom);
  const total = (list: readonly ChatMessage[]) => list.reduce((sum, message) => sum + messageTokens(message), 0);
  const fixed = total(system) + total(kept);
  let history = earlier;
  let dropped = 0;
  let droppedTokens = 0;
  // Drop whole exchanges, oldest first, so no answer is left without its question.
  while (history.length > 0 && fixed + total(history) > budget) {
    const next = history.findIndex((message, index) => index > 0 && message.role === 'user');
    const cut = next === -1 ? history.length : next;
    droppedTokens += total(history.slice(0, cut));
    dropped += cut;
    history = history.slice(cut);
  }
  let result = [...system, ...history, ...kept];
  const notes: string[] = [];
  if (dropped > 0) {
    notes.push(`${dropped} earlier message${dropped === 1 ? ' was' : 's were'} left out (about ${droppedTokens.toLocaleString('en-US')} tokens)`);
  }
  let promptTokens = total(result);
  if (promptTokens > budget) {
    const shortened = shortenLongest(result, keepFrom - earlier.length + history.length, promptTokens - budget);
    if (!shortened) {
      throw new PatchbayError('bad-request', `The question is too long for ${limits.modelName}'s ${limits.windowTokens.toLocaleString('en-US')}-token window, even with the earlier messages left out.`, {
        hint: 'Remove some context chips, ask about a smaller selection, or pick a model with a larger window (or set its contextLength in config.yaml if the server under-reports it).',
        actions: ['selectModel', 'openConfig'],
      });
    }
    result = shortened.messages;
    notes.push(`the middle of a long message was cut (${shortened.removedCharacters.toLocaleString('en-US')} characters)`);
    promptTokens = total(result);
  }
  const fit: WindowFit = { messages: result, promptTokens };
  if (notes.length > 0) fit.note = `To fit ${limits.modelName}'s ${limits.windowTokens.toLocaleString('en-US')}-token window, ${notes.join(', and ')}.`;
  return fit;
}

/** Cuts the middle out of the longest message at or after `from` until `excessTokens` are gone. */
function shortenLongest(messages: ChatMessage[], from: number, excessTokens: number): { messages: ChatMessage[]; removedCharacters: number } | undefined {
  let longest = -1;
  for (let index = Math.max(0, from); index < messages.length; index++) {
    if (longest === -1 || (messages[index]?.content.length ?? 0) > (messages[longest]?.content.length ?? 0)) longest = index;
  }
  const message = messages[longest];
  if (!message) return undefined;
  const marker = '\n\n[… part of this message was left out to fit the model\'s window …]\n\n';
  const remove = excessTokens * 3 + marker.length + 16;
  if (remove >= message.content.length * 0.9) return undefined;
  const keep = message.content.length - remove;
  const head = Math.ceil(keep * 0.6);
  const content = `${message.content.slice(0, head)}${marker}${message.content.slice(message.content.length - (keep - head))}`;
  const copy = [...messages];
  copy[longest] = { ...message, content };
  return { messages: copy, removedCharacters: remove };
}
