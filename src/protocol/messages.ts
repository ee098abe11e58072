/**
 * The one message protocol between the extension host and the chat webview. Both sides
 * import these types; messages from the webview are also checked at run time by
 * `parseWebviewMessage`, since a webview is a separate, less trusted context.
 */
import type { SessionEvent } from '../core/chat/chatSession';
import type { Conversation, ConversationSummary, ModelRef, Turn } from '../core/chat/conversation';
import type { Problem, RecoveryActionId } from '../core/errors';

export type { AnswerStats, AnswerStatus, AssistantTurn, Conversation, ContextAttachment, ConversationSummary, ModelRef, ToolCallStatus, ToolCallView, ToolsOffered, Turn, UserTurn } from '../core/chat/conversation';
export type { Problem, ProblemKind, RecoveryActionId } from '../core/errors';

export interface ModelOption {
  id: string;
  label: string;
  /** Tooltip text: context length, family, size. */
  detail?: string;
}

export interface ModelGroup {
  providerId: string;
  label: string;
  /** Set for an endpoint a workspace config declares: the host it talks to, shown with it. */
  workspaceHost?: string;
  models: ModelOption[];
  /** Why this provider has no models right now (server down, bad key...). */
  problem?: Problem;
}

export interface ModelsState {
  groups: ModelGroup[];
  selected?: ModelRef;
  loading: boolean;
}

/** A plugin action, shown as a button on each finished answer. */
export interface ActionButton {
  /** Opaque key the host uses to find the action. */
  key: string;
  label: string;
  /** The plugin that adds it (for the button's tooltip). */
  plugin: string;
}

/** A prompt template, offered when the input starts with "/". */
export interface SlashCommand {
  /** Without the slash. */
  name: string;
  description: string;
  /** Where it comes from, e.g. a plugin id. */
  source: string;
}

/** What plugins add to the chat UI. */
export interface ExtensionsState {
  actions: ActionButton[];
  slashCommands: SlashCommand[];
}

/**
 * A conversation as the webview gets it: only its latest turns (a long conversation's
 * earlier turns come on request), and how many earlier ones there are.
 */
export interface ConversationPage {
  conversation: Conversation;
  /** Turns before `conversation.turns` that were not sent. */
  earlier: number;
}

/** Something from the editor that will go with the next question; removable before sending. */
export interface ContextChip {
  id: string;
  kind: 'selection' | 'file' | 'problems' | 'editors';
  /** e.g. `src/app.ts:10-24`, `Problems in app.ts`. */
  label: string;
  /** e.g. `42 lines · 1.2 KB · ~300 tokens`. */
  size: string;
}

export interface FileSuggestion {
  /** Workspace-relative path, as shown and as sent back. */
  path: string;
  /** The file name, for matching and display. */
  name: string;
}

/** Every session event but `reset`, which reaches the webview as `conversationReset`. */
export type SessionMessage = Exclude<SessionEvent, { type: 'reset' }>;

export type HostToWebview =
  | { type: 'init'; page: ConversationPage; models: ModelsState; busy: boolean; extensions: ExtensionsState; context: ContextChip[] }
  | { type: 'extensions'; extensions: ExtensionsState }
  | { type: 'models'; models: ModelsState }
  | { type: 'conversationReset'; page: ConversationPage }
  /** Earlier turns of the open conversation, asked for with `loadEarlier`; they go before the shown ones. */
  | { type: 'turnsPrepended'; conversationId: string; turns: Turn[]; earlier: number }
  /** The saved conversations, newest first (only titles and summaries), for the history list. */
  | { type: 'history'; items: ConversationSummary[]; query: string; currentId: string }
  /** What will go with the next question. */
  | { type: 'context'; chips: ContextChip[] }
  /** Workspace files for an `@` mention, answering `suggestFiles`. */
  | { type: 'fileSuggestions'; requestId: string; files: FileSuggestion[] }
  /** Put a question back in the input to edit it (arrow-up, or the Edit command). */
  | { type: 'editTurn'; turnId: string; text: string }
  /** Turn additions, streamed deltas, tool calls, busy and status: as the chat session reports them. */
  | SessionMessage
  | { type: 'focusInput' };

export type CodeAction = 'copy' | 'insert' | 'newFile';

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'send'; text: string }
  | { type: 'stop' }
  | { type: 'retry' }
  | { type: 'newChat' }
  | { type: 'selectModel'; providerId: string; modelId: string }
  | { type: 'refreshModels' }
  | { type: 'codeAction'; action: CodeAction; code: string; language?: string }
  | { type: 'recover'; action: RecoveryActionId }
  | { type: 'runAction'; actionKey: string; turnId: string }
  | { type: 'approveToolCall'; callId: string; decision: ToolDecision }
  | { type: 'loadEarlier'; conversationId: string }
  /** Show the history list, filtered by a search (empty: all). */
  | { type: 'showHistory'; query: string }
  | { type: 'openConversation'; conversationId: string }
  | { type: 'renameConversation'; conversationId: string; title: string }
  | { type: 'deleteConversation'; conversationId: string }
  | { type: 'exportConversation'; conversationId: string }
  | { type: 'addContext'; kind: 'selection' | 'file' | 'problems' | 'editors' }
  | { type: 'removeContext'; chipId: string }
  | { type: 'suggestFiles'; requestId: string; query: string }
  | { type: 'addFileContext'; path: string }
  /** Copy a message's text (an answer's markdown, or a question). */
  | { type: 'copyMessage'; turnId: string }
  /** Remove a question (with its answer) or an answer from the conversation. */
  | { type: 'deleteTurn'; turnId: string }
  /** Replace a question and everything after it, and ask again. */
  | { type: 'editAndResend'; turnId: string; text: string }
  /** Ask the last question again with another model (the host asks which). */
  | { type: 'retryWithModel' }

