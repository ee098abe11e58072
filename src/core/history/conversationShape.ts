/**
 * Whether JSON read from the history folder has the shape of a saved conversation or summary.
 * A file of the wrong shape (a hand edit, another version, a disk error that still parses)
 * must be set aside, never handed to the chat: one `null` turn would break every send after.
 * Small hand-written checks rather than a JSON Schema: history is read when the chat opens,
 * before the schema validator is worth loading.
 */
import type { AnswerSource, AssistantTurn, ContextAttachment, Conversation, ConversationSummary, ImageRef, ToolCallView, Turn, UserTurn } from '../chat/conversation';

type Check = (value: unknown) => boolean;
/** One check per field of T, optional fields named with a trailing `?`: a new field cannot be forgotten here. */
type FieldChecks<T> = { [K in keyof T as undefined extends T[K] ? `${K & string}?` : K]-?: Check };

const isString: Check = (value) => typeof value === 'string';
const isNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value);
const oneOf = (...allowed: string[]): Check => (value) => typeof value === 'string' && allowed.includes(value);
const arrayOf = (item: Check): Check => (value) => Array.isArray(value) && value.every(item);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Required fields must pass their check; optional ones (`?` after the name) may be absent. */
function fields(value: unknown, checks: Record<string, Check>): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  return Object.entries(checks).every(([name, check]) => {
    const optional = name.endsWith('?');
    const field = value[optional ? name.slice(0, -1) : name];
    return (optional && field === undefined) || check(field);
  });
}

const isAttachment: Check = (value) => fields(value, { kind: oneOf('selection', 'file', 'problems', 'editors', 'resource', 'plugin'), label: isString, 'language?': isString, text: isString } satisfies FieldChecks<ContextAttachment>);

/** The hash names the image's file, so it must be one: 64 lowercase hex digits. */
const isImageRef: Check = (value) =>
  fields(value, {
    sha256: (hash) => typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash),
    mimeType: oneOf('image/png', 'image/jpeg', 'image/gif', 'image/webp'),
    name: isString,
    size: isNumber,
  } satisfies FieldChecks<ImageRef>);

const isProblem: Check = (value) => fields(value, { kind: isString, message: isString, 'hint?': isString, actions: arrayOf(isString) });

const isToolCall: Check = (value) =>
  fields(value, {
    id: isString,
    tool: isString,
    'qualifiedName?': isString,
    'plugin?': isString,
    'method?': isString,
    'url?': isString,
    arguments: isString,
    status: oneOf('checking', 'awaiting-approval', 'running', 'done', 'denied', 'failed', 'cancelled'),
    'canAlwaysAllow?': (flag) => typeof flag === 'boolean',
    'result?': isString,
    'note?': isString,
    'progress?': (progress) => fields(progress, { progress: isNumber, 'total?': isNumber, 'message?': isString }),
    'images?': arrayOf(isString),
    'proposal?': (proposal) =>
      fields(proposal, { id: isString, path: isString, change: oneOf('edit', 'create'), summary: isString, state: oneOf('pending', 'accepted', 'rejected'), 'note?': isString }),
  } satisfies FieldChecks<ToolCallView>);

const isUserTurn = (value: unknown): value is UserTurn =>
  fields(value, { id: isString, role: oneOf('user'), text: isString, 'prompt?': isString, attachments: arrayOf(isAttachment), 'images?': arrayOf(isImageRef), createdAt: isNumber } satisfies FieldChecks<UserTurn>);

const isAssistantTurn = (value: unknown): value is AssistantTurn =>
  fields(value, {
    id: isString,
    role: oneOf('assistant'),
    content: isString,
    reasoning: isString,
    status: oneOf('streaming', 'complete', 'stopped', 'incomplete', 'failed'),
    'model?': (model) => fields(model, { providerId: isString, modelId: isString, label: isString }),
    createdAt: isNumber,
    'finishedAt?': isNumber,
    'problem?': isProblem,
    'usage?': (usage) => fields(usage, { 'inputTokens?': isNumber, 'outputTokens?': isNumber }),
    'finishReason?': isString,
    'toolCalls?': arrayOf(isToolCall),
    'toolsOffered?': (offered) => fields(offered, { names: arrayOf(isString), total: isNumber, mode: oneOf('native', 'prompt') }),
    'stats?': (stats) => fields(stats, { 'firstTokenMs?': isNumber, 'tokensPerSecond?': isNumber }),
    'contextNote?': isString,
    'refusal?': isString,
    'citations?': arrayOf((source) => fields(source, { title: isString, 'url?': isString, 'snippet?': isString } satisfies FieldChecks<AnswerSource>)),
  } satisfies FieldChecks<AssistantTurn>);

export const isTurn = (value: unknown): value is Turn => isUserTurn(value) || isAssistantTurn(value);

export function isConversation(value: unknown): value is Conversation {
  return fields(value, { id: isString, title: isString, turns: arrayOf(isTurn), createdAt: isNumber, updatedAt: isNumber, 'toolsOff?': arrayOf(isString) } satisfies FieldChecks<Conversation>);
}

export function isConversationSummary(value: unknown): value is ConversationSummary {
  return fields(value, { id: isString, title: isString, createdAt: isNumber, updatedAt: isNumber, turnCount: isNumber, preview: isString } satisfies FieldChecks<ConversationSummary>);
}
