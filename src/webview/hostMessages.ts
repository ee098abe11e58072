/**
 * Light run-time checks of messages from the host. The host is trusted, but a version skew or a
 * bug there must not break the whole panel: unknown messages are ignored and missing fields get
 * harmless defaults, so the views can rely on the declared types. Pure, unit-tested in Node.
 */
import type {
  ActionButton, AnswerStats, AnswerStatus, AssistantTurn, ContextAttachment, ContextChip, Conversation, ConversationPage,
  ConversationSummary, ExtensionsState, FileSuggestion, HostToWebview, ModelGroup, ModelOption, ModelRef, ModelsState,
  Problem, ProblemKind, RecoveryActionId, SlashCommand, ToolCallStatus, ToolCallView, ToolsOffered, Turn, UserTurn,
} from '../protocol/messages';

type Fields = Record<string, unknown>;

const ANSWER_STATUSES: readonly AnswerStatus[] = ['streaming', 'complete', 'stopped', 'incomplete', 'failed'];
const TOOL_CALL_STATUSES: readonly ToolCallStatus[] = [
  'checking', 'awaiting-approval', 'running', 'done', 'denied', 'failed', 'cancelled',
];
const RECOVERY_ACTIONS: readonly RecoveryActionId[] = [
  'retry', 'continue', 'setApiKey', 'selectModel', 'refreshModels', 'openConfig', 'openSettings', 'showLogs',
];
const CONTEXT_KINDS: readonly ContextChip['kind'][] = ['selection', 'file', 'problems', 'editors'];

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function defined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

export function normalizeProblem(raw: unknown): Problem | undefined {
  if (!isFields(raw) || typeof raw.message !== 'string') return undefined;
  const problem: Problem = {
    kind: text(raw.kind, 'unknown') as ProblemKind,
    message: raw.message,
    actions: list(raw.actions).filter((a): a is RecoveryActionId => RECOVERY_ACTIONS.includes(a as RecoveryActionId)),
  };
  const hint = optionalText(raw.hint);
  if (hint !== undefined && hint !== '') problem.hint = hint;
  return problem;
}

function normalizeAttachment(raw: unknown): ContextAttachment | undefined {
  if (!isFields(raw) || typeof raw.label !== 'string') return undefined;
  const attachment: ContextAttachment = {
    kind: CONTEXT_KINDS.includes(raw.kind as ContextChip['kind']) ? (raw.kind as ContextChip['kind']) : 'selection',
    label: raw.label,
    text: text(raw.text),
  };
  const language = optionalText(raw.language);
  if (language !== undefined) attachment.language = language;
  return attachment;
}

/**
 * A tool call's card data. A call without an id or tool name, or with a status this webview does
 * not know (it could not tell what the card should offer), is left out.
 */
export function normalizeToolCall(raw: unknown): ToolCallView | undefined {
  if (!isFields(raw) || typeof raw.id !== 'string' || raw.id === '' || typeof raw.tool !== 'string') return undefined;
  if (!TOOL_CALL_STATUSES.includes(raw.status as ToolCallStatus)) return undefined;
  const call: ToolCallView = { id: raw.id, tool: raw.tool, arguments: text(raw.arguments), status: raw.status as ToolCallStatus };
  for (const field of ['qualifiedName', 'plugin', 'method', 'url', 'result', 'note'] as const) {
    const value = optionalText(raw[field]);
    if (value !== undefined) call[field] = value;
  }
  if (raw.canAlwaysAllow === true) call.canAlwaysAllow = true;
  return call;
}

export function normalizeToolsOffered(raw: unknown): ToolsOffered | undefined {
  if (!isFields(raw)) return undefined;
  const names = list(raw.names).filter((name): name is string => typeof name === 'string');
  return { names, total: Math.max(count(raw.total) ?? 0, names.length), mode: raw.mode === 'prompt' ? 'prompt' : 'native' };
}

