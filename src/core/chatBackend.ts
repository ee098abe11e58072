/**
 * Everything behind the chat panel, assembled: plugins and what they register, the
 * providers and their models, the selected model and the conversation. The VS Code
 * adapter feeds it settings, config files, secrets, consent and storage, and relays its
 * events.
 */
import type { ActionResult, EndpointConfig, EndpointServices, GenerationOptions, PluginLogger } from './api';
import { ChatSession } from './chat/chatSession';
import type { ContextAttachment, Conversation, ConversationSummary, ModelRef } from './chat/conversation';
import type { ConversationStore } from './history/conversationStore';
import { conversationToMarkdown } from './history/exportMarkdown';
import { FilterChain } from './chat/filterChain';
import { combineTemplates, expandSlashCommand, loadTemplateFolder, type PromptTemplate } from './chat/promptLibrary';
import { describeError, PatchbayError } from './errors';
import type { Logger, SecretPort } from './ports';
import { ContributionRegistry, type ContributionKind } from './plugins/contributionRegistry';
import { discoverPlugins, type PluginCandidate, type PluginRoot } from './plugins/discovery';
import { callPlugin, PluginCallTimeout } from './plugins/pluginCalls';
import { PluginHost, secretOwner, type KindLoader, type PluginRecord } from './plugins/pluginHost';
import { PluginSecrets } from './plugins/pluginSecrets';
import { selectPlugins, type SelectionRules } from './plugins/pluginSelection';
import { ApiKeyStore } from './providers/apiKeys';
import { WorkspacePluginSettings, type PluginSettingsConsentPort } from './config/workspacePluginSettings';
import { mergeEndpointLayers, type EndpointLayer, type RefusedEndpoint } from './providers/endpointLayers';
import { reservedEndpointIds } from './providers/localServers';
import { ModelDirectory } from './providers/modelDirectory';
import { ProviderCatalog, type ProviderModels } from './providers/providerCatalog';
import { prepareOpenApiPlugin } from './openapi/openApiPlugin';
import { defaultApprovalRules } from './tools/toolPolicy';
import { defaultToolBudget } from './tools/toolSelection';
import type { ToolDecision } from './tools/toolRunner';
import { defaultMaxRounds, ToolSessions, type ToolCallingSettings } from './tools/toolSessions';
import type { WorkspaceLooseningPort } from './tools/workspaceLoosening';
import { DisposableStore } from './util/disposables';
import { Emitter } from './util/emitter';
import { type Redactor } from './util/redactor';

export interface BackendSettings {
  discoverLocalServers: boolean;
  idleTimeoutMs: number;
  generation: GenerationOptions;
  systemPrompt?: string;
}

export interface ModelsSnapshot {
  groups: ProviderModels[];
  selected?: ModelRef;
  loading: boolean;
}

export interface PluginUi {
  actions: { key: string; label: string; plugin: string }[];
  slashCommands: { name: string; description: string; source: string }[];
  commands: { key: string; title: string; plugin: string }[];
}

