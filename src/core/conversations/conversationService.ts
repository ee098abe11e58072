/**
 * The conversations side of the chat: the open conversation and its answers (with the
 * selected model, prompt templates expanded, the plugins' filters and tools), and the saved
 * ones in the history (list, open, rename, delete, export), the last one restored at start.
 */
import type { ActionMessage, ActionResult } from '../api';
import { ChatSession, type SessionSettings } from '../chat/chatSession';
import type { ImageFile } from '../chat/chatImages';
import type { ContextAttachment, Conversation, ConversationSummary, ImageRef } from '../chat/conversation';
import { FilterChain } from '../chat/filterChain';
import type { PromptTemplates } from '../chat/promptTemplates';
import { PatchbayError } from '../errors';
import type { ConversationStore } from '../history/conversationStore';
import { conversationToMarkdown } from '../history/exportMarkdown';
import type { PluginService } from '../plugins/pluginService';
import { realClock, type Clock } from '../ports';
import type { ModelRef } from '../providers/modelRef';
import type { ModelService } from '../providers/modelService';
import type { ToolCallProposal } from '../tools/toolCallView';
import type { ToolSessions } from '../tools/toolSessions';
import { isToggleKey, toolToggleGroups, withToggle, type ToolToggleGroup } from '../tools/toolToggles';
import type { Redactor } from '../util/redactor';

export interface ConversationServiceDeps {
  models: ModelService;
  plugins: PluginService;
  tools: ToolSessions;
  prompts: PromptTemplates;
  settings(): SessionSettings;
  redactor: Redactor;
  /** The conversation that was open last time (read once, by `restore`). */
  loadConversation(): Conversation | undefined | Promise<Conversation | undefined>;
  saveConversation(conversation: Conversation): void;
  /** Saved conversations, for the history list; absent in a window without storage. */
  history?: ConversationStore;
  newId(): string;
  /** What answers' timeouts and waits and the save interval wait on; the real clock unless a test gives its own. */
  clock?: Clock;
}

/** How long closing the window waits for the history's last writes. */
const HISTORY_FLUSH_LIMIT_MS = 3_000;

export class ConversationService {
  private readonly session: ChatSession;
  readonly onEvent: ChatSession['onEvent'];

  constructor(private readonly deps: ConversationServiceDeps) {
    const { models, plugins, redactor } = deps;
    this.session = new ChatSession({
      // Waits for plugins to have loaded (models.resolve does); an answer never starts loading them.
      resolveModel: (model) => models.resolve(model),
      settings: deps.settings,
      save: (conversation) => deps.saveConversation(conversation),
      newId: deps.newId,
      clock: deps.clock ?? realClock,
      filters: (emits) => new FilterChain(plugins.registry.filters(), plugins.callRules, emits),
      expandPrompt: (text) => deps.prompts.expand(text),
      onPluginBug: (pluginId, error) => plugins.fail(pluginId, error),
      warnPlugin: (pluginId, message) => plugins.loggerFor(pluginId).warn(message),
      tools: (context) => deps.tools.create({ ...context, toolsOff: this.session.conversation.toolsOff ?? [] }),
      contextLimits: (model, modelId) => models.contextLimits(model, modelId),
      acceptsImages: (model) => models.acceptsImages(model),
      ...(deps.history ? { images: { save: (id, image) => deps.history!.saveImage(id, image), load: (id, image) => deps.history!.images.load(id, image) } } : {}),
      redact: {
        problem: (problem) => redactor.redactProblem(problem),
        toolCall: (view) => ({
          ...view,
          ...(view.url !== undefined ? { url: redactor.redact(view.url) } : {}),
          ...(view.result !== undefined ? { result: redactor.redactKnown(view.result) } : {}),
          ...(view.note !== undefined ? { note: redactor.redact(view.note) } : {}),
        }),
        stream: () => redactor.streamRedaction(),
        text: (text) => redactor.redactKnown(text),
      },
    });
    this.onEvent = this.session.onEvent;
  }

  get conversation(): Conversation {
    return this.session.conversation;
  }

  get busy(): boolean {
    return this.session.busy;
  }

  /**
   * Asks with the selected model; resolves when the answer has finished, failed or been
   * stopped. Throws before anything is added or sent when the question cannot be asked (busy,
   * images the model cannot read).
   */
  send(text: string, attachments: ContextAttachment[] = [], images: readonly ImageFile[] = []): Promise<void> {
    return this.session.send(text, this.deps.models.selectedModel, attachments, images);
  }

  /** The images' bytes as `data:` URIs by hash, for the chat to show (those that cannot be read are left out). */
  async imageUris(conversationId: string, images: readonly ImageRef[]): Promise<{ sha256: string; uri: string }[]> {
    const found = await Promise.all(images.map(async (image) => {
      const data = conversationId === this.session.conversation.id ? await this.session.imageDataOf(image) : await this.deps.history?.images.load(conversationId, image);
      return data !== undefined ? [{ sha256: image.sha256, uri: `data:${image.mimeType};base64,${data}` }] : [];
    }));
    return found.flat();
  }

