/** The conversation model: plain data, saved as JSON and sent to the webview as is. */
import type { Problem } from '../errors';

export interface ModelRef {
  providerId: string;
  modelId: string;
}

/** Editor content that goes with a question (a selection, a file). */
export interface ContextAttachment {
  kind: 'selection' | 'file';
  /** e.g. `src/app.ts:10-24` */
  label: string;
  language?: string;
  text: string;
}

export interface UserTurn {
  id: string;
  role: 'user';
  /** As the user typed it, e.g. `/explain this`. */
  text: string;
  /** What the model was sent instead, when a prompt template expanded the text. */
  prompt?: string;
  attachments: ContextAttachment[];
  createdAt: number;
}

/**
 * `incomplete`: the server stopped early (cut, stalled, error mid-stream); the partial answer
 * is kept. `stopped`: the user pressed Stop. `failed`: nothing arrived.
 */
export type AnswerStatus = 'streaming' | 'complete' | 'stopped' | 'incomplete' | 'failed';

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
}

export type Turn = UserTurn | AssistantTurn;

export interface Conversation {
  id: string;
  title: string;
  turns: Turn[];
  createdAt: number;
  updatedAt: number;
}