export interface ChatBackendDeps {
  /** Work to finish before plugins load (reading the config files). */
  prepare?(): Promise<void>;
  /** Bundled, global and workspace plugin folders, least specific first. */
  pluginRoots(): PluginRoot[];
  pluginRules(): SelectionRules;
  /** A plugin's section of `plugins.config` in the user's own (global) config.yaml. */
  pluginSettings(pluginId: string): Record<string, unknown> | undefined;
  /** A plugin's section of `plugins.config` in the workspace folders' config.yaml (see workspacePluginSettings.ts). */
  workspacePluginSettings?(pluginId: string): Record<string, unknown> | undefined;
  /** Keeps and asks for consent to a workspace changing the settings of the user's plugins; without it, none counts. */
  pluginSettingsConsent?: PluginSettingsConsentPort;
  /** Asked before a workspace plugin's code first runs. */
  consent?(candidate: PluginCandidate): Promise<boolean>;
  /** Asks whether a workspace plugin may replace one of the user's (the answer reaches `pluginRules`). */
  askToReplacePlugin?(workspacePlugin: PluginCandidate, usersPlugin: PluginCandidate): Promise<void>;
  /** Folders of Markdown prompt templates, most specific first (a workspace's, then the global one). */
  promptFolders?(): { dir: string; source: 'workspace' | 'global' }[];
  /** OpenAPI specs listed under `tools:` in config files, as plugin candidates. */
  declaredToolSpecs?(): PluginCandidate[];
  kindLoaders?: Partial<Record<'openapi', KindLoader>>;
  /** Per model id, what config.yaml says about it (`models:`). */
  modelOverrides?(): Readonly<Record<string, { contextLength?: number }>>;
  /** Tool approval rules, budgets and per-model modes from config.yaml. */
  toolCalling?(): Partial<ToolCallingSettings>;
  /** Tools the user chose to "Always allow" (keys made by `alwaysAllowKey`), remembered per workspace. */
  alwaysAllowedTools?(): ReadonlySet<string>;
  rememberAlwaysAllowedTool?(key: string): void;
  /** Keeps and asks for consent to a workspace config loosening tool approval; without it, none counts. */
  workspaceLoosening?: WorkspaceLooseningPort;
  /** Endpoint declarations from user settings and config files, least specific first. */
  endpointLayers(): EndpointLayer[];
  /** Workspace endpoint entries refused because they would replace the user's (empty: none). */
  onEndpointsRefused?(refused: readonly RefusedEndpoint[]): void;
  settings(): BackendSettings;
  secrets: SecretPort;
  log: Logger;
  /** Redacts secrets from everything logged, including what plugins log. */
  redactor: Redactor;
  /** The conversation that was open last time (read once, when the backend starts). */
  loadConversation(): Conversation | undefined | Promise<Conversation | undefined>;
  saveConversation(conversation: Conversation): void;
  /** Saved conversations, for the history list; absent in a window without storage. */
  history?: ConversationStore;
  loadSelectedModel(): ModelRef | undefined;
  saveSelectedModel(model: ModelRef): void;
  newId(): string;
  probeTimeoutMs?: number;
  listTimeoutMs?: number;
  /** How long a filter, prompt template, action or command may run. */
  pluginCallTimeoutMs?: number;
  activationTimeoutMs?: number;
}

export const defaultToolCalling: ToolCallingSettings = {
  approval: defaultApprovalRules,
  maxRounds: defaultMaxRounds,
  budget: defaultToolBudget,
  modelModes: {},
  timeoutMs: 60_000,
  maxResultChars: 16_000,
};
const PROVIDER_KINDS: ContributionKind[] = ['providerType', 'provider'];
const UI_KINDS: ContributionKind[] = ['action', 'promptTemplate', 'command'];
/** How long closing the window waits for the history's last writes. */
const HISTORY_FLUSH_LIMIT_MS = 3_000;

export class ChatBackend {
  readonly registry = new ContributionRegistry();
  readonly plugins: PluginHost;
  readonly apiKeys: ApiKeyStore;
  private readonly pluginSecrets: PluginSecrets;
  private readonly pluginSettings: WorkspacePluginSettings;
  private readonly replacementQuestions = new Set<string>();
  readonly catalog: ProviderCatalog;
  readonly models: ModelDirectory;
  readonly session: ChatSession;
  readonly tools: ToolSessions;
  private readonly modelsChanged = new Emitter<ModelsSnapshot>();
  readonly onModelsChanged = this.modelsChanged.event;
  private readonly pluginUiChanged = new Emitter<PluginUi>();
  readonly onPluginUiChanged = this.pluginUiChanged.event;
  private selected: ModelRef | undefined;
  /** Templates read from prompt folders, most specific folder first. */
  private templateFiles: PromptTemplate[] = [];
  private loading = false;
  private started: Promise<void> | undefined;
  /** Set once the first plugin load is over; from then on provider changes refresh the models. */
  private pluginsReady = false;
  private syncing: Promise<void> = Promise.resolve();
  private modelRefreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions = new DisposableStore();

