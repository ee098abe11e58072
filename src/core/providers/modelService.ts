/**
 * The models side of the chat: API keys, the providers plugins register, the list of their
 * models (with local servers found on their default ports), the model the user selected,
 * and the one lookup everyone asks about a model.
 */
import type { EndpointServices } from '../api';
import { describeError } from '../errors';
import type { Logger, SecretPort } from '../ports';
import type { ContributionKind, ContributionRegistry } from '../plugins/contributionRegistry';
import { DisposableStore } from '../util/disposables';
import { Emitter } from '../util/emitter';
import { namedLogger } from '../util/namedLogger';
import type { Redactor } from '../util/redactor';
import { ApiKeyStore } from './apiKeys';
import { HeaderSecretStore, resolveHeaders } from './endpointHeaders';
import { mergeEndpointLayers, type EndpointLayer, type RefusedEndpoint } from './endpointLayers';
import { loggedFetch } from './loggedFetch';
import { reservedEndpointIds } from './localServers';
import { ModelDirectory, type LocalServerLookedFor } from './modelDirectory';
import { aliasDetails, aliasTarget, ALIAS_PROVIDER_ID, mergeModelLayers, type ModelEntries, type ModelEntryProblem, type ModelLayer } from './modelAliases';
import { PatchbayError } from '../errors';
import type { ModelRef } from './modelRef';
import { ProviderCatalog, type DeclaredEndpoint, type ProviderModels } from './providerCatalog';
import type { ResolvedModel } from './resolvedModel';

export interface ModelsSnapshot {
  groups: ProviderModels[];
  selected?: ModelRef;
  loading: boolean;
  /** The local servers looked for on their default ports that did not answer. */
  localServersNotAnswering: readonly LocalServerLookedFor[];
  /** Whether Patchbay looks for local servers at all (`patchbay.discoverLocalServers`). */
  discoversLocalServers: boolean;
}

export interface ModelServiceDeps {
  registry: ContributionRegistry;
  secrets: SecretPort;
  redactor: Redactor;
  log: Logger;
  /** Resolves once plugins have loaded (the composition root's `start()`); until then nothing lists models. */
  ready(): Promise<void>;
  /** Ids of the loaded workspace plugins: their provider ids may not replace the user's endpoints. */
  workspacePluginIds(): ReadonlySet<string>;
  /** Endpoint declarations from user settings and config files, least specific first. */
  endpointLayers(): EndpointLayer[];
  /** Workspace endpoint entries refused because they would replace the user's (empty: none). */
  onEndpointsRefused?(refused: readonly RefusedEndpoint[]): void;
  discoverLocalServers(): boolean;
  /** The answer length the user asked for, if any. */
  maxAnswerTokens(): number | undefined;
  /** Per model id, what config.yaml says about it (`models:`). */
  modelOverrides?(): Readonly<Record<string, { contextLength?: number; vision?: boolean }>>;
  /** config.yaml's `models:` sections (aliases and per-model defaults), least specific first. */
  modelLayers?(): ModelLayer[];
  /** Alias entries refused or pointing nowhere, after each refresh (empty: none). */
  onModelProblems?(problems: readonly ModelEntryProblem[]): void;
  loadSelectedModel(): ModelRef | undefined;
  saveSelectedModel(model: ModelRef): void;
  probeTimeoutMs?: number;
  listTimeoutMs?: number;
  /** Where `apiKeyEnv` is read; the process environment unless a test gives its own. */
  environment?(): Readonly<Record<string, string | undefined>>;
}

const PROVIDER_KINDS: ContributionKind[] = ['providerType', 'provider'];

