/**
 * Everything behind the chat panel, wired together: the plugins, the models, the tools and
 * the conversations, each a service of its own that the VS Code adapter talks to directly.
 * The adapter feeds the root settings, config files, secrets, consent and storage, and calls
 * `start()` when the chat is first needed and `dispose()` when the window closes.
 */
import type { GenerationOptions } from './api';
import { PromptTemplates } from './chat/promptTemplates';
import type { Conversation } from './chat/conversation';
import { ConversationService } from './conversations/conversationService';
import { ContextProviders, type ContextProvidersDeps } from './context/contextProviders';
import { describeError } from './errors';
import { McpService, type McpServiceDeps } from './mcp/mcpService';
import type { ConversationStore } from './history/conversationStore';
import type { Clock, Logger, SecretPort } from './ports';
import type { KindLoader } from './plugins/pluginRuntime';
import { PluginService, type PluginServiceDeps } from './plugins/pluginService';
import type { EndpointLayer, RefusedEndpoint } from './providers/endpointLayers';
import type { ModelEntryProblem, ModelLayer } from './providers/modelAliases';
import type { ModelRef } from './providers/modelRef';
import { ModelService } from './providers/modelService';
import { defaultToolCalling, ToolSessions, type ToolCallingSettings } from './tools/toolSessions';
import type { WorkspaceLooseningPort } from './tools/workspaceLoosening';
import { namedLogger } from './util/namedLogger';
import { EditProposals, type EditProposal } from './workspace/edits/editProposals';
import type { ToolCallProposal } from './tools/toolCallView';
import type { Redactor } from './util/redactor';

export interface ChatSettings {
  discoverLocalServers: boolean;
  idleTimeoutMs: number;
  generation: GenerationOptions;
  systemPrompt?: string;
}

/** What the plugins need from around them is asked of the composition root as it is (see PluginServiceDeps). */
type PluginDeps = Pick<
  PluginServiceDeps,
  'pluginRoots' | 'pluginRules' | 'pluginSettings' | 'workspacePluginSettings' | 'pluginSettingsConsent' | 'consent' | 'askToReplacePlugin' | 'declaredToolSpecs' | 'services'
>;

export interface ChatServicesDeps extends PluginDeps {
  /** Work to finish before plugins load (reading the config files). */
  prepare?(): Promise<void>;
  /** Folders of Markdown prompt templates, most specific first (a workspace's, then the global one). */
  promptFolders?(): { dir: string; source: 'workspace' | 'global' }[];
  kindLoaders?: Partial<Record<'openapi', KindLoader>>;
  /** Per model id, what config.yaml says about it (`models:`). */
  modelOverrides?(): Readonly<Record<string, { contextLength?: number; vision?: boolean }>>;
  /** config.yaml's `models:` sections (aliases and per-model defaults), least specific first. */
  modelLayers?(): ModelLayer[];
  /** Alias entries refused or pointing nowhere, after each model refresh (empty: none). */
  onModelProblems?(problems: readonly ModelEntryProblem[]): void;
  /** Where endpoints' `apiKeyEnv` is read; the process environment unless a test gives its own. */
  environment?(): Readonly<Record<string, string | undefined>>;
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
  settings(): ChatSettings;
  secrets: SecretPort;
  log: Logger;
  /** Redacts secrets from everything logged, including what plugins log. */
  redactor: Redactor;
  /** The conversation that was open last time (read once, when the services start). */
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
  /** What timeouts and waits wait on (plugin activation and calls, tool calls, answers); the real clock unless a test gives its own. */
  clock?: Clock;
  /** Asks the user before a context provider fetches what their approval rules say to ask about. */
  askContextApproval?: ContextProvidersDeps['askApproval'];
  /** MCP servers: their merged definitions (src/core/mcp/mcpConfig.ts), trust and consent; absent, none runs. */
  mcp?: Pick<McpServiceDeps, 'definitions' | 'consent' | 'isWorkspaceTrusted' | 'workspaceFolder'>;
  /** Whether the workspace is trusted: tools that require it (proposing edits) are offered only then; when it is not, only read-only tools, each call asked about. */
  workspaceTrusted?(): boolean;
}

export class ChatServices {
  readonly plugins: PluginService;
  readonly models: ModelService;
  readonly tools: ToolSessions;
  readonly prompts: PromptTemplates;
  readonly conversations: ConversationService;
  readonly mcp: McpService;
  /** Plugins' `@` context providers. */
  readonly context: ContextProviders;
  /** Edits tools proposed, until the user accepts or rejects them (the editor applies them). */
  readonly proposals: EditProposals;
  private started: Promise<void> | undefined;
  /** Settles with the first `start()`: what an answer or a model refresh waits for, never what begins it. */
  private readonly ready: Promise<void>;
  private settleReady: { resolve(): void; reject(error: unknown): void } | undefined;