  constructor(private readonly deps: ChatBackendDeps) {
    this.apiKeys = new ApiKeyStore(deps.secrets, (key) => deps.redactor.remember(key));
    this.pluginSecrets = new PluginSecrets(deps.secrets, (value) => deps.redactor.remember(value));
    this.pluginSettings = new WorkspacePluginSettings({
      user: (id) => deps.pluginSettings(id),
      workspace: (id) => deps.workspacePluginSettings?.(id),
      port: () => deps.pluginSettingsConsent,
      answered: () => void this.syncPlugins().catch((error: unknown) => deps.log.error(`reloading plugins failed: ${describeError(error)}`)),
      failed: (error) => deps.log.error(`asking about the workspace's plugin settings failed: ${describeError(error)}`),
    });
    this.plugins = new PluginHost({
      registry: this.registry,
      loggerFor: (id) => this.loggerFor(id),
      secret: (owner, key) => this.pluginSecrets.get(owner, key),
      ...(deps.consent ? { consent: deps.consent } : {}),
      kindLoaders: { openapi: (candidate) => prepareOpenApiPlugin(candidate), ...deps.kindLoaders },
      ...(deps.activationTimeoutMs ? { activationTimeoutMs: deps.activationTimeoutMs } : {}),
    });
    const servicesFor = (endpoint: EndpointConfig): EndpointServices => {
      const log = this.loggerFor(endpoint.id);
      return { getApiKey: () => this.apiKeys.get(endpoint.baseUrl), fetch: loggedFetch(log), log };
    };
    this.catalog = new ProviderCatalog(this.registry, servicesFor, (problem) => deps.redactor.redactProblem(problem));
    this.models = new ModelDirectory(this.catalog, this.registry);
    this.selected = deps.loadSelectedModel();
    this.tools = new ToolSessions({
      registry: this.registry,
      settings: () => ({ ...defaultToolCalling, ...deps.toolCalling?.() }),
      modelSupportsTools: (model, modelId) =>
        this.models.current.find((group) => group.providerId === model?.providerId)?.models.find((item) => item.id === modelId)?.capabilities?.tools,
      alwaysAllowed: () => deps.alwaysAllowedTools?.() ?? new Set(),
      rememberAlwaysAllowed: (key) => deps.rememberAlwaysAllowedTool?.(key),
      pluginOf: (id) => this.plugins.plugins().find((record) => record.candidate.id === id && record.status === 'loaded')?.candidate,
      workspaceLoosening: () => deps.workspaceLoosening,
      loggerFor: (id) => this.loggerFor(id),
      signalOf: (id) => this.plugins.signalOf(id),
      failPlugin: (id, error) => void this.plugins.fail(id, error),
      isCodePlugin: (id) => this.plugins.plugins().some((record) => record.candidate.id === id && record.candidate.kind === 'code'),
      log: this.loggerFor('tools'),
    });
    const callHooks = {
      loggerFor: (id: string) => this.loggerFor(id),
      signalOf: (id: string) => this.plugins.signalOf(id),
      timeoutMs: this.callTimeoutMs,
    };
    this.session = new ChatSession(
      {
        resolveModel: (model) => this.start().then(() => this.models.resolve(model)),
        settings: () => {
          const settings = deps.settings();
          return {
            generation: settings.generation,
            idleTimeoutMs: settings.idleTimeoutMs,
            ...(settings.systemPrompt ? { systemPrompt: settings.systemPrompt } : {}),
          };
        },
        save: (conversation) => deps.saveConversation(conversation),
        newId: deps.newId,
        now: Date.now,
        filters: () => new FilterChain(this.registry.filters(), { ...callHooks, fail: (id, error) => void this.plugins.fail(id, error) }),
        expandPrompt: async (text) => {
          const expanded = await expandSlashCommand(text, this.promptTemplates(), callHooks);
          if (!expanded) return undefined;
          const model = expanded.model ? this.findModel(expanded.model) : undefined;
          return model ? { prompt: expanded.prompt, model } : { prompt: expanded.prompt };
        },
        onPluginBug: (pluginId, error) => void this.plugins.fail(pluginId, error),
        tools: (context) => this.tools.create(context),
        contextLimits: (model, modelId) => this.contextLimits(model, modelId),
        redact: {
          problem: (problem) => deps.redactor.redactProblem(problem),
          toolCall: (view) => ({
            ...view,
            ...(view.url !== undefined ? { url: deps.redactor.redact(view.url) } : {}),
            ...(view.result !== undefined ? { result: deps.redactor.redactKnown(view.result) } : {}),
            ...(view.note !== undefined ? { note: deps.redactor.redact(view.note) } : {}),
          }),
        },
      },
    );
    this.subscriptions.add(
      this.registry.onDidChange((kind) => {
        if (PROVIDER_KINDS.includes(kind)) this.scheduleModelRefresh();
        if (UI_KINDS.includes(kind)) this.pluginUiChanged.fire(this.pluginUi());
      }),
    );
  }