export class ModelService {
  readonly apiKeys: ApiKeyStore;
  /** Values for endpoints' `${secret:name}` headers, per origin. */
  readonly headerSecrets: HeaderSecretStore;
  readonly catalog: ProviderCatalog;
  readonly directory: ModelDirectory;
  private readonly changed = new Emitter<ModelsSnapshot>();
  readonly onModelsChanged = this.changed.event;
  private selected: ModelRef | undefined;
  // Loading until the first refresh is over, so nobody is told "no models" before any were looked for.
  private loading = true;
  private listedOnce = false;
  /** Set once the first plugin load is over; from then on provider changes refresh the models. */
  private pluginsReady = false;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** `models:` as merged at the last refresh (workspace aliases judged against the user's models). */
  private entries: ModelEntries = { aliases: new Map(), defaults: new Map(), refused: [] };
  /** The aliases whose target is listed or only not answering now: the ones the picker shows. */
  private usableAliases: string[] = [];
  private readonly subscriptions = new DisposableStore();

  constructor(private readonly deps: ModelServiceDeps) {
    this.apiKeys = new ApiKeyStore(deps.secrets, (key) => deps.redactor.remember(key));
    this.headerSecrets = new HeaderSecretStore(deps.secrets, (secret) => deps.redactor.remember(secret));
    const servicesFor = (endpoint: DeclaredEndpoint): EndpointServices => {
      const log = namedLogger(deps.log, endpoint.id);
      return {
        getApiKey: () => (endpoint.apiKeyEnv !== undefined ? Promise.resolve(this.keyFromEnvironment(endpoint.apiKeyEnv)) : this.apiKeys.get(endpoint.baseUrl)),
        headers: () => resolveHeaders(endpoint, this.headerSecrets),
        fetch: loggedFetch(log),
        log,
      };
    };
    this.catalog = new ProviderCatalog(deps.registry, servicesFor, (problem) => deps.redactor.redactProblem(problem), (pluginId) => namedLogger(deps.log, pluginId));
    this.directory = new ModelDirectory(this.catalog, deps.registry);
    this.selected = deps.loadSelectedModel();
    deps.ready().then(
      () => void (this.pluginsReady = true),
      () => undefined,
    );
    this.subscriptions.add(deps.registry.onDidChange((kind) => void (PROVIDER_KINDS.includes(kind) && this.scheduleRefresh())));
  }

  /** Lists every provider's models again (after plugins have loaded) and keeps a selection. */
  async refresh(): Promise<ModelsSnapshot> {
    await this.deps.ready();
    this.loading = true;
    this.changed.fire(this.snapshot());
    try {
      const workspacePlugins = this.deps.workspacePluginIds();
      const merged = mergeEndpointLayers(this.deps.endpointLayers(), reservedEndpointIds(this.deps.registry, (id) => workspacePlugins.has(id)));
      this.deps.onEndpointsRefused?.(merged.refused);
      for (const refused of merged.refused) this.deps.log.warn(`${refused.file ?? 'workspace config'}: ${refused.message}`);
      await this.directory.refresh({
        declared: merged.endpoints,
        discoverLocalServers: this.deps.discoverLocalServers(),
        probeTimeoutMs: this.deps.probeTimeoutMs ?? 1500,
        listTimeoutMs: this.deps.listTimeoutMs ?? 8000,
      });
      this.listedOnce = true;
    } finally {
      this.loading = false;
    }
    this.judgeModelEntries();
    this.ensureSelection();
    const snapshot = this.snapshot();
    this.changed.fire(snapshot);
    return snapshot;
  }

  /** The models as listed; the first caller has them listed when nobody has yet (a listing under way is shared). */
  async listed(): Promise<ModelsSnapshot> {
    return this.listedOnce ? this.snapshot() : this.refresh();
  }

  snapshot(): ModelsSnapshot {
    const aliases = this.aliasGroup();
    return {
      groups: aliases ? [aliases, ...this.directory.current] : this.directory.current,
      loading: this.loading,
      localServersNotAnswering: this.directory.localServersNotAnswering,
      discoversLocalServers: this.deps.discoverLocalServers(),
      ...(this.selected ? { selected: this.selected } : {}),
    };
  }

  get selectedModel(): ModelRef | undefined {
    return this.selected;
  }

  select(model: ModelRef): void {
    this.selected = { providerId: model.providerId, modelId: model.modelId };
    this.deps.saveSelectedModel(this.selected);
    this.changed.fire(this.snapshot());
  }

  /** A model by id or alias name (an alias first: a workspace's never has a listed model's name), preferring the selected model's provider. */
  findModel(modelId: string): ModelRef | undefined {
    if (this.entries.aliases.has(modelId)) return { providerId: ALIAS_PROVIDER_ID, modelId };
    const found = this.directory.find(modelId, { prefer: this.selected?.providerId });
    return found ? { providerId: found.group.providerId, modelId } : undefined;
  }

  /** What the server said the model can do with tools (undefined: not known). */
  supportsTools(model: ModelRef | undefined, modelId: string): boolean | undefined {
    return this.directory.find(modelId, { only: this.concrete(model)?.providerId })?.model.capabilities?.tools;
  }

  /**
   * Whether the model reads images: config.yaml's `vision:` (an alias's own entry first, then its
   * target model's), else what its server said; undefined when neither tells.
   */
  acceptsImages(model: ModelRef | undefined): boolean | undefined {
    if (!model) return undefined;
    const overrides = this.deps.modelOverrides?.() ?? {};
    const concrete = this.concrete(model);
    const configured = (model.providerId === ALIAS_PROVIDER_ID ? overrides[model.modelId]?.vision : undefined) ?? (concrete ? overrides[concrete.modelId]?.vision : undefined);
    if (configured !== undefined) return configured;
    return concrete ? this.directory.find(concrete.modelId, { only: concrete.providerId })?.model.capabilities?.vision : undefined;
  }

  /** Whether the model's provider passes `request.tools` on: its plugin says so, or the model's listing does. */
  providerTakesTools(model: ModelRef | undefined, modelId: string): boolean {
    if (this.supportsTools(model, modelId) === true) return true;
    const concrete = this.concrete(model);
    return concrete !== undefined && this.catalog.find(concrete.providerId)?.supportsTools === true;
  }

  /** The model's window (config.yaml's `models.<id>.contextLength` first) and room for its answer. */
  contextLimits(model: ModelRef | undefined, modelId: string): { windowTokens: number; answerTokens: number } | undefined {
    const alias = model?.providerId === ALIAS_PROVIDER_ID ? this.entries.aliases.get(model.modelId) : undefined;
    const configured = alias?.contextLength ?? this.deps.modelOverrides?.()[modelId]?.contextLength;
    const listed = this.directory.find(modelId, { only: this.concrete(model)?.providerId })?.model.contextLength;
    const windowTokens = configured ?? listed;
    if (windowTokens === undefined || windowTokens <= 0) return undefined;
    const requested = this.deps.maxAnswerTokens();
    return { windowTokens, answerTokens: Math.min(requested ?? 2048, Math.floor(windowTokens / 4)) };
  }

  /** The provider instance that answers with the model, once plugins have loaded. Throws a PatchbayError when there is none. */
  async resolve(model: ModelRef | undefined): Promise<ResolvedModel> {
    await this.deps.ready();
    if (model?.providerId !== ALIAS_PROVIDER_ID) {
      const resolved = await this.directory.resolve(model);
      const defaults = model ? this.entries.defaults.get(model.modelId) : undefined;
      return defaults ? { ...resolved, defaults } : resolved;
    }
    const alias = this.entries.aliases.get(model.modelId);
    if (!alias) {
      throw new PatchbayError('model-not-found', `The alias "${model.modelId}" is not in config.yaml any more.`, {
        hint: 'Pick another model, or add the alias back under models: in config.yaml.',
        actions: ['selectModel', 'openConfig'],
      });
    }
    const found = aliasTarget(alias, this.directory.current);
    if (found.kind !== 'found') throw new PatchbayError('model-not-found', `${found.message}.`, { hint: 'Fix its use: in config.yaml (provider/model), or pick another model.', actions: ['openConfig', 'selectModel', 'refreshModels'] });
    const resolved = await this.directory.resolve(found.target);
    const targetDefaults = this.entries.defaults.get(found.target.modelId);
    const systemPrompt = alias.defaults.systemPrompt ?? targetDefaults?.systemPrompt;
    return {
      ...resolved,
      label: `${alias.name} → ${resolved.label}`,
      defaults: { generation: { ...targetDefaults?.generation, ...alias.defaults.generation }, ...(systemPrompt !== undefined ? { systemPrompt } : {}) },
    };
  }

  /** The listed model an alias stands for (any other model as it is). */
  private concrete(model: ModelRef | undefined): ModelRef | undefined {
    if (model?.providerId !== ALIAS_PROVIDER_ID) return model;
    const alias = this.entries.aliases.get(model.modelId);
    const found = alias ? aliasTarget(alias, this.directory.current) : undefined;
    return found?.kind === 'found' ? found.target : undefined;
  }

  /** Merges `models:` against the models listed now and reports what is refused or points nowhere. */
  private judgeModelEntries(): void {
    const groups = this.directory.current;
    const userGroups = groups.filter((group) => group.source !== 'workspace-config');
    this.entries = mergeModelLayers(this.deps.modelLayers?.() ?? [], {
      endpointIds: new Set(userGroups.map((group) => group.providerId)),
      listedModelIds: new Set(userGroups.flatMap((group) => group.models.map((item) => item.id))),
    });
    const problems: ModelEntryProblem[] = [...this.entries.refused];
    this.usableAliases = [];
    for (const alias of this.entries.aliases.values()) {
      const found = aliasTarget(alias, groups);
      if (found.kind === 'missing') problems.push({ name: alias.name, ...(alias.file !== undefined ? { file: alias.file } : {}), field: 'use', message: found.message });
      else this.usableAliases.push(alias.name);
    }
    for (const problem of problems) this.deps.log.warn(`${problem.file ?? 'config.yaml'}: ${problem.message}`);
    this.deps.onModelProblems?.(problems);
  }

  /** The picker's group of aliases, when config.yaml has usable ones. */
  private aliasGroup(): ProviderModels | undefined {
    const aliases = this.usableAliases.flatMap((name) => this.entries.aliases.get(name) ?? []);
    if (aliases.length === 0) return undefined;
    return {
      providerId: ALIAS_PROVIDER_ID,
      label: 'Aliases (config.yaml)',
      source: 'global-config',
      models: aliases.map((alias) => ({ id: alias.name, label: alias.source === 'workspace-config' ? `${alias.name} (workspace)` : alias.name, details: aliasDetails(alias) })),
    };
  }

  /** `apiKeyEnv`'s variable (only user-level declarations carry one: endpointLayers refuses it from a workspace). */
  private keyFromEnvironment(name: string): string | undefined {
    const value = (this.deps.environment?.() ?? process.env)[name];
    if (value) this.deps.redactor.remember(value);
    return value || undefined;
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.subscriptions.dispose();
    this.catalog.dispose();
  }

  /** Models change when a provider plugin loads or unloads; several changes make one refresh. */
  private scheduleRefresh(): void {
    if (!this.pluginsReady) return;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refresh().catch((error: unknown) => this.deps.log.error(`refreshing models failed: ${describeError(error)}`));
    }, 100);
  }

  /** Keeps a remembered model while its server is merely down; picks one when there is none. */
  private ensureSelection(): void {
    const groups = this.directory.current;
    if (this.selected?.providerId === ALIAS_PROVIDER_ID && this.entries.aliases.has(this.selected.modelId)) return;
    if (this.selected) {
      const stillListed = this.directory.find(this.selected.modelId, { only: this.selected.providerId }) !== undefined;
      const group = groups.find((item) => item.providerId === this.selected?.providerId);
      if (stillListed || (group && group.problem)) return;
    }
    const first = groups.find((group) => group.models.length > 0);
    const model = first?.models[0];
    if (first && model) this.select({ providerId: first.providerId, modelId: model.id });
  }
}
