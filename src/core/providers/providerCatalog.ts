/**
 * The providers the chat can use right now: one per endpoint (declared in settings or
 * config files, or found running locally) plus the standalone providers plugins register.
 * Instances are made lazily from the registered provider types, and remade when the
 * endpoint or the plugin behind its type changes.
 */
import type { EndpointConfig, EndpointServices, ModelInfo, PluginLogger, ProviderInstance, ProviderTypeDefinition } from '../api';
import type { ProviderCalls } from './providerCalls';
import { describeError, PatchbayError, type Problem } from '../errors';
import type { ContributionRegistry } from '../plugins/contributionRegistry';
import { callSignal } from '../plugins/callSignal';
import { silentLogger } from '../ports';
import { originOf } from '../util/url';
import { classifyError, type FailureContext } from './classifyError';

export type EndpointSource = 'settings' | 'global-config' | 'workspace-config' | 'discovered';

export interface DeclaredEndpoint extends EndpointConfig {
  source: EndpointSource;
  /** config.yaml's `headers:`, secret references not yet filled in (EndpointServices.headers does). */
  headers?: Record<string, string>;
  /** The environment variable holding the API key (user-level declarations only). */
  apiKeyEnv?: string;
}

export interface ProviderEntry {
  id: string;
  label: string;
  source: EndpointSource | 'plugin';
  /** The plugin that supplies the code (the provider type's owner, or the standalone provider's). */
  pluginId?: string;
  endpoint?: DeclaredEndpoint;
  failureContext: FailureContext;
  instance?: ProviderCalls;
  /** The plugin declared that it passes `request.tools` on (`supportsTools`). */
  supportsTools: boolean;
  /** Why there is no instance (unknown type, the plugin's create() threw...). */
  problem?: PatchbayError;
}

export interface ProviderModels {
  providerId: string;
  label: string;
  /** Where the endpoint was declared: the picker says so for a workspace's endpoints. */
  source: ProviderEntry['source'];
  /** The host (and port) an endpoint talks to. */
  host?: string;
  models: ModelInfo[];
  problem?: Problem;
}

interface CachedInstance {
  fingerprint: string;
  definition: ProviderTypeDefinition;
  instance: ProviderInstance;
}

export class ProviderCatalog {
  private endpoints: DeclaredEndpoint[] = [];
  private readonly instances = new Map<string, CachedInstance>();

  constructor(
    private readonly registry: ContributionRegistry,
    private readonly servicesFor: (endpoint: DeclaredEndpoint) => EndpointServices,
    /** Takes secrets out of error text a server sent back (some echo the key). */
    private readonly redactProblem: (problem: Problem) => Problem = (problem) => problem,
    /** The log a provider's calls get in their CallSignal. */
    private readonly loggerFor: (pluginId: string) => PluginLogger = () => silentLogger,
  ) {}

  setEndpoints(endpoints: readonly DeclaredEndpoint[]): void {
    this.endpoints = [...endpoints];
    const ids = new Set(endpoints.map((endpoint) => endpoint.id));
    for (const [id, cached] of this.instances) {
      if (!ids.has(id)) {
        this.instances.delete(id);
        safeDispose(cached.instance);
      }
    }
  }

  declaredEndpoints(): DeclaredEndpoint[] {
    return [...this.endpoints];
  }

  entries(): ProviderEntry[] {
    const fromEndpoints = this.endpoints.map((endpoint) => this.entryForEndpoint(endpoint));
    const taken = new Set(fromEndpoints.map((entry) => entry.id));
    const standalone = this.registry
      .standaloneProviders()
      .filter((item) => !taken.has(item.definition.id))
      .map(({ owner, definition }): ProviderEntry => ({
        id: definition.id,
        label: definition.label,
        source: 'plugin',
        pluginId: owner,
        supportsTools: definition.supportsTools === true,
        failureContext: { endpointLabel: definition.label, baseUrl: `plugin ${owner}` },
        instance: providerCalls(definition, this.loggerFor(owner), owner),
      }));
    return [...fromEndpoints, ...standalone];
  }

  find(providerId: string): ProviderEntry | undefined {
    return this.entries().find((entry) => entry.id === providerId);
  }

  /** Every provider's models, in parallel; a provider that fails or is slow gets a problem. */
  async listModels(timeoutFor: (entry: ProviderEntry) => number): Promise<ProviderModels[]> {
    return Promise.all(
      this.entries().map(async (entry): Promise<ProviderModels> => {
        const host = entry.endpoint ? hostOf(entry.endpoint.baseUrl) : undefined;
        const base = { providerId: entry.id, label: entry.label, source: entry.source, ...(host !== undefined ? { host } : {}) };
        const instance = entry.instance;
        if (!instance) return { ...base, models: [], problem: this.redactProblem((entry.problem ?? unknownProblem(entry)).toProblem()) };
        try {
          const models = await withDeadline((signal) => instance.listModels(signal), timeoutFor(entry));
          return { ...base, models: validModels(models) };
        } catch (error) {
          return { ...base, models: [], problem: this.redactProblem(classifyError(error, entry.failureContext).toProblem()) };
        }
      }),
    );
  }