export function normalizeTurn(raw: unknown): Turn | undefined {
  if (!isFields(raw) || typeof raw.id !== 'string' || raw.id === '') return undefined;
  const createdAt = count(raw.createdAt) ?? 0;
  if (raw.role === 'user') {
    const turn: UserTurn = {
      id: raw.id,
      role: 'user',
      text: text(raw.text),
      attachments: list(raw.attachments).map(normalizeAttachment).filter(defined),
      createdAt,
    };
    // Kept for completeness; the view shows `text`, as the user typed it.
    const prompt = optionalText(raw.prompt);
    if (prompt !== undefined) turn.prompt = prompt;
    return turn;
  }
  if (raw.role !== 'assistant') return undefined;
  const status = ANSWER_STATUSES.includes(raw.status as AnswerStatus) ? (raw.status as AnswerStatus) : 'complete';
  const turn: AssistantTurn = {
    id: raw.id,
    role: 'assistant',
    content: text(raw.content),
    reasoning: text(raw.reasoning),
    status,
    createdAt,
  };
  const model = normalizeModelRef(raw.model);
  if (model !== undefined && isFields(raw.model)) {
    turn.model = { ...model, label: text(raw.model.label) || model.modelId };
  }
  const finishedAt = count(raw.finishedAt);
  if (finishedAt !== undefined) turn.finishedAt = finishedAt;
  const problem = normalizeProblem(raw.problem);
  if (problem !== undefined) turn.problem = problem;
  if (isFields(raw.usage)) {
    const inputTokens = count(raw.usage.inputTokens);
    const outputTokens = count(raw.usage.outputTokens);
    turn.usage = {};
    if (inputTokens !== undefined) turn.usage.inputTokens = inputTokens;
    if (outputTokens !== undefined) turn.usage.outputTokens = outputTokens;
  }
  const finishReason = optionalText(raw.finishReason);
  if (finishReason !== undefined) turn.finishReason = finishReason;
  const refusal = optionalText(raw.refusal);
  if (refusal !== undefined && refusal !== '') turn.refusal = refusal;
  if (Array.isArray(raw.toolCalls)) turn.toolCalls = raw.toolCalls.map(normalizeToolCall).filter(defined);
  const toolsOffered = normalizeToolsOffered(raw.toolsOffered);
  if (toolsOffered !== undefined) turn.toolsOffered = toolsOffered;
  const stats = normalizeStats(raw.stats);
  if (stats !== undefined) turn.stats = stats;
  const contextNote = optionalText(raw.contextNote);
  if (contextNote !== undefined && contextNote.trim() !== '') turn.contextNote = contextNote;
  return turn;
}

function normalizeStats(raw: unknown): AnswerStats | undefined {
  if (!isFields(raw)) return undefined;
  const stats: AnswerStats = {};
  const firstTokenMs = count(raw.firstTokenMs);
  const tokensPerSecond = count(raw.tokensPerSecond);
  if (firstTokenMs !== undefined && firstTokenMs >= 0) stats.firstTokenMs = firstTokenMs;
  if (tokensPerSecond !== undefined && tokensPerSecond >= 0) stats.tokensPerSecond = tokensPerSecond;
  return Object.keys(stats).length === 0 ? undefined : stats;
}

export function normalizeConversation(raw: unknown): Conversation | undefined {
  if (!isFields(raw)) return undefined;
  return {
    id: text(raw.id),
    title: text(raw.title),
    turns: list(raw.turns).map(normalizeTurn).filter(defined),
    createdAt: count(raw.createdAt) ?? 0,
    updatedAt: count(raw.updatedAt) ?? 0,
  };
}

const EMPTY_CONVERSATION: Conversation = { id: '', title: '', turns: [], createdAt: 0, updatedAt: 0 };

/**
 * A page of a conversation. A host from before paging sent the whole `conversation` on the
 * message itself; that is read as a page with nothing earlier.
 */
export function normalizePage(message: Fields): ConversationPage | undefined {
  if (isFields(message.page)) {
    const conversation = normalizeConversation(message.page.conversation);
    if (conversation === undefined) return undefined;
    return { conversation, earlier: Math.max(0, Math.floor(count(message.page.earlier) ?? 0)) };
  }
  const conversation = normalizeConversation(message.conversation);
  return conversation === undefined ? undefined : { conversation, earlier: 0 };
}

