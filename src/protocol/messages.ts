/**
 * The one message protocol between the extension host and the chat webview. Both sides
 * import these types; messages from the webview are also checked at run time by
 * `parseWebviewMessage`, since a webview is a separate, less trusted context.
 */
import type { SessionEvent } from '../core/chat/chatSession';
import type { Conversation, ModelRef } from '../core/chat/conversation';
import type { Problem, RecoveryActionId } from '../core/errors';

export type { AnswerStatus, AssistantTurn, Conversation, ContextAttachment, ModelRef, ToolCallStatus, ToolCallView, ToolsOffered, Turn, UserTurn } from '../core/chat/conversation';
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

/** Every session event but `reset`, which reaches the webview as `conversationReset`. */
export type SessionMessage = Exclude<SessionEvent, { type: 'reset' }>;

export type HostToWebview =
  | { type: 'init'; conversation: Conversation; models: ModelsState; busy: boolean; extensions: ExtensionsState }
  | { type: 'extensions'; extensions: ExtensionsState }
  | { type: 'models'; models: ModelsState }
  | { type: 'conversationReset'; conversation: Conversation }
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
  | { type: 'approveToolCall'; callId: string; decision: ToolDecision };

/** The user's answer on a tool call's approval card. */
export type ToolDecision = 'once' | 'always' | 'deny';

type FieldRule = 'string' | 'string?' | readonly string[];

const recoveryActions: readonly RecoveryActionId[] = [
  'retry', 'setApiKey', 'selectModel', 'refreshModels', 'openConfig', 'openSettings', 'showLogs',
];

/** The fields of each webview message; `satisfies` keeps this table in step with the type. */
const webviewMessageRules = {
  ready: {},
  send: { text: 'string' },
  stop: {},
  retry: {},
  newChat: {},
  selectModel: { providerId: 'string', modelId: 'string' },
  refreshModels: {},
  codeAction: { action: ['copy', 'insert', 'newFile'], code: 'string', language: 'string?' },
  recover: { action: recoveryActions },
  runAction: { actionKey: 'string', turnId: 'string' },
  approveToolCall: { callId: 'string', decision: ['once', 'always', 'deny'] },
} as const satisfies { [K in WebviewToHost['type']]: Record<string, FieldRule> };

/** Returns the message if it is well formed, otherwise a reason it was rejected. */
export function parseWebviewMessage(raw: unknown): { message: WebviewToHost } | { rejected: string } {
  if (typeof raw !== 'object' || raw === null) return { rejected: 'not an object' };
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.hasOwn(webviewMessageRules, type)) {
    return { rejected: `unknown message type ${JSON.stringify(type)}` };
  }
  const rules: Record<string, FieldRule> = webviewMessageRules[type as WebviewToHost['type']];
  for (const [field, rule] of Object.entries(rules)) {
    const value = (raw as Record<string, unknown>)[field];
    if (rule === 'string?' ? value !== undefined && typeof value !== 'string'
      : rule === 'string' ? typeof value !== 'string'
      : typeof value !== 'string' || !rule.includes(value)) {
      return { rejected: `${type}.${field} is invalid` };
    }
  }
  return { message: raw as WebviewToHost };
}