  /** Asks the last question again, replacing the answer after it; optionally with another model. */
  retry(model?: ModelRef): Promise<void> {
    return this.session.retry(model);
  }

  continueAnswer(): Promise<void> {
    return this.session.continueAnswer();
  }

  /** Replaces a question and everything after it with the edited question, and asks again with the selected model. */
  editAndResend(turnId: string, text: string): Promise<void> {
    return this.session.editAndResend(turnId, text, this.deps.models.selectedModel);
  }

  deleteTurn(turnId: string): void {
    this.session.deleteTurn(turnId);
  }

  stop(): void {
    this.session.stop();
  }

  /** The tools registered now, each on or off for the open conversation. */
  toolToggles(): ToolToggleGroup[] {
    return toolToggleGroups(this.deps.plugins.registry.tools(), this.session.conversation.toolsOff ?? []);
  }

  /** Turns a tool (`tool:owner/name`) or all of a plugin's tools (`plugin:owner`) on or off for the open conversation. */
  setToolEnabled(key: string, on: boolean): void {
    if (!isToggleKey(key)) throw new Error(`"${key}" names no tool or tool plugin`);
    this.session.setToolsOff(withToggle(this.session.conversation.toolsOff ?? [], key, on));
  }

  newChat(): Promise<void> {
    return this.session.newChat();
  }

  /** Opens the conversation that was open last time, unless one was started meanwhile. */
  async restore(): Promise<void> {
    const restored = await this.deps.loadConversation();
    if (restored && this.session.conversation.turns.length === 0) await this.session.open(restored);
  }

  /** Summaries of saved conversations matching a search (all for an empty one), newest first. */
  async list(query = ''): Promise<ConversationSummary[]> {
    return this.deps.history ? this.deps.history.search(query) : [];
  }

  async open(id: string): Promise<boolean> {
    if (id === this.session.conversation.id) return true;
    const conversation = await this.deps.history?.load(id);
    if (!conversation) return false;
    await this.session.open(conversation);
    return true;
  }

  async rename(id: string, title: string): Promise<void> {
    if (id === this.session.conversation.id) this.session.rename(title);
    else await this.deps.history?.rename(id, title);
  }

  /** Deletes a saved conversation; deleting the open one starts a new chat. */
  async delete(id: string): Promise<void> {
    if (id === this.session.conversation.id) await this.session.newChat();
    await this.deps.history?.delete(id);
  }

  /** The conversation as Markdown, for export. */
  async export(id: string): Promise<{ title: string; markdown: string } | undefined> {
    const conversation = id === this.session.conversation.id ? this.session.conversation : await this.deps.history?.load(id);
    return conversation ? { title: conversation.title, markdown: conversationToMarkdown(conversation, new Date(), this.deps.redactor) } : undefined;
  }

  /**
   * Runs a plugin action on an answer of the open conversation. A result that replaces or
   * extends the answer's text is applied here (shown and saved); the rest (editor, chips,
   * follow-up) is the host's to carry out.
   */
  async runAction(actionKey: string, turnId: string, signal?: AbortSignal): Promise<ActionResult> {
    const result = await this.deps.plugins.runAction(actionKey, () => this.actionMessage(turnId), signal);
    const { replaceMessage, appendToMessage } = result;
    if (replaceMessage !== undefined || appendToMessage !== undefined) {
      const turn = this.session.conversation.turns.find((item) => item.id === turnId);
      const current = turn?.role === 'assistant' ? turn.content : '';
      const changed = replaceMessage ?? `${current}${appendToMessage ?? ''}`;
      // A plugin may hold secrets too: they never reach the chat or the history.
      this.session.changeAnswerText(turnId, this.deps.redactor.redactKnown(changed));
    }
    return result;
  }

  /** Stops the answer and waits (a little) for the history's last writes: closing the window must not cut them off. */
  /** A proposed edit was decided (or Accept refused): its card in the open conversation shows it, and it is saved. */
  showProposal(proposal: ToolCallProposal): void {
    this.session.updateProposal(proposal);
  }

  async dispose(): Promise<void> {
    this.session.dispose();
    await this.deps.history?.flush(HISTORY_FLUSH_LIMIT_MS);
  }

  private actionMessage(turnId: string): ActionMessage {
    const turns = this.session.conversation.turns;
    const index = turns.findIndex((turn) => turn.id === turnId);
    const turn = turns[index];
    if (!turn || turn.role !== 'assistant') throw new PatchbayError('plugin', 'That answer is not in the conversation any more.');
    const question = turns.slice(0, index).findLast((item) => item.role === 'user');
    return {
      content: turn.content,
      reasoning: turn.reasoning,
      question: question?.role === 'user' ? question.text : '',
      ...(turn.model ? { model: turn.model.modelId } : {}),
    };
  }
}
