/**
 * Everything behind the chat panel, assembled: plugins and what they register, the
 * providers and their models, the selected model and the conversation. The VS Code
 * adapter feeds it settings, config files, secrets and storage, and relays its events.
 */
import type { EndpointConfig, EndpointServices, GenerationOptions } from './api/providers';
import { ChatSession } from './chat/chatSession';
import type { ContextAttachment, Conversation, ModelRef } from './chat/conversation';
import { describeError } from './errors';
import type { Logger, SecretPort } from './ports';
import { discoverPlugins, type PluginRoot } from './plugins/discovery';
import { ContributionRegistry } from './plugins/contributionRegistry';
import { PluginHost } from './plugins/pluginHost';
import { ApiKeyStore } from './providers/apiKeys';
import { mergeEndpointLayers, type EndpointLayer } from './providers/endpointLayers';
import { ModelDirectory } from './providers/modelDirectory';
import { ProviderCatalog, type ProviderModels } from './providers/providerCatalog';
import { Emitter } from './util/emitter';
import { Redactor } from './util/redactor';

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

export interface ChatBackendDeps {
  pluginRoots(): PluginRoot[];
  /** Endpoint declarations from user settings and config files, least specific first. */
  endpointLayers(): EndpointLayer[];
  settings(): BackendSettings;
  secrets: SecretPort;
  log: Logger;
  /** Redacts secrets from everything logged, including what plugins log. */
  redactor: Redactor;
  loadConversation(): Conversation | undefined;
  saveConversation(conversation: Conversation): void;
  loadSelectedModel(): ModelRef | undefined;
  saveSelectedModel(model: ModelRef): void;
  newId(): string;
  probeTimeoutMs?: number;
  listTimeoutMs?: number;
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

export class ChatBackend {
  readonly registry = new ContributionRegistry();
  readonly plugins: PluginHost;
  readonly apiKeys: ApiKeyStore;
  readonly catalog: ProviderCatalog;
  readonly models: ModelDirectory;
  readonly session: ChatSession;
  private readonly modelsChanged = new Emitter<ModelsSnapshot>();
  readonly onModelsChanged = this.modelsChanged.event;
  private selected: ModelRef | undefined;
  private loading = false;
  private started: Promise<void> | undefined;

  constructor(private readonly deps: ChatBackendDeps) {
    this.apiKeys = new ApiKeyStore(deps.secrets, (key) => deps.redactor.remember(key));
    this.plugins = new PluginHost({ registry: this.registry, loggerFor: (id) => this.prefixedLogger(`[${id}]`) });
    const servicesFor = (endpoint: EndpointConfig): EndpointServices => {
      const log = this.prefixedLogger(`[${endpoint.id}]`);
      return { getApiKey: () => this.apiKeys.get(endpoint.baseUrl), fetch: loggedFetch(log), log };
    };
    this.catalog = new ProviderCatalog(this.registry, servicesFor);
    this.models = new ModelDirectory(this.catalog, this.registry);
    this.selected = deps.loadSelectedModel();
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
      },
      deps.loadConversation(),
    );
  }

  /** Loads the plugins. Safe to call more than once; later calls share the first. */
  start(): Promise<void> {
    this.started ??= (async () => {
      const { candidates, problems } = await discoverPlugins(this.deps.pluginRoots());
      for (const problem of problems) this.deps.log.warn(`plugin at ${problem.location}: ${problem.message}`);
      await this.plugins.activateAll(candidates);
    })();
    return this.started;
  }

  async refreshModels(): Promise<ModelsSnapshot> {
    await this.start();
    this.loading = true;
    this.modelsChanged.fire(this.snapshot());
    try {
      const settings = this.deps.settings();
      await this.models.refresh({
        declared: mergeEndpointLayers(this.deps.endpointLayers()),
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

  async dispose(): Promise<void> {
    this.session.dispose();
    await this.plugins.deactivateAll();
    this.catalog.dispose();
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

  private prefixedLogger(prefix: string): Logger {
    const log = this.deps.log;
    return {
      debug: (message) => log.debug(`${prefix} ${message}`),
      info: (message) => log.info(`${prefix} ${message}`),
      warn: (message) => log.warn(`${prefix} ${message}`),
      error: (message) => log.error(`${prefix} ${message}`),
    };
  }
}