  /**
   * Reads the config, loads the plugins, restores the conversation. Nothing calls this at
   * activation: the first thing that needs it does (the chat view opening, a command), so
   * VS Code starts as fast with fifty plugins as with none. Later calls share the first.
   */
  start(): Promise<void> {
    this.started ??= (async () => {
      await this.deps.prepare?.();
      await Promise.all([this.syncPlugins(), this.reloadPromptFiles(), this.restoreConversation()]);
      this.pluginsReady = true;
    })();
    return this.started;
  }

  get isStarted(): boolean {
    return this.started !== undefined;
  }

  /**
   * Finds plugins again and brings the loaded set in line: new ones load, removed or newly
   * disabled ones unload, changed ones (files under `changedLocations`, or their settings)
   * reload. Runs one at a time.
   */
  syncPlugins(options: { changedLocations?: ReadonlySet<string>; reloadAll?: boolean } = {}): Promise<void> {
    const run = async () => {
      const { candidates, problems } = await discoverPlugins(this.deps.pluginRoots());
      for (const problem of problems) this.deps.log.warn(`plugin at ${problem.location}: ${problem.message}`);
      const selection = selectPlugins([...candidates, ...(this.deps.declaredToolSpecs?.() ?? [])], this.deps.pluginRules());
      for (const { candidate, why } of selection.notLoaded) if (why.status === 'waiting-for-consent') this.askToReplace(candidate, why.replaces);
      await this.plugins.sync(selection, { settingsFor: this.pluginSettings.settingsFor(selection.active), ...options });
    };
    this.syncing = this.syncing.then(run, run);
    return this.syncing;
  }

  async refreshModels(): Promise<ModelsSnapshot> {
    await this.start();
    this.loading = true;
    this.modelsChanged.fire(this.snapshot());
    try {
      const settings = this.deps.settings();
      const workspacePlugins = new Set(this.pluginRecords().filter((record) => record.candidate.source === 'workspace' && record.status === 'loaded').map((record) => record.candidate.id));
      const merged = mergeEndpointLayers(this.deps.endpointLayers(), reservedEndpointIds(this.registry, (id) => workspacePlugins.has(id)));
      this.deps.onEndpointsRefused?.(merged.refused);
      for (const refused of merged.refused) this.deps.log.warn(`${refused.file ?? 'workspace config'}: ${refused.message}`);
      await this.models.refresh({
        declared: merged.endpoints,
        discoverLocalServers: settings.discoverLocalServers,
        probeTimeoutMs: this.deps.probeTimeoutMs ?? 1500,
        listTimeoutMs: this.deps.listTimeoutMs ?? 8000,
      });
    } finally {
      this.loading = false;
    }
    this.ensureSelection();
    const snapshot = this.snapshot();
    this.modelsChanged.fire(snapshot);
    return snapshot;
  }

  snapshot(): ModelsSnapshot {
    return { groups: this.models.current, loading: this.loading, ...(this.selected ? { selected: this.selected } : {}) };
  }

  get selectedModel(): ModelRef | undefined {
    return this.selected;
  }

  selectModel(model: ModelRef): void {
    this.selected = { providerId: model.providerId, modelId: model.modelId };
    this.deps.saveSelectedModel(this.selected);
    this.modelsChanged.fire(this.snapshot());
  }

  send(text: string, attachments: ContextAttachment[] = []): Promise<void> {
    return this.session.send(text, this.selected, attachments);
  }

  /** Summaries of saved conversations matching a search (all for an empty one), newest first. */
  async listConversations(query = ''): Promise<ConversationSummary[]> {
    return this.deps.history ? this.deps.history.search(query) : [];
  }

  async openConversation(id: string): Promise<boolean> {
    if (id === this.session.conversation.id) return true;
    const conversation = await this.deps.history?.load(id);
    if (!conversation) return false;
    await this.session.open(conversation);
    return true;
  }

  async renameConversation(id: string, title: string): Promise<void> {
    if (id === this.session.conversation.id) this.session.rename(title);
    else await this.deps.history?.rename(id, title);
  }

  /** Deletes a saved conversation; deleting the open one starts a new chat. */
  async deleteConversation(id: string): Promise<void> {
    if (id === this.session.conversation.id) await this.session.newChat();
    await this.deps.history?.delete(id);
  }

  /** The conversation as Markdown, for export. */
  async exportConversation(id: string): Promise<{ title: string; markdown: string } | undefined> {
    const conversation = id === this.session.conversation.id ? this.session.conversation : await this.deps.history?.load(id);
    return conversation ? { title: conversation.title, markdown: conversationToMarkdown(conversation, new Date(), this.deps.redactor) } : undefined;
  }