/** The user's answer on a tool call's approval card. */
export type ToolDecision = 'once' | 'always' | 'deny';

/**
 * `string`: an id, path, title or query, at most WEBVIEW_NAME_LIMIT characters (`string?`: or
 * absent); `text`: a question or code, at most WEBVIEW_TEXT_LIMIT; a list: one of those values.
 */
type FieldRule = 'string' | 'string?' | 'text' | readonly string[];

/** Longest question or code block the webview may send: far more than any local model's window. */
export const WEBVIEW_TEXT_LIMIT = 1_000_000;
/** Longest id, path, title or search the webview may send (the longest path Linux allows). */
export const WEBVIEW_NAME_LIMIT = 4_096;

/** What a too-long field is, for the user: the question they typed, a code block... */
const longTextNames: Partial<Record<WebviewToHost['type'], string>> = { send: 'question', editAndResend: 'question', codeAction: 'code block' };

const recoveryActions: readonly RecoveryActionId[] = [
  'retry', 'continue', 'setApiKey', 'selectModel', 'refreshModels', 'openConfig', 'openSettings', 'showLogs',
];

/** The fields of each webview message; `satisfies` keeps this table in step with the type. */
const webviewMessageRules = {
  ready: {},
  send: { text: 'text' },
  stop: {},
  retry: {},
  newChat: {},
  selectModel: { providerId: 'string', modelId: 'string' },
  refreshModels: {},
  codeAction: { action: ['copy', 'insert', 'newFile'], code: 'text', language: 'string?' },
  recover: { action: recoveryActions },
  runAction: { actionKey: 'string', turnId: 'string' },
  approveToolCall: { callId: 'string', decision: ['once', 'always', 'deny'] },
  loadEarlier: { conversationId: 'string' },
  showHistory: { query: 'string' },
  openConversation: { conversationId: 'string' },
  renameConversation: { conversationId: 'string', title: 'string' },
  deleteConversation: { conversationId: 'string' },
  exportConversation: { conversationId: 'string' },
  addContext: { kind: ['selection', 'file', 'problems', 'editors'] },
  removeContext: { chipId: 'string' },
  suggestFiles: { requestId: 'string', query: 'string' },
  addFileContext: { path: 'string' },
  copyMessage: { turnId: 'string' },
  deleteTurn: { turnId: 'string' },
  editAndResend: { turnId: 'string', text: 'text' },
  retryWithModel: {},
} as const satisfies { [K in WebviewToHost['type']]: Record<string, FieldRule> };

/**
 * Returns the message, with only the fields the protocol knows, if it is well formed;
 * otherwise a reason it was rejected (for the log), and when a question or code block was too
 * long, a sentence for the user.
 */
export function parseWebviewMessage(raw: unknown): { message: WebviewToHost } | { rejected: string; tooLong?: string } {
  if (typeof raw !== 'object' || raw === null) return { rejected: 'not an object' };
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.hasOwn(webviewMessageRules, type)) {
    return { rejected: `unknown message type ${JSON.stringify(type)}` };
  }
  const rules: Record<string, FieldRule> = webviewMessageRules[type as WebviewToHost['type']];
  const message: Record<string, string> = { type };
  for (const [field, rule] of Object.entries(rules)) {
    const value = (raw as Record<string, unknown>)[field];
    if (rule === 'string?' && value === undefined) continue;
    if (typeof value !== 'string' || (typeof rule !== 'string' && !rule.includes(value))) {
      return { rejected: `${type}.${field} is invalid` };
    }
    const limit = rule === 'text' ? WEBVIEW_TEXT_LIMIT : WEBVIEW_NAME_LIMIT;
    if (value.length > limit) {
      const length = value.length.toLocaleString('en-US');
      const rejected = `${type}.${field} is too long: ${length} characters, at most ${limit.toLocaleString('en-US')}`;
      const what = rule === 'text' ? longTextNames[type as WebviewToHost['type']] : undefined;
      if (what === undefined) return { rejected };
      return { rejected, tooLong: `The ${what} was not sent: it is ${length} characters long, and at most ${limit.toLocaleString('en-US')} can be sent at once.` };
    }
    message[field] = value;
  }
  return { message: message as unknown as WebviewToHost };
}
