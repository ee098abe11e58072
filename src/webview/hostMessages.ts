/**
 * Run-time checks of messages from the host, with the same kind of table as the host's checks
 * of the webview's messages. The host ships in the same .vsix, so a message of another shape
 * is a bug: it is refused whole with a reason naming the field, and the panel carries on.
 * Pure, unit-tested in Node.
 */
import {
  ANSWER_STATUSES, CONTEXT_KINDS, IMAGE_MIME_TYPES, PROBLEM_KINDS, PROPOSAL_STATES, RECOVERY_ACTIONS, TOOL_CALL_STATUSES, TOOL_OFFER_MODES, type ToolCallProposal,
  type ActionButton, type AnswerSource, type AnswerStats, type ContextAttachment, type ContextChip, type ContextProviderEntry, type Conversation, type ConversationPage,
  type ConversationSummary, type FileSuggestion, type ImageRef, type ImageThumbnail, type HostToWebview, type LocalServerNotAnswering, type ModelGroup, type ModelOption, type ModelRef, type ModelsState,
  type PluginUi, type Problem, type SlashCommand, type ToolCallView, type ToolsOffered, type ToolToggle, type ToolToggleGroup, type Turn, type UsageFigures,
} from '../protocol/messages';
import {
  arrayOf, boolean, count, literal, nonEmpty, number, object, optional, parseMessage, ShapeError, string, variants,
  type Check, type VariantFields,
} from '../protocol/shape';

const text = string();

const problem = object<Problem>({ kind: literal(PROBLEM_KINDS), message: text, hint: optional(text), actions: arrayOf(literal(RECOVERY_ACTIONS)) });

const modelRef = object<ModelRef>({ providerId: text, modelId: text });

const attachment = object<ContextAttachment>({ kind: literal(CONTEXT_KINDS), label: text, language: optional(text), text });

const toolCall = object<ToolCallView>({
  id: nonEmpty,
  tool: text,
  qualifiedName: optional(text),
  plugin: optional(text),
  method: optional(text),
  url: optional(text),
  arguments: text,
  status: literal(TOOL_CALL_STATUSES),
  canAlwaysAllow: optional(boolean),
  result: optional(text),
  note: optional(text),
  progress: optional(object<NonNullable<ToolCallView['progress']>>({ progress: number, total: optional(number), message: optional(text) })),
  images: optional(arrayOf(text)),
  proposal: optional(object<ToolCallProposal>({ id: nonEmpty, path: text, change: literal(['edit', 'create'] as const), summary: text, state: literal(PROPOSAL_STATES), note: optional(text) })),
});

const imageRef = object<ImageRef>({ sha256: nonEmpty, mimeType: literal(IMAGE_MIME_TYPES), name: text, size: count });

const answerSource = object<AnswerSource>({ title: text, url: optional(text), snippet: optional(text) });

const toolsOffered = object<ToolsOffered>({ names: arrayOf(text), total: count, mode: literal(TOOL_OFFER_MODES) });

const turn = variants<Turn, 'role'>('role', {
  user: { id: nonEmpty, text, prompt: optional(text), attachments: arrayOf(attachment), images: optional(arrayOf(imageRef)), createdAt: number },
  assistant: {
    id: nonEmpty,
    content: text,
    reasoning: text,
    status: literal(ANSWER_STATUSES),
    model: optional(object<ModelRef & { label: string }>({ providerId: text, modelId: text, label: text })),
    createdAt: number,
    finishedAt: optional(number),
    problem: optional(problem),
    usage: optional(object<UsageFigures>({ inputTokens: optional(count), outputTokens: optional(count) })),
    finishReason: optional(text),
    refusal: optional(text),
    toolCalls: optional(arrayOf(toolCall)),
    toolsOffered: optional(toolsOffered),
    stats: optional(object<AnswerStats>({ firstTokenMs: optional(number), tokensPerSecond: optional(number) })),
    contextNote: optional(text),
    citations: optional(arrayOf(answerSource)),
  },
});

const conversation = object<Conversation>({ id: text, title: text, turns: arrayOf(turn), createdAt: number, updatedAt: number, toolsOff: optional(arrayOf(text)) });

const toolToggleGroup = object<ToolToggleGroup>({
  key: nonEmpty,
  label: text,
  on: boolean,
  tools: arrayOf(object<ToolToggle>({ key: nonEmpty, name: text, description: text, on: boolean })),
});