  /** Every prompt template: from prompt folders, plugins and the built-in ones. */
  promptTemplates(): PromptTemplate[] {
    return combineTemplates(this.templateFiles, this.registry.promptTemplates());
  }

  /** Reads the prompt folders again (their files changed). */
  async reloadPromptFiles(): Promise<void> {
    const folders = this.deps.promptFolders?.() ?? [];
    const loaded = await Promise.all(folders.map((folder) => loadTemplateFolder(folder.dir, folder.source, this.loggerFor('prompts'))));
    this.templateFiles = loaded.flat();
    this.pluginUiChanged.fire(this.pluginUi());
  }

  /** The model's window (config.yaml's `models.<id>.contextLength` first) and room for its answer. */
  contextLimits(model: ModelRef | undefined, modelId: string): { windowTokens: number; answerTokens: number } | undefined {
    const configured = this.deps.modelOverrides?.()[modelId]?.contextLength;
    const listed = this.models.current.find((group) => group.providerId === model?.providerId)?.models.find((item) => item.id === modelId)?.contextLength;
    const windowTokens = configured ?? listed;
    if (windowTokens === undefined || windowTokens <= 0) return undefined;
    const requested = this.deps.settings().generation.maxTokens;
    return { windowTokens, answerTokens: Math.min(requested ?? 2048, Math.floor(windowTokens / 4)) };
  }

  /** A model by id, preferring the selected model's provider. */
  findModel(modelId: string): ModelRef | undefined {
    const groups = this.models.current;
    const preferred = groups.find((group) => group.providerId === this.selected?.providerId && group.models.some((model) => model.id === modelId));
    const group = preferred ?? groups.find((item) => item.models.some((model) => model.id === modelId));
    return group ? { providerId: group.providerId, modelId } : undefined;
  }

  /** The user's answer on a tool call's approval card. */
  decideToolCall(callId: string, decision: ToolDecision): void {
    this.tools.decide(callId, decision);
  }

  pluginRecords(): PluginRecord[] {
    return this.plugins.plugins();
  }

  pluginUi(): PluginUi {
    return {
      actions: this.registry.all('action').map(({ owner, definition }) => ({ key: `${owner}/${definition.id}`, label: definition.label, plugin: owner })),
      slashCommands: this.promptTemplates().map((template) => ({ name: template.name, description: template.description, source: template.source })),
      commands: this.registry.all('command').map(({ owner, definition }) => ({ key: `${owner}/${definition.id}`, title: definition.title, plugin: owner })),
    };
  }

  /** Runs a plugin action on an answer. A hang marks the plugin failed; a thrown error is the action's own. */
  async runAction(actionKey: string, turnId: string, signal?: AbortSignal): Promise<ActionResult | void> {
    const action = this.registry.all('action').find(({ owner, definition }) => `${owner}/${definition.id}` === actionKey);
    if (!action) throw new PatchbayError('plugin', 'That action is not available any more (its plugin was unloaded).');
    const turns = this.session.conversation.turns;
    const index = turns.findIndex((turn) => turn.id === turnId);
    const turn = turns[index];
    if (!turn || turn.role !== 'assistant') throw new PatchbayError('plugin', 'That answer is not in the conversation any more.');
    const question = turns.slice(0, index).findLast((item) => item.role === 'user');
    const message = {
      content: turn.content,
      reasoning: turn.reasoning,
      question: question?.role === 'user' ? question.text : '',
      ...(turn.model ? { model: turn.model.modelId } : {}),
    };
    return this.callWatched(action.owner, `action "${action.definition.label}"`, signal, (context) => action.definition.run(message, context));
  }

  async runCommand(commandKey: string, signal?: AbortSignal): Promise<ActionResult | void> {
    const command = this.registry.all('command').find(({ owner, definition }) => `${owner}/${definition.id}` === commandKey);
    if (!command) throw new PatchbayError('plugin', 'That command is not available any more (its plugin was unloaded).');
    return this.callWatched(command.owner, `command "${command.definition.title}"`, signal, (context) => command.definition.run(context));
  }

  /** A plugin's secret, as saved for that plugin where it was found (and for its API's origin). */
  pluginSecret(record: Pick<PluginRecord, 'candidate' | 'credentialOrigin'>, key: string): Promise<string | undefined> {
    return this.pluginSecrets.get(secretOwner(record), key);
  }

