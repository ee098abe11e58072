/**
 * The one message protocol between the extension host and the chat webview. Both sides
 * import these types; messages from the webview are also checked at run time by
 * `parseWebviewMessage`, since a webview is a separate, less trusted context (the webview
 * checks the host's with the same kind of table, in `webview/hostMessages.ts`).
 */
import type { SessionEvent } from '../core/chat/sessionTypes';
import type { ContextKind, Conversation, ConversationSummary, ModelRef, Turn } from '../core/chat/conversation';
import type { Problem, RecoveryActionId } from '../core/errors';
import { RECOVERY_ACTIONS } from '../core/problemKinds';
import { CONTEXT_KINDS } from '../core/chat/conversation';
import { TOOL_DECISIONS, type ToolDecision } from '../core/tools/toolDecision';
import { boolean, count, literal, optional, parseMessage, string, type ShapeError, type VariantFields } from './shape';

export type { AnswerSource, AnswerStats, AnswerStatus, AssistantTurn, Conversation, ContextAttachment, ContextKind, ConversationSummary, ImageMimeType, ImageRef, ModelRef, ToolCallStatus, ToolCallView, ToolsOffered, Turn, UsageFigures, UserTurn } from '../core/chat/conversation';
export { ANSWER_STATUSES, CONTEXT_KINDS, IMAGE_MIME_TYPES, MAX_IMAGE_BYTES, TOOL_CALL_STATUSES, TOOL_OFFER_MODES } from '../core/chat/conversation';
export { PROPOSAL_STATES, type ToolCallProposal } from '../core/tools/toolCallView';
export type { Problem, ProblemKind, RecoveryActionId } from '../core/errors';
export { PROBLEM_KINDS, RECOVERY_ACTIONS } from '../core/problemKinds';
export { TOOL_DECISIONS, type ToolDecision } from '../core/tools/toolDecision';
export type { ToolToggle, ToolToggleGroup } from '../core/tools/toolToggles';
import type { ToolToggleGroup } from '../core/tools/toolToggles';

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
  /** The local servers Patchbay looked for on their default ports that did not answer. */
  localServersNotAnswering?: LocalServerNotAnswering[];
  /** False when the user turned looking for local servers off. */
  discoversLocalServers?: boolean;
}