const page = object<ConversationPage>({ conversation, earlier: count });

const models = object<ModelsState>({
  groups: arrayOf(object<ModelGroup>({
    providerId: text,
    label: text,
    workspaceHost: optional(text),
    models: arrayOf(object<ModelOption>({ id: text, label: text, detail: optional(text) })),
    problem: optional(problem),
  })),
  selected: optional(modelRef),
  loading: boolean,
  localServersNotAnswering: optional(arrayOf(object<LocalServerNotAnswering>({ label: text, address: text, startHint: optional(text) }))),
  discoversLocalServers: optional(boolean),
});

const checkedPluginUi = object<PluginUi>({
  actions: arrayOf(object<ActionButton>({ key: nonEmpty, label: nonEmpty, plugin: text })),
  slashCommands: arrayOf(object<SlashCommand>({ name: text, description: text, source: text })),
  contextProviders: optional(arrayOf(object<ContextProviderEntry>({ name: nonEmpty, description: text, queryHint: optional(text) }))),
});

/**
 * A slash command is completed as the first word of the input: one whose name has a space
 * could never be typed, so it is not offered; a leading slash is the input's, not the name's.
 */
const pluginUi: Check<PluginUi> = (value, path) => {
  const ui = checkedPluginUi(value, path);
  const slashCommands = ui.slashCommands
    .map((command) => ({ ...command, name: command.name.replace(/^\//, '') }))
    .filter((command) => command.name !== '' && !/\s/.test(command.name));
  // A mention ends at the first space: a provider whose name has one could never be typed.
  const contextProviders = ui.contextProviders?.filter((provider) => !/\s/.test(provider.name));
  return { actions: ui.actions, slashCommands, ...(contextProviders ? { contextProviders } : {}) };
};

/** Only an image's own bytes may be shown: a `data:` URI of one of the accepted formats, never an address to fetch. */
const imageDataUri: Check<string> = (value, path) => {
  const uri = text(value, path);
  if (!IMAGE_MIME_TYPES.some((type) => uri.startsWith(`data:${type};base64,`))) throw new ShapeError(path);
  return uri;
};

const contextChip = object<ContextChip>({ id: nonEmpty, kind: literal(CONTEXT_KINDS), label: text, size: text, thumbnail: optional(imageDataUri) });

const imageThumbnail = object<ImageThumbnail>({ sha256: nonEmpty, uri: imageDataUri });

const summary = object<ConversationSummary>({ id: nonEmpty, title: text, createdAt: number, updatedAt: number, turnCount: count, preview: text });

const fileSuggestion = object<FileSuggestion>({ path: nonEmpty, name: text });

/** The fields of each host message, checked against the message types. */
const hostMessageChecks: VariantFields<HostToWebview, 'type'> = {
  init: { page, models, busy: boolean, pluginUi, context: arrayOf(contextChip) },
  pluginUi: { pluginUi },
  models: { models },
  conversationReset: { page },
  turnsPrepended: { conversationId: text, turns: arrayOf(turn), earlier: count },
  history: { items: arrayOf(summary), query: text, currentId: text },
  context: { chips: arrayOf(contextChip) },
  fileSuggestions: { requestId: text, files: arrayOf(fileSuggestion) },
  providerContextAdded: { requestId: text, ok: boolean },
  editTurn: { turnId: nonEmpty, text },
  turnAdded: { turn },
  turnDelta: { turnId: text, content: optional(text), reasoning: optional(text) },
  turnReclassified: { turnId: text },
  turnUpdated: { turn },
  turnsRemoved: { turnIds: arrayOf(nonEmpty) },
  toolCall: { turnId: text, call: toolCall },
  toolsOffered: { turnId: text, offered: toolsOffered },
  busy: { busy: boolean },
  status: { text: optional(text) },
  answerStatus: { turnId: text, text: optional(text) },
  citations: { turnId: text, citations: arrayOf(answerSource) },
  focusInput: {},
  fillInput: { text },
  toolToggles: { conversationId: text, groups: arrayOf(toolToggleGroup) },
  images: { images: arrayOf(imageThumbnail) },
  unsent: { text },
};

/** The message in its declared shape (only the fields it declares), or why it was refused. */
export function parseHostMessage(raw: unknown): { message: HostToWebview } | { rejected: string } {
  const parsed = parseMessage(hostMessageChecks, raw);
  return 'message' in parsed ? parsed : { rejected: parsed.rejected };
}
