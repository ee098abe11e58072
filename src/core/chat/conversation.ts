/** The conversation model: plain data, saved as JSON and sent to the webview as is. */
import type { Problem } from '../errors';
import type { ModelRef } from '../providers/modelRef';
import type { ToolCallView, ToolsOffered } from '../tools/toolCallView';

export type { ModelRef } from '../providers/modelRef';
export type { ToolCallStatus, ToolCallView, ToolOfferMode, ToolsOffered } from '../tools/toolCallView';
export { TOOL_CALL_STATUSES, TOOL_OFFER_MODES } from '../tools/toolCallView';

/** What editor content can go with a question. */
export const CONTEXT_KINDS = ['selection', 'file', 'problems', 'editors', 'resource', 'plugin', 'image'] as const;
export type ContextKind = typeof CONTEXT_KINDS[number];

/** Editor content that goes with a question (a selection, a file). */
export interface ContextAttachment {
  kind: ContextKind;
  /** e.g. `src/app.ts:10-24` */
  label: string;
  language?: string;
  text: string;
}

/** The image formats a question may carry (checked by their bytes, see chatImages.ts). */
export const IMAGE_MIME_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type ImageMimeType = typeof IMAGE_MIME_TYPES[number];
/** Largest image a question may carry, after reading it. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** An image that went with a question. Its bytes are not here: they are in a file beside the conversation, named by `sha256`. */
export interface ImageRef {
  sha256: string;
  mimeType: ImageMimeType;
  /** The file name it came with (`pasted image` when it had none). */
  name: string;
  /** Its size in bytes. */
  size: number;
}

export interface UserTurn {
  id: string;
  role: 'user';
  /** As the user typed it, e.g. `/explain this`. */
  text: string;
  /** What the model was sent instead, when a prompt template expanded the text. */
  prompt?: string;
  attachments: ContextAttachment[];
  /** Images that went with the question (absent: none). */
  images?: ImageRef[];
  createdAt: number;
}

/**
 * `incomplete`: the server stopped early (cut, stalled, error mid-stream); the partial answer
 * is kept. `stopped`: the user pressed Stop. `failed`: nothing arrived.
 */
export const ANSWER_STATUSES = ['streaming', 'complete', 'stopped', 'incomplete', 'failed'] as const;
export type AnswerStatus = typeof ANSWER_STATUSES[number];

export interface UsageFigures {
  inputTokens?: number;
  outputTokens?: number;
}

export interface AssistantTurn {
  id: string;
  role: 'assistant';
  content: string;
  reasoning: string;
  status: AnswerStatus;
  /** Absent when no model was selected. */
  model?: ModelRef & { label: string };
  createdAt: number;
  finishedAt?: number;
  problem?: Problem;
  usage?: UsageFigures;
  finishReason?: string;
  /** The model declined to answer (OpenAI's `refusal`): shown apart from the answer, marked as a refusal. */
  refusal?: string;
  toolCalls?: ToolCallView[];
  toolsOffered?: ToolsOffered;
  /** Speed of the answer, measured by Patchbay. */
  stats?: AnswerStats;
  /** What was left out so the conversation fits the model's window. */
  contextNote?: string;
  /** The sources plugins cited while answering (shown after the answer as "Sources"). */
  citations?: AnswerSource[];
}

/** A source a plugin cited for an answer, checked and cut to size (see answerEmitter.ts). */
export interface AnswerSource {
  title: string;
  /** Only `http:` or `https:`. */
  url?: string;
  snippet?: string;
}

export interface AnswerStats {
  /** From sending the request to the first streamed text or reasoning. */
  firstTokenMs?: number;
  /** Output tokens per second of streaming (from the server's count when it gives one). */
  tokensPerSecond?: number;
}

export type Turn = UserTurn | AssistantTurn;

export interface Conversation {
  id: string;
  title: string;
  turns: Turn[];
  createdAt: number;
  updatedAt: number;
  /** Tools and tool plugins turned off for this conversation (src/core/tools/toolToggles.ts); absent: all on. */
  toolsOff?: string[];
}

/** A conversation as the history list shows it. */
export interface ConversationSummary {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  /** Questions and answers in it. */
  turnCount: number;
  /** The start of its first question. */
  preview: string;
}