  async setPluginSecret(record: Pick<PluginRecord, 'candidate' | 'credentialOrigin'>, key: string, value: string | undefined): Promise<void> {
    await this.pluginSecrets.set(secretOwner(record), key, value);
  }

  /** An error as a sentence for a notification, with every known secret and key-shaped string taken out. */
  describeForUser(error: unknown): string {
    return this.deps.redactor.redact(describeError(error));
  }

  async dispose(): Promise<void> {
    if (this.modelRefreshTimer) clearTimeout(this.modelRefreshTimer);
    this.subscriptions.dispose();
    this.session.dispose();
    // The session's last save is under way: closing the window must not cut it off.
    await this.deps.history?.flush(HISTORY_FLUSH_LIMIT_MS);
    await this.plugins.unloadAll();
    this.catalog.dispose();
  }

  /** One question per workspace plugin at a time; the answer brings a new sync. */
  private askToReplace(workspacePlugin: PluginCandidate, usersPlugin: PluginCandidate): void {
    const ask = this.deps.askToReplacePlugin;
    if (!ask || this.replacementQuestions.has(workspacePlugin.location)) return;
    this.replacementQuestions.add(workspacePlugin.location);
    void ask(workspacePlugin, usersPlugin)
      .then(() => this.syncPlugins())
      .catch((error: unknown) => this.deps.log.error(`asking about plugin "${workspacePlugin.id}" failed: ${describeError(error)}`))
      .finally(() => this.replacementQuestions.delete(workspacePlugin.location));
  }

  private async restoreConversation(): Promise<void> {
    const restored = await this.deps.loadConversation();
    if (restored && this.session.conversation.turns.length === 0) await this.session.open(restored);
  }

  private get callTimeoutMs(): number {
    return this.deps.pluginCallTimeoutMs ?? 30_000;
  }

  private async callWatched<T>(pluginId: string, what: string, signal: AbortSignal | undefined, run: Parameters<typeof callPlugin<T>>[1]): Promise<T> {
    const pluginSignal = this.plugins.signalOf(pluginId);
    try {
      return await callPlugin(
        { pluginId, what, timeoutMs: this.callTimeoutMs, log: this.loggerFor(pluginId), ...(signal ? { signal } : {}), ...(pluginSignal ? { pluginSignal } : {}) },
        run,
      );
    } catch (error) {
      if (error instanceof PluginCallTimeout) void this.plugins.fail(pluginId, error);
      throw new PatchbayError('plugin', `The ${what} of plugin "${pluginId}" failed: ${describeError(error)}`, { actions: ['showLogs'], cause: error });
    }
  }

  /** Models change when a provider plugin loads or unloads; several changes make one refresh. */
  private scheduleModelRefresh(): void {
    if (!this.pluginsReady) return;
    if (this.modelRefreshTimer) clearTimeout(this.modelRefreshTimer);
    this.modelRefreshTimer = setTimeout(() => {
      this.modelRefreshTimer = undefined;
      this.refreshModels().catch((error: unknown) => this.deps.log.error(`refreshing models failed: ${describeError(error)}`));
    }, 100);
  }

  /** Keeps a remembered model while its server is merely down; picks one when there is none. */
  private ensureSelection(): void {
    const groups = this.models.current;
    if (this.selected) {
      const group = groups.find((item) => item.providerId === this.selected?.providerId);
      const stillListed = group?.models.some((model) => model.id === this.selected?.modelId);
      if (stillListed || (group && group.problem)) return;
    }
    const first = groups.find((group) => group.models.length > 0);
    const model = first?.models[0];
    if (first && model) this.selectModel({ providerId: first.providerId, modelId: model.id });
  }

  private loggerFor(name: string): Logger & PluginLogger {
    const log = this.deps.log;
    const prefix = `[${name}]`;
    return {
      debug: (message) => log.debug(`${prefix} ${message}`),
      info: (message) => log.info(`${prefix} ${message}`),
      warn: (message) => log.warn(`${prefix} ${message}`),
      error: (message) => log.error(`${prefix} ${message}`),
    };
  }
}

/** `fetch` that writes each request's method, URL and status to the debug log (never headers). */
function loggedFetch(log: Logger): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    try {
      const response = await fetch(input, init);
      log.debug(`${method} ${url} -> ${response.status}`);
      return response;
    } catch (error) {
      log.debug(`${method} ${url} -> ${describeError(error)}`);
      throw error;
    }
  };
}