  constructor(private readonly deps: ChatServicesDeps) {
    this.ready = new Promise<void>((resolve, reject) => (this.settleReady = { resolve, reject }));
    // Nobody may be waiting when a start fails; those who are get the error.
    this.ready.catch(() => undefined);
    const ready = () => this.ready;
    this.plugins = new PluginService({
      ...deps,
      kindLoaders: { ...deps.kindLoaders },
      slashCommands: () => this.prompts.slashCommands(),
    });
    this.models = new ModelService({
      ...deps,
      registry: this.plugins.registry,
      ready,
      workspacePluginIds: () => this.plugins.workspacePluginIds(),
      discoverLocalServers: () => deps.settings().discoverLocalServers,
      maxAnswerTokens: () => deps.settings().generation.maxTokens,
    });
    this.mcp = new McpService({
      definitions: () => deps.mcp?.definitions() ?? { servers: [], problems: [] },
      isWorkspaceTrusted: () => deps.mcp?.isWorkspaceTrusted() ?? false,
      workspaceFolder: () => deps.mcp?.workspaceFolder(),
      ...(deps.mcp?.consent ? { consent: deps.mcp.consent } : {}),
      registry: this.plugins.registry,
      pluginIds: () => new Set(this.plugins.records().map((record) => record.candidate.id)),
      secrets: deps.secrets,
      redactor: deps.redactor,
      log: deps.log,
      ...(deps.clock ? { clock: deps.clock } : {}),
    });
    this.proposals = new EditProposals(deps.newId);
    this.tools = new ToolSessions({
      plugins: {
        registry: this.plugins.registry,
        callRules: this.plugins.callRules,
        isCodePlugin: (id) => this.plugins.isCodePlugin(id),
        // An MCP server owns its tools as a plugin does: "Always allow" is kept for it.
        loadedPlugin: (id) => this.plugins.loadedPlugin(id) ?? this.mcp.ownerOf(id),
      },
      models: this.models,
      settings: () => ({ ...defaultToolCalling, ...deps.toolCalling?.() }),
      alwaysAllowed: () => deps.alwaysAllowedTools?.() ?? new Set(),
      rememberAlwaysAllowed: (key) => deps.rememberAlwaysAllowedTool?.(key),
      workspaceLoosening: () => deps.workspaceLoosening,
      workspaceTrusted: () => deps.workspaceTrusted?.(),
      proposalOf: (id, owner) => {
        const proposal = this.proposals.get(id);
        return proposal?.owner === owner ? proposalOnCard(proposal) : undefined;
      },
      log: namedLogger(deps.log, 'tools'),
    });
    this.context = new ContextProviders({
      registry: this.plugins.registry,
      callRules: this.plugins.callRules,
      approval: () => {
        const settings = { ...defaultToolCalling, ...deps.toolCalling?.() };
        return { rules: settings.approval, ...(settings.workspaceApproval ? { workspaceRules: settings.workspaceApproval } : {}) };
      },
      alwaysAllowed: () => deps.alwaysAllowedTools?.() ?? new Set(),
      rememberAlwaysAllowed: (key) => deps.rememberAlwaysAllowedTool?.(key),
      loadedPlugin: (id) => this.plugins.loadedPlugin(id),
      ...(deps.askContextApproval ? { askApproval: deps.askContextApproval } : {}),
    });
    this.prompts = new PromptTemplates({
      registry: this.plugins.registry,
      callRules: this.plugins.callRules,
      folders: () => deps.promptFolders?.() ?? [],
      log: namedLogger(deps.log, 'prompts'),
      findModel: (modelId) => this.models.findModel(modelId),
      onReload: () => this.plugins.notifyUiChanged(),
    });
    this.conversations = new ConversationService({
      ...deps,
      models: this.models,
      plugins: this.plugins,
      tools: this.tools,
      prompts: this.prompts,
      settings: () => {
        const { generation, idleTimeoutMs, systemPrompt } = deps.settings();
        return { generation, idleTimeoutMs, ...(systemPrompt ? { systemPrompt } : {}) };
      },
    });
    this.proposals.onDidChange((proposal) => this.conversations.showProposal(proposalOnCard(proposal)));
  }

  /**
   * Reads the config, loads the plugins, restores the conversation. Nothing calls this at
   * activation: the host calls it where the chat is first needed (the chat view opening, a
   * command), so VS Code starts as fast with fifty plugins as with none. Later calls share the first.
   */
  start(): Promise<void> {
    this.started ??= (async () => {
      await this.deps.prepare?.();
      await Promise.all([this.plugins.sync(), this.prompts.reload(), this.conversations.restore()]);
      // After the plugins (a server may not take a plugin's id); a slow server never holds up the chat.
      this.mcp.start().catch((error: unknown) => this.deps.log.error(`starting MCP servers failed: ${describeError(error)}`));
    })().then(
      () => this.settleReady?.resolve(),
      (error: unknown) => {
        this.settleReady?.reject(error);
        throw error;
      },
    );
    return this.started;
  }

  get isStarted(): boolean {
    return this.started !== undefined;
  }

  /** An error as a sentence for a notification, with every known secret and key-shaped string taken out. */
  describeForUser(error: unknown): string {
    return this.deps.redactor.redact(describeError(error));
  }

  /** Stops the answer, flushes the history, unloads the plugins. */
  async dispose(): Promise<void> {
    await this.conversations.dispose();
    await this.mcp.dispose();
    await this.plugins.dispose();
    this.models.dispose();
    this.proposals.dispose();
  }
}

function proposalOnCard(proposal: EditProposal): ToolCallProposal {
  const { id, shownPath, change, summary, state, note } = proposal;
  return { id, path: shownPath, change, summary, state, ...(note !== undefined ? { note } : {}) };
}