export interface LocalServerNotAnswering {
  label: string;
  /** host:port */
  address: string;
  /** How to start it (from the provider plugin). */
  startHint?: string;
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

/**
 * What plugins add to the chat: the part of the core's `PluginUi` the webview shows (their
 * commands are the command palette's). Declared here, since the webview must not see the core's
 * backend types.
 */
export interface PluginUi {
  actions: ActionButton[];
  slashCommands: SlashCommand[];
  /** `@name` mentions of plugins' context providers (none when absent). */
  contextProviders?: ContextProviderEntry[];
}

/** A plugin's context provider, offered after "@". */
export interface ContextProviderEntry {
  /** Without the "@". */
  name: string;
  description: string;
  /** What to type after `@name`; absent, choosing it adds its context at once. */
  queryHint?: string;
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
  kind: ContextKind;
  /** e.g. `src/app.ts:10-24`, `Problems in app.ts`. */
  label: string;
  /** e.g. `42 lines · 1.2 KB · ~300 tokens`. */
  size: string;
  /** An image chip's picture, a `data:image/…;base64,` URI (the page's CSP allows no other images). */
  thumbnail?: string;
}

/** The picture of an image a shown question carries, by its hash (see `UserTurn.images`). */
export interface ImageThumbnail {
  sha256: string;
  /** A `data:image/…;base64,` URI. */
  uri: string;
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
  | { type: 'init'; page: ConversationPage; models: ModelsState; busy: boolean; pluginUi: PluginUi; context: ContextChip[] }
  | { type: 'pluginUi'; pluginUi: PluginUi }
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
  /** Whether `addProviderContext` added a chip (else the host said why, and the mention stays in the input). */
  | { type: 'providerContextAdded'; requestId: string; ok: boolean }
  /** Put a question back in the input to edit it (arrow-up, or the Edit command). */
  | { type: 'editTurn'; turnId: string; text: string }
  /** Turn additions, streamed deltas, tool calls, busy and status: as the chat session reports them. */
  | SessionMessage
  | { type: 'focusInput' }
  /** A plugin action's follow-up question, put in the input for the user to finish or send. */
  | { type: 'fillInput'; text: string }
  /** The tools and tool plugins, each on or off for the open conversation (answering `listToolToggles`, and after a change). */
  | { type: 'toolToggles'; conversationId: string; groups: ToolToggleGroup[] }
  /** Pictures of the images that shown questions carry, sent after the turns that name them. */
  | { type: 'images'; images: ImageThumbnail[] }
  /** A question was refused before anything was sent (a model that cannot read images...): its text goes back into an empty input. */
  | { type: 'unsent'; text: string };

/** What a code block's buttons do with its code. */
export const CODE_ACTIONS = ['copy', 'insert', 'newFile'] as const;
export type CodeAction = typeof CODE_ACTIONS[number];

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
  | { type: 'addContext'; kind: ContextKind }
  | { type: 'removeContext'; chipId: string }
  | { type: 'suggestFiles'; requestId: string; query: string }
  | { type: 'addFileContext'; path: string }
  /** A context provider's suggestions for what follows `@provider `, answered with `fileSuggestions`. */
  | { type: 'suggestContext'; requestId: string; provider: string; query: string }
  /** A context provider's context for a query, as a chip; answered with `providerContextAdded`. */
  | { type: 'addProviderContext'; requestId: string; provider: string; query: string }
  /** Copy a message's text (an answer's markdown, or a question). */
  | { type: 'copyMessage'; turnId: string }
  /** Remove a question (with its answer) or an answer from the conversation. */
  | { type: 'deleteTurn'; turnId: string }
  /** Replace a question and everything after it, and ask again. */
  | { type: 'editAndResend'; turnId: string; text: string }
  /** Ask the last question again with another model (the host asks which). */
  | { type: 'retryWithModel' }
  /** Which tools are on for the open conversation (answered with `toolToggles`). */
  | { type: 'listToolToggles' }
  /** Turn a tool (`tool:owner/name`) or a plugin's tools (`plugin:owner`) on or off for the open conversation. */
  | { type: 'setToolEnabled'; key: string; enabled: boolean }
  /** An image pasted or dropped into the input, base64; `size` is the file's size (data is empty when it is too large to send). */
  | { type: 'addImage'; name: string; size: number; data: string }
  /** Accept or Reject on a tool call's proposed edit (see ToolCallView.proposal). */
  | { type: 'decideProposal'; proposalId: string; decision: ProposalDecision }

/** What the user may say to a proposed edit. */
export const PROPOSAL_DECISIONS = ['accept', 'reject'] as const;
export type ProposalDecision = typeof PROPOSAL_DECISIONS[number];

/** Longest question or code block the webview may send: far more than any local model's window. */
export const WEBVIEW_TEXT_LIMIT = 1_000_000;
/** Longest id, path, title or search the webview may send (the longest path Linux allows). */
export const WEBVIEW_NAME_LIMIT = 4_096;

/**
 * Longest base64 image the webview may send: more than the 5 MB an image may be, so a slightly
 * larger one still reaches the host and gets its clear refusal.
 */
export const WEBVIEW_IMAGE_DATA_LIMIT = 12_000_000;

/** A question or code block. */
const text = string(WEBVIEW_TEXT_LIMIT);
/** An id, path, title or query. */
const name = string(WEBVIEW_NAME_LIMIT);

/** What a too-long `text` field is, for the user: the question they typed, a code block... */
const longTextNames: Partial<Record<WebviewToHost['type'], string>> = { send: 'question', editAndResend: 'question', codeAction: 'code block' };

/** The fields of each webview message, checked against the message types. */
const webviewMessageChecks: VariantFields<WebviewToHost, 'type'> = {
  ready: {},
  send: { text },
  stop: {},
  retry: {},
  newChat: {},
  selectModel: { providerId: name, modelId: name },
  refreshModels: {},
  codeAction: { action: literal(CODE_ACTIONS), code: text, language: optional(name) },
  recover: { action: literal(RECOVERY_ACTIONS) },
  runAction: { actionKey: name, turnId: name },
  approveToolCall: { callId: name, decision: literal(TOOL_DECISIONS) },
  loadEarlier: { conversationId: name },
  showHistory: { query: name },
  openConversation: { conversationId: name },
  renameConversation: { conversationId: name, title: name },
  deleteConversation: { conversationId: name },
  exportConversation: { conversationId: name },
  addContext: { kind: literal(CONTEXT_KINDS) },
  removeContext: { chipId: name },
  suggestFiles: { requestId: name, query: name },
  addFileContext: { path: name },
  suggestContext: { requestId: name, provider: name, query: name },
  addProviderContext: { requestId: name, provider: name, query: name },
  copyMessage: { turnId: name },
  deleteTurn: { turnId: name },
  editAndResend: { turnId: name, text },
  retryWithModel: {},
  listToolToggles: {},
  setToolEnabled: { key: name, enabled: boolean },
  addImage: { name, size: count, data: string(WEBVIEW_IMAGE_DATA_LIMIT) },
  decideProposal: { proposalId: name, decision: literal(PROPOSAL_DECISIONS) },
};

/** The sentence for the user when a question or code block is too long to send. */
function tooLongSentence(error: ShapeError | undefined): string | undefined {
  // The path of a too-long field is `<message type>.<field>`.
  const what = longTextNames[error?.path.split('.')[0] as WebviewToHost['type']];
  if (what === undefined || error?.tooLong?.limit !== WEBVIEW_TEXT_LIMIT) return undefined;
  const { length, limit } = error.tooLong;
  return `The ${what} was not sent: it is ${length.toLocaleString('en-US')} characters long, and at most ${limit.toLocaleString('en-US')} can be sent at once.`;
}

/**
 * Returns the message, with only the fields the protocol knows, if it is well formed;
 * otherwise a reason it was rejected (for the log), and when a question or code block was too
 * long, a sentence for the user.
 */
export function parseWebviewMessage(raw: unknown): { message: WebviewToHost } | { rejected: string; tooLong?: string } {
  const parsed = parseMessage(webviewMessageChecks, raw);
  if ('message' in parsed) return parsed;
  const tooLong = tooLongSentence(parsed.error);
  return tooLong === undefined ? { rejected: parsed.rejected } : { rejected: parsed.rejected, tooLong };
}