export function normalizeContextChip(raw: unknown): ContextChip | undefined {
  if (!isFields(raw) || typeof raw.id !== 'string' || raw.id === '' || typeof raw.label !== 'string') return undefined;
  // A kind this webview does not know still shows (what goes with the question must be visible).
  const kind = CONTEXT_KINDS.includes(raw.kind as ContextChip['kind']) ? (raw.kind as ContextChip['kind']) : 'file';
  return { id: raw.id, kind, label: raw.label, size: text(raw.size) };
}

function normalizeFileSuggestion(raw: unknown): FileSuggestion | undefined {
  if (!isFields(raw) || typeof raw.path !== 'string' || raw.path === '') return undefined;
  const name = text(raw.name) || raw.path.slice(raw.path.lastIndexOf('/') + 1) || raw.path;
  return { path: raw.path, name };
}

export function normalizeConversationSummary(raw: unknown): ConversationSummary | undefined {
  if (!isFields(raw) || typeof raw.id !== 'string' || raw.id === '') return undefined;
  const createdAt = count(raw.createdAt) ?? 0;
  return {
    id: raw.id,
    title: text(raw.title),
    createdAt,
    updatedAt: count(raw.updatedAt) ?? createdAt,
    turnCount: Math.max(0, count(raw.turnCount) ?? 0),
    preview: text(raw.preview),
  };
}

function normalizeModelRef(raw: unknown): ModelRef | undefined {
  if (!isFields(raw) || typeof raw.providerId !== 'string' || typeof raw.modelId !== 'string') return undefined;
  return { providerId: raw.providerId, modelId: raw.modelId };
}

function normalizeModelOption(raw: unknown): ModelOption | undefined {
  if (!isFields(raw) || typeof raw.id !== 'string') return undefined;
  const option: ModelOption = { id: raw.id, label: text(raw.label, raw.id) || raw.id };
  const detail = optionalText(raw.detail);
  if (detail !== undefined) option.detail = detail;
  return option;
}

function normalizeModelGroup(raw: unknown): ModelGroup | undefined {
  if (!isFields(raw) || typeof raw.providerId !== 'string') return undefined;
  const group: ModelGroup = {
    providerId: raw.providerId,
    label: text(raw.label, raw.providerId) || raw.providerId,
    models: list(raw.models).map(normalizeModelOption).filter(defined),
  };
  const workspaceHost = optionalText(raw.workspaceHost);
  if (workspaceHost !== undefined) group.workspaceHost = workspaceHost;
  const problem = normalizeProblem(raw.problem);
  if (problem !== undefined) group.problem = problem;
  return group;
}

export function normalizeModels(raw: unknown): ModelsState | undefined {
  if (!isFields(raw)) return undefined;
  const state: ModelsState = {
    groups: list(raw.groups).map(normalizeModelGroup).filter(defined),
    loading: raw.loading === true,
  };
  const selected = normalizeModelRef(raw.selected);
  if (selected !== undefined) state.selected = selected;
  return state;
}

function normalizeActionButton(raw: unknown): ActionButton | undefined {
  if (!isFields(raw) || typeof raw.key !== 'string' || raw.key === '' || typeof raw.label !== 'string' || raw.label === '') {
    return undefined;
  }
  return { key: raw.key, label: raw.label, plugin: text(raw.plugin) };
}

