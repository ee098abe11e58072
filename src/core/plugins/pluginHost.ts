/**
 * Loads plugins and keeps each one's status. A plugin that throws, exports the wrong shape
 * or never finishes activating is marked failed with its error; the others load regardless.
 */
import type { PatchbayPluginModule, PluginContext } from '../api/plugin';
import type { PluginLogger } from '../api/providers';
import { describeError, PatchbayError } from '../errors';
import { ndjson } from '../streaming/ndjson';
import { sseJson } from '../streaming/sseJson';
import { Emitter } from '../util/emitter';
import type { ContributionRegistry } from './contributionRegistry';
import type { PluginCandidate } from './discovery';
import { loadPluginModule } from './moduleLoader';

export type PluginStatus = 'loading' | 'loaded' | 'failed';

export interface PluginRecord {
  candidate: PluginCandidate;
  status: PluginStatus;
  error?: string;
  contributions: string[];
}

export interface PluginHostDeps {
  registry: ContributionRegistry;
  loggerFor(pluginId: string): PluginLogger;
  activationTimeoutMs?: number;
  /** Replaceable for tests of the host's own rules. */
  loadModule?: (entryPath: string) => Promise<PatchbayPluginModule>;
}

interface LoadedPlugin {
  module: PatchbayPluginModule;
  context: { active: boolean };
}

export class PluginHost {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly records = new Map<string, PluginRecord>();
  private readonly loaded = new Map<string, LoadedPlugin>();

  constructor(private readonly deps: PluginHostDeps) {}

  plugins(): PluginRecord[] {
    return [...this.records.values()].map((record) => ({
      ...record,
      contributions: this.deps.registry.contributionsOf(record.candidate.id),
    }));
  }

  /** Loads every candidate; resolves when each has loaded or failed. */
  async activateAll(candidates: readonly PluginCandidate[]): Promise<void> {
    await Promise.all(candidates.map((candidate) => this.activate(candidate)));
  }

  async deactivateAll(): Promise<void> {
    await Promise.all([...this.loaded.keys()].map((id) => this.deactivate(id)));
  }

  private async activate(candidate: PluginCandidate): Promise<void> {
    const record: PluginRecord = { candidate, status: 'loading', contributions: [] };
    this.records.set(candidate.id, record);
    this.changed.fire();
    const logger = this.deps.loggerFor(candidate.id);
    const contextState = { active: true };
    const timeoutMs = this.deps.activationTimeoutMs ?? 10_000;
    try {
      const module = await withTimeout(
        (async () => {
          const loaded = await (this.deps.loadModule ?? loadPluginModule)(candidate.entryPath);
          await loaded.activate(this.createContext(candidate.id, logger, contextState));
          return loaded;
        })(),
        timeoutMs,
        `did not finish loading within ${Math.round(timeoutMs / 1000)} s`,
      );
      this.loaded.set(candidate.id, { module, context: contextState });
      record.status = 'loaded';
      logger.info(`loaded from ${candidate.location}`);
    } catch (error) {
      contextState.active = false;
      this.deps.registry.removeAllOf(candidate.id);
      record.status = 'failed';
      record.error = describeError(error);
      logger.error(`failed to load from ${candidate.entryPath}: ${record.error}`);
    }
    this.changed.fire();
  }

  private async deactivate(id: string): Promise<void> {
    const plugin = this.loaded.get(id);
    if (!plugin) return;
    this.loaded.delete(id);
    plugin.context.active = false;
    try {
      await withTimeout(Promise.resolve(plugin.module.deactivate?.()), 5_000, 'did not finish deactivating within 5 s');
    } catch (error) {
      this.deps.loggerFor(id).warn(`deactivate failed: ${describeError(error)}`);
    }
    this.deps.registry.removeAllOf(id);
    this.records.delete(id);
    this.changed.fire();
  }

  private createContext(pluginId: string, log: PluginLogger, state: { active: boolean }): PluginContext {
    const registry = this.deps.registry;
    const ensureActive = () => {
      if (!state.active) throw new Error(`plugin "${pluginId}" is no longer active and cannot register anything`);
    };
    return {
      pluginId,
      log,
      wire: { sseJson, ndjson },
      registerProviderType(definition) {
        ensureActive();
        return registry.registerProviderType(pluginId, definition);
      },
      registerProvider(definition) {
        ensureActive();
        return registry.registerProvider(pluginId, definition);
      },
      problem(kind, message, details) {
        return new PatchbayError(kind, message, details);
      },
    };
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