  dispose(): void {
    for (const cached of this.instances.values()) safeDispose(cached.instance);
    this.instances.clear();
  }

  private entryForEndpoint(endpoint: DeclaredEndpoint): ProviderEntry {
    const owned = this.registry.providerType(endpoint.type);
    const failureContext = failureContextFor(endpoint, owned?.definition, this.registry);
    const entry: ProviderEntry = { id: endpoint.id, label: endpoint.label, source: endpoint.source, endpoint, failureContext, supportsTools: owned?.definition.supportsTools === true };
    if (!owned) {
      const known = this.registry.providerTypes().map((item) => item.definition.type);
      entry.problem = new PatchbayError('config', `Endpoint "${endpoint.id}" has type "${endpoint.type}", which no loaded plugin provides.`, {
        hint: known.length > 0 ? `Known types: ${known.join(', ')}.` : 'No provider plugin is loaded; see the Patchbay log.',
        actions: ['openConfig', 'showLogs'],
      });
      return entry;
    }
    entry.pluginId = owned.owner;
    try {
      entry.instance = providerCalls(this.instanceFor(endpoint, owned.definition), this.loggerFor(owned.owner), owned.owner);
    } catch (error) {
      entry.problem = new PatchbayError('plugin', `Plugin "${owned.owner}" could not set up endpoint "${endpoint.id}": ${describeError(error)}`, {
        actions: ['openConfig', 'showLogs'],
        cause: error,
      });
    }
    return entry;
  }

  private instanceFor(endpoint: DeclaredEndpoint, definition: ProviderTypeDefinition): ProviderInstance {
    const fingerprint = JSON.stringify([endpoint.type, endpoint.baseUrl, endpoint.label, endpoint.options, endpoint.headers, endpoint.apiKeyEnv]);
    const cached = this.instances.get(endpoint.id);
    if (cached && cached.fingerprint === fingerprint && cached.definition === definition) return cached.instance;
    if (cached) safeDispose(cached.instance);
    const { source: _source, headers: _headers, apiKeyEnv: _apiKeyEnv, ...config } = endpoint;
    const instance = definition.create(config, this.servicesFor(endpoint));
    this.instances.set(endpoint.id, { fingerprint, definition, instance });
    return instance;
  }
}

/** The provider's functions called with a CallSignal made from the core's signal; model management read when asked for (it may appear later). */
function providerCalls(provider: Pick<ProviderInstance, 'listModels' | 'chat' | 'modelManagement'>, log: PluginLogger, pluginId: string): ProviderCalls {
  return {
    listModels: (signal) => provider.listModels(callSignal(signal, log)),
    chat: (request, signal, emits) => provider.chat(request, callSignal(signal, log, emits?.for(pluginId))),
    get modelManagement() {
      return provider.modelManagement;
    },
  };
}

/** The start hint of the well-known local server at this endpoint's address, if it is one. */
export function failureContextFor(endpoint: EndpointConfig, definition: ProviderTypeDefinition | undefined, registry: ContributionRegistry): FailureContext {
  const origin = originOf(endpoint.baseUrl);
  const known = registry
    .providerTypes()
    .flatMap((item) => item.definition.localServers ?? [])
    .find((hint) => originOf(hint.baseUrl) === origin);
  const context: FailureContext = { endpointLabel: endpoint.label, baseUrl: endpoint.baseUrl };
  const startHint = known?.startHint ?? definition?.startHint;
  if (startHint !== undefined) context.startHint = startHint;
  if (definition?.missingModelHint !== undefined) context.missingModelHint = definition.missingModelHint;
  return context;
}

/** Runs `work` with a signal that aborts after `timeoutMs`; rejects then even if `work` ignores it. */
export async function withDeadline<T>(work: (signal: AbortSignal) => Promise<T>, timeoutMs: number): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`no answer within ${timeoutMs} ms`);
      (error as NodeJS.ErrnoException).code = 'ETIMEDOUT';
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function hostOf(baseUrl: string): string | undefined {
  try {
    return new URL(baseUrl).host;
  } catch {
    return undefined;
  }
}

function validModels(models: unknown): ModelInfo[] {
  if (!Array.isArray(models)) throw new Error('listModels() did not return an array');
  return models.filter((model): model is ModelInfo => typeof model === 'object' && model !== null && typeof (model as ModelInfo).id === 'string');
}

function unknownProblem(entry: ProviderEntry): PatchbayError {
  return new PatchbayError('plugin', `Provider "${entry.id}" is not available.`, { actions: ['showLogs'] });
}

function safeDispose(instance: ProviderInstance): void {
  try {
    instance.dispose?.();
  } catch {
    // Disposing is best effort: a plugin's faulty cleanup must not stop ours.
  }
}