function normalizeSlashCommand(raw: unknown): SlashCommand | undefined {
  if (!isFields(raw) || typeof raw.name !== 'string') return undefined;
  // A name is completed as the first word of the input, so one with a space could never be typed.
  const name = raw.name.replace(/^\//, '');
  if (name === '' || /\s/.test(name)) return undefined;
  return { name, description: text(raw.description), source: text(raw.source) };
}

/** What plugins add; anything missing (an older host sends no `extensions`) is simply absent. */
export function normalizeExtensions(raw: unknown): ExtensionsState {
  const fields = isFields(raw) ? raw : {};
  return {
    actions: list(fields.actions).map(normalizeActionButton).filter(defined),
    slashCommands: list(fields.slashCommands).map(normalizeSlashCommand).filter(defined),
  };
}

/** The message in its declared shape, or undefined when it cannot be understood. */
export function parseHostMessage(raw: unknown): HostToWebview | undefined {
  if (!isFields(raw)) return undefined;
  switch (raw.type) {
    case 'init': {
      // Whatever part is missing, the panel should still come up (and show its empty states).
      const page = normalizePage(raw) ?? { conversation: { ...EMPTY_CONVERSATION, turns: [] }, earlier: 0 };
      const models = normalizeModels(raw.models) ?? { groups: [], loading: false };
      return {
        type: 'init',
        page,
        models,
        busy: raw.busy === true,
        extensions: normalizeExtensions(raw.extensions),
        context: list(raw.context).map(normalizeContextChip).filter(defined),
      };
    }
    case 'extensions':
      return isFields(raw.extensions) ? { type: 'extensions', extensions: normalizeExtensions(raw.extensions) } : undefined;
    case 'models': {
      const models = normalizeModels(raw.models);
      return models === undefined ? undefined : { type: 'models', models };
    }
    case 'conversationReset': {
      const page = normalizePage(raw);
      return page === undefined ? undefined : { type: 'conversationReset', page };
    }
    case 'turnsPrepended':
      if (typeof raw.conversationId !== 'string' || !Array.isArray(raw.turns)) return undefined;
      return {
        type: 'turnsPrepended',
        conversationId: raw.conversationId,
        turns: raw.turns.map(normalizeTurn).filter(defined),
        earlier: Math.max(0, Math.floor(count(raw.earlier) ?? 0)),
      };
    case 'turnsRemoved':
      return Array.isArray(raw.turnIds)
        ? { type: 'turnsRemoved', turnIds: raw.turnIds.filter((id): id is string => typeof id === 'string' && id !== '') }
        : undefined;
    case 'history':
      return Array.isArray(raw.items)
        ? {
          type: 'history',
          items: raw.items.map(normalizeConversationSummary).filter(defined),
          query: text(raw.query),
          currentId: text(raw.currentId),
        }
        : undefined;
    case 'context':
      return Array.isArray(raw.chips) ? { type: 'context', chips: raw.chips.map(normalizeContextChip).filter(defined) } : undefined;
    case 'fileSuggestions':
      return typeof raw.requestId === 'string' && Array.isArray(raw.files)
        ? { type: 'fileSuggestions', requestId: raw.requestId, files: raw.files.map(normalizeFileSuggestion).filter(defined) }
        : undefined;
    case 'editTurn':
      return typeof raw.turnId === 'string' && raw.turnId !== '' && typeof raw.text === 'string'
        ? { type: 'editTurn', turnId: raw.turnId, text: raw.text }
        : undefined;
    case 'turnAdded':
    case 'turnUpdated': {
      const turn = normalizeTurn(raw.turn);
      return turn === undefined ? undefined : { type: raw.type, turn };
    }
    case 'turnDelta': {
      if (typeof raw.turnId !== 'string') return undefined;
      const message: HostToWebview & { type: 'turnDelta' } = { type: 'turnDelta', turnId: raw.turnId };
      const content = optionalText(raw.content);
      const reasoning = optionalText(raw.reasoning);
      if (content !== undefined) message.content = content;
      if (reasoning !== undefined) message.reasoning = reasoning;
      return message;
    }
    case 'turnReclassified':
      return typeof raw.turnId === 'string' ? { type: 'turnReclassified', turnId: raw.turnId } : undefined;
    case 'toolCall': {
      const call = normalizeToolCall(raw.call);
      return typeof raw.turnId === 'string' && call !== undefined ? { type: 'toolCall', turnId: raw.turnId, call } : undefined;
    }
    case 'toolsOffered': {
      const offered = normalizeToolsOffered(raw.offered);
      return typeof raw.turnId === 'string' && offered !== undefined ? { type: 'toolsOffered', turnId: raw.turnId, offered } : undefined;
    }
    case 'busy':
      return typeof raw.busy === 'boolean' ? { type: 'busy', busy: raw.busy } : undefined;
    case 'status': {
      const statusText = optionalText(raw.text);
      return statusText === undefined ? { type: 'status' } : { type: 'status', text: statusText };
    }
    case 'focusInput':
      return { type: 'focusInput' };
    default:
      return undefined;
  }
}
