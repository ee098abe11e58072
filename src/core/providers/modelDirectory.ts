/**
 * Keeps the list of every model of every provider and turns a chosen model into the
 * provider instance that can answer with it.
 */
import type { ModelInfo } from '../api';
import type { ModelRef } from './modelRef';
import type { ResolvedModel } from './resolvedModel';
import { PatchbayError } from '../errors';
import type { ContributionRegistry } from '../plugins/contributionRegistry';
import { Emitter } from '../util/emitter';
import { localServerCandidates, localServerHints } from './localServers';
import type { DeclaredEndpoint, ProviderCatalog, ProviderModels } from './providerCatalog';

export interface RefreshOptions {
  declared: readonly DeclaredEndpoint[];
  discoverLocalServers: boolean;
  /** How long a server on a default port gets to answer before it counts as not running. */
  probeTimeoutMs: number;
  listTimeoutMs: number;
}

/** A local server Patchbay looked for on its default port, and how to start it. */
export interface LocalServerLookedFor {
  label: string;
  /** host:port */
  address: string;
  startHint?: string;
}

export class ModelDirectory {
  private readonly changed = new Emitter<ProviderModels[]>();
  readonly onDidChange = this.changed.event;
  private listing: ProviderModels[] = [];
  private notAnswering: LocalServerLookedFor[] = [];
  private pending: Promise<ProviderModels[]> | undefined;

  constructor(
    private readonly catalog: ProviderCatalog,
    private readonly registry: ContributionRegistry,
  ) {}

  get current(): ProviderModels[] {
    return this.listing;
  }

  /** The local servers the last refresh looked for that did not answer (none when it did not look). */
  get localServersNotAnswering(): readonly LocalServerLookedFor[] {
    return this.notAnswering;
  }

  /**
   * The one model lookup: a listed model and its provider's group. `{ only }` looks in that
   * provider's list alone; otherwise the first provider listing the id, `prefer` first.
   */
  find(modelId: string, providers: { only: string | undefined } | { prefer?: string | undefined } = {}): { group: ProviderModels; model: ModelInfo } | undefined {
    const lists = (group: ProviderModels) => group.models.some((model) => model.id === modelId);
    const group = 'only' in providers
      ? this.listing.find((item) => item.providerId === providers.only)
      : this.listing.find((item) => item.providerId === providers.prefer && lists(item)) ?? this.listing.find(lists);
    const model = group?.models.find((item) => item.id === modelId);
    return group && model ? { group, model } : undefined;
  }

  /** Finds local servers and lists all models. Concurrent calls share one refresh. */
  refresh(options: RefreshOptions): Promise<ProviderModels[]> {
    this.pending ??= this.doRefresh(options).finally(() => (this.pending = undefined));
    return this.pending;
  }

  async resolve(model: ModelRef | undefined): Promise<ResolvedModel> {
    if (!model) {
      throw new PatchbayError('model-not-found', 'No model is selected.', {
        hint: 'Pick a model in the Model list. If it is empty, start a local server (Ollama, LM Studio, vLLM, llama.cpp) or add an endpoint to .patchbay/config.yaml.',
        actions: ['selectModel', 'refreshModels', 'openConfig'],
      });
    }
    const entry = this.catalog.find(model.providerId);
    if (!entry) {
      throw new PatchbayError('model-not-found', `The provider "${model.providerId}" of model "${model.modelId}" is not available any more.`, {
        hint: 'Pick another model, or check the endpoint in your settings and config.yaml.',
        actions: ['selectModel', 'refreshModels'],
      });
    }
    if (!entry.instance) throw entry.problem ?? new PatchbayError('plugin', `Provider "${entry.label}" is not available.`, { actions: ['showLogs'] });
    return {
      modelId: model.modelId,
      ...(entry.pluginId ? { pluginId: entry.pluginId } : {}),
      provider: entry.instance,
      failureContext: { ...entry.failureContext, model: model.modelId },
      label: `${this.modelLabel(model)} · ${entry.label}`,
    };
  }

  private modelLabel(model: ModelRef): string {
    const group = this.listing.find((item) => item.providerId === model.providerId);
    return group?.models.find((item) => item.id === model.modelId)?.label ?? model.modelId;
  }

  private async doRefresh(options: RefreshOptions): Promise<ProviderModels[]> {
    const candidates = options.discoverLocalServers ? localServerCandidates(this.registry, options.declared) : [];
    const candidateIds = new Set(candidates.map((candidate) => candidate.id));
    this.catalog.setEndpoints([...options.declared, ...candidates]);
    const listing = await this.catalog.listModels((entry) => (candidateIds.has(entry.id) ? options.probeTimeoutMs : options.listTimeoutMs));
    // A default port that did not answer is simply not running: not an error to show.
    const silent = new Set(listing.filter((item) => candidateIds.has(item.providerId) && item.problem).map((item) => item.providerId));
    if (silent.size > 0) this.catalog.setEndpoints([...options.declared, ...candidates.filter((candidate) => !silent.has(candidate.id))]);
    this.listing = listing.filter((item) => !silent.has(item.providerId));
    this.notAnswering = localServerHints(this.registry)
      .filter((hint) => silent.has(hint.id))
      .map((hint) => ({ label: hint.label, address: addressOf(hint.baseUrl), ...(hint.startHint ? { startHint: hint.startHint } : {}) }));
    this.changed.fire(this.listing);
    return this.listing;
  }
}

function addressOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}
