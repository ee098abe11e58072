/** What a chat session needs from around it, and what it tells its listeners. */
import type { GenerationOptions } from '../api';
import type { Problem } from '../errors';
import type { Clock } from '../ports';
import type { ModelRef } from '../providers/modelRef';
import type { ResolvedModel } from '../providers/resolvedModel';
import type { ToolSession } from '../tools/toolSession';
import type { StreamRedaction } from '../util/redactor';
import type { EmitsForPlugins } from '../plugins/answerEmitter';
import type { ImageFile } from './chatImages';
import type { AnswerSource, Conversation, ImageRef, ToolCallView, ToolsOffered, Turn } from './conversation';
import type { FilterChain } from './filterChain';
import type { RateLimitPolicy } from './streamAnswer';

export interface SessionSettings {
  generation: GenerationOptions;
  systemPrompt?: string;
  idleTimeoutMs: number;
}

export interface ChatSessionDeps {
  /** Throws a PatchbayError when there is no model or its provider is not available. */
  resolveModel(model: ModelRef | undefined): Promise<ResolvedModel>;
  settings(): SessionSettings;
  save(conversation: Conversation): void;
  newId(): string;
  /** Turn times, and what the idle timeout, rate-limit waits and save interval wait on. */
  clock: Clock;
  rateLimit?: RateLimitPolicy;
  /** How often a streaming answer is saved, so a reload mid-answer keeps most of it. */
  saveIntervalMs?: number;
  /** The plugins' filters for one answer; their calls may emit a status line and sources through `emits`. */
  filters?(emits?: EmitsForPlugins): FilterChain;
  /**
   * What the model is sent for what the user typed (a prompt template's expansion), and the
   * model the template asks for, if any.
   */
  expandPrompt?(text: string): Promise<{ prompt: string; model?: ModelRef } | undefined>;
  /** The provider's plugin code itself failed (not its server). */
  onPluginBug?(pluginId: string, error: unknown): void;
  /** The tools to offer in one answer, if any. */
  tools?(context: { modelId: string; model?: ModelRef; question: string; emits?: EmitsForPlugins; maxToolTokens?: number }): ToolSession | undefined;
  /** Something a plugin emitted during an answer was dropped (too much, wrong shape): for the log. */
  warnPlugin?(pluginId: string, message: string): void;
  /**
   * Whether the model reads images: `false` refuses a question with images before anything is
   * sent; `true` or undefined (not known) sends them.
   */
  acceptsImages?(model: ModelRef | undefined): boolean | undefined;
  /** Where the conversations' images are kept; without it, only in memory while the conversation is open. */
  images?: ConversationImagePort;
  /** The model's window and the room to keep for its answer, when known. */
  contextLimits?(model: ModelRef | undefined, modelId: string): { windowTokens: number; answerTokens: number } | undefined;
  /** Takes secrets out of what is shown and saved: a server may echo the key in its error. */
  redact?: {
    problem(problem: Problem): Problem;
    toolCall(view: ToolCallView): ToolCallView;
    /** For an answer's streamed text and reasoning: a server may echo a key into the answer itself. */
    stream?(): StreamRedaction;
    /** For what plugins emit during an answer (status lines, sources). */
    text?(text: string): string;
  };
}

export interface ConversationImagePort {
  save(conversationId: string, image: ImageFile): Promise<void>;
  /** The image's bytes, base64; undefined when they cannot be read. */
  load(conversationId: string, image: ImageRef): Promise<string | undefined>;
}

export type SessionEvent =
  | { type: 'reset'; conversation: Conversation }
  | { type: 'turnAdded'; turn: Turn }
  /** Streamed text to append (the host merges several of one frame into one). */
  | { type: 'turnDelta'; turnId: string; content?: string; reasoning?: string }
  /** Everything streamed as answer so far was reasoning (a `</think>` without `<think>`). */
  | { type: 'turnReclassified'; turnId: string }
  /** The turn's final (or changed) state: status, problem, usage. Replaces the whole turn. */
  | { type: 'turnUpdated'; turn: Turn }
  /** Turns taken out (Delete, Retry, Edit and Resend). */
  | { type: 'turnsRemoved'; turnIds: string[] }
  /** A tool call of an answer was added or changed (approval asked, running, result...). */
  | { type: 'toolCall'; turnId: string; call: ToolCallView }
  /** Which tools the answer offered the model. */
  | { type: 'toolsOffered'; turnId: string; offered: ToolsOffered }
  | { type: 'busy'; busy: boolean }
  /** A passing status line, e.g. "rate limited, retrying in 4 s"; absent text clears it. */
  | { type: 'status'; text?: string }
  /** A plugin's status line under an answer while it works ("searching docs…"); absent text clears it. */
  | { type: 'answerStatus'; turnId: string; text?: string }
  /** The sources plugins cited for an answer so far (all of them). */
  | { type: 'citations'; turnId: string; citations: AnswerSource[] };
