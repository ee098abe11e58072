/**
 * Loads, reloads and unloads plugins, and keeps each one's status. A plugin that throws,
 * exports the wrong shape, has invalid settings or never finishes activating is marked
 * failed with its error; the others load regardless. `sync` brings the loaded set in line
 * with a new selection, touching only the plugins whose files, settings or selection
 * changed, so editing one plugin never restarts the others.
 */
import type { PatchbayPluginModule, PluginConfigSchema, PluginContext, PluginLogger } from '../api';
import { describeError, PatchbayError } from '../errors';
import { ndjson } from '../streaming/ndjson';
import { sseJson } from '../streaming/sseJson';
import { Emitter } from '../util/emitter';
import type { ContributionRegistry } from './contributionRegistry';
import type { PluginCandidate } from './discovery';
import { codeFolderOf } from './fingerprint';
import { forgetModules, loadPluginModule } from './moduleLoader';
import { resolvePluginSettings, secretFields, type SettingProblem } from './pluginSettings';
import type { SecretOwner } from './pluginSecrets';
import type { NotLoadedReason, Selection } from './pluginSelection';
import { DisposableStore } from '../util/disposables';

export type PluginStatus =
  | 'loading'
  | 'loaded'
  | 'failed'
  | 'waiting-for-consent'
  | 'consent-denied'
  | NotLoadedReason['status'];

export interface PluginRecord {
  candidate: PluginCandidate;
  status: PluginStatus;
  /** Why it failed, was skipped, disabled or shadowed. */
  detail?: string;
  contributions: string[];
  settingsProblems: SettingProblem[];
  /** The settings schema in use: the manifest's, or the one a single-file plugin exports. */
  configSchema?: PluginConfigSchema;
  /** An HTTP plugin's API origin: its secrets are bound to it. */
  credentialOrigin?: string;
}

/**
 * Loads plugins of a kind other than code (OpenAPI tool plugins) through the same life
 * cycle: `prepare` reads and checks the plugin's files and says which settings it has;
 * `activate` registers what it adds, with those settings in `context.config`.
 */
export type KindLoader = (candidate: PluginCandidate) => Promise<{
  configSchema?: PluginConfigSchema;
  /** Where the plugin sends its credentials: its secrets are bound to this URL's origin. */
  baseUrl?: string;
  activate(context: PluginContext): void | Promise<void>;
}>;

export interface PluginHostDeps {
  registry: ContributionRegistry;
  loggerFor(pluginId: string): PluginLogger;
  /** Asked before a workspace plugin's code first runs, and again when its content changes. */
  consent?(candidate: PluginCandidate): Promise<boolean>;
  /** Values of a plugin's secret settings and of `context.secrets.get`, bound to the plugin's source. */
  secret?(owner: SecretOwner, key: string): Promise<string | undefined>;
  kindLoaders?: Partial<Record<Exclude<PluginCandidate['kind'], 'code'>, KindLoader>>;
  activationTimeoutMs?: number;
  /** Replaceable for tests of the host's own rules. */
  loadModule?: (entryPath: string, generation: number, fence?: string) => Promise<PatchbayPluginModule>;
}

export interface SyncOptions {
  /** The plugin's section of `plugins.config` in config.yaml. */
  settingsFor(pluginId: string): Record<string, unknown> | undefined;
  /** Files or folders that changed on disk: plugins at these locations reload. */
  changedLocations?: ReadonlySet<string>;
  /** Reload every plugin, failed ones included ("Reload Plugins"). */
  reloadAll?: boolean;
}

interface Slot {
  record: PluginRecord;
  settingsKey: string;
  /** Bumped on every (re)load and unload: a load that finds another generation gives up. */
  generation: number;
  running?: { module?: PatchbayPluginModule; controller: AbortController; disposeRegistrations(): void };
}

export class PluginHost {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly slots = new Map<string, Slot>();
  private notLoaded: PluginRecord[] = [];
  private generations = 0;

  constructor(private readonly deps: PluginHostDeps) {}

  plugins(): PluginRecord[] {
    const active = [...this.slots.values()].map((slot) => ({
      ...slot.record,
      contributions: this.deps.registry.contributionsOf(slot.record.candidate.id),
    }));
    return [...active, ...this.notLoaded].sort((a, b) => a.candidate.id.localeCompare(b.candidate.id) || a.status.localeCompare(b.status));
  }

  /** The signal of a loaded plugin: aborted when it unloads, so its calls stop too. */
  signalOf(pluginId: string): AbortSignal | undefined {
    return this.slots.get(pluginId)?.running?.controller.signal;
  }

  /**
   * Loads what the selection adds, unloads what it drops, reloads what changed. Resolves
   * when every load has finished or is waiting for the user's consent.
   */
  async sync(selection: Selection, options: SyncOptions): Promise<void> {
    this.notLoaded = selection.notLoaded.map(({ candidate, why }) => ({
      candidate,
      status: why.status,
      detail: why.reason,
      contributions: [],
      settingsProblems: [],
    }));
    const wanted = new Map(selection.active.map((candidate) => [candidate.id, candidate]));
    const unloads = [...this.slots.keys()].filter((id) => !wanted.has(id)).map((id) => this.unload(id, true));
    await Promise.all(unloads);
    const loads: Promise<void>[] = [];
    for (const candidate of selection.active) {
      const settingsKey = JSON.stringify(options.settingsFor(candidate.id) ?? null);
      const slot = this.slots.get(candidate.id);
      if (slot && !this.needsReload(slot, candidate, settingsKey, options)) {
        slot.record.candidate = candidate;
        continue;
      }
      loads.push(this.load(candidate, settingsKey, options));
    }
    this.changed.fire();
    await Promise.all(loads);
  }

  /** A plugin's code failed while in use (a filter threw, a call hung): unload it, keep the error. */
  async fail(pluginId: string, error: unknown): Promise<void> {
    const slot = this.slots.get(pluginId);
    if (!slot || slot.record.status !== 'loaded') return;
    const detail = describeError(error);
    this.deps.loggerFor(pluginId).error(`failed while in use, so it was unloaded: ${detail}`);
    await this.stop(slot);
    slot.record.status = 'failed';
    slot.record.detail = detail;
    this.changed.fire();
  }

  async unloadAll(): Promise<void> {
    await Promise.all([...this.slots.keys()].map((id) => this.unload(id, true)));
    this.notLoaded = [];
    this.changed.fire();
  }

  private needsReload(slot: Slot, candidate: PluginCandidate, settingsKey: string, options: SyncOptions): boolean {
    const previous = slot.record.candidate;
    if (options.reloadAll) return true;
    if (previous.location !== candidate.location || previous.entryPath !== candidate.entryPath || previous.source !== candidate.source) return true;
    if (JSON.stringify(previous.configSchema ?? null) !== JSON.stringify(candidate.configSchema ?? null)) return true;
    if (slot.settingsKey !== settingsKey) return true;
    return [...(options.changedLocations ?? [])].some((changed) => isInside(changed, candidate.location));
  }

  private async load(candidate: PluginCandidate, settingsKey: string, options: SyncOptions): Promise<void> {
    const previous = this.slots.get(candidate.id);
    if (previous) await this.stop(previous);
    const generation = ++this.generations;
    const slot: Slot = {
      record: { candidate, status: 'loading', contributions: [], settingsProblems: [] },
      settingsKey,
      generation,
    };
    this.slots.set(candidate.id, slot);
    this.changed.fire();
    const current = () => this.slots.get(candidate.id) === slot && slot.generation === generation;
    const logger = this.deps.loggerFor(candidate.id);

    // Only code runs in the extension host; an OpenAPI plugin's calls are approved one by one.
    if (candidate.source === 'workspace' && candidate.kind === 'code' && this.deps.consent) {
      slot.record.status = 'waiting-for-consent';
      this.changed.fire();
      // The sync does not wait for the user: other plugins and the chat go on meanwhile.
      void this.deps.consent(candidate).then(
        (allowed) => {
          if (!current()) return;
          if (allowed) return this.start(slot, current, logger, options);
          slot.record.status = 'consent-denied';
          slot.record.detail = 'you chose not to run this workspace plugin; "Patchbay: Enable Plugin" asks again';
          this.changed.fire();
        },
        (error: unknown) => this.markFailed(slot, current, logger, error),
      );
      return;
    }
    await this.start(slot, current, logger, options);
  }

  private async start(slot: Slot, current: () => boolean, logger: PluginLogger, options: SyncOptions): Promise<void> {
    const { candidate } = slot.record;
    slot.record.status = 'loading';
    this.changed.fire();
    const controller = new AbortController();
    const registrations = new DisposableStore();
    slot.running = { controller, disposeRegistrations: () => registrations.dispose() };
    const timeoutMs = this.deps.activationTimeoutMs ?? 10_000;
    try {
      await withTimeout(
        (async () => {
          if (candidate.kind !== 'code') {
            const loader = this.deps.kindLoaders?.[candidate.kind];
            if (!loader) throw new Error(`${candidate.kind} plugins cannot be loaded by this version of Patchbay`);
            const prepared = await loader(candidate);
            if (!current()) return;
            if (prepared.baseUrl !== undefined) slot.record.credentialOrigin = new URL(prepared.baseUrl).origin;
            const settings = await this.settings(slot, prepared.configSchema, options);
            await prepared.activate(this.createContext(secretOwner(slot.record), logger, settings, controller.signal, registrations, current));
            return;
          }
          // A workspace plugin may load only what its consent covered: files in its code folder.
          const fence = candidate.source === 'workspace' ? codeFolderOf(candidate.location, candidate.location !== candidate.entryPath) : undefined;
          const module = await (this.deps.loadModule ?? loadPluginModule)(candidate.entryPath, slot.generation, fence);
          if (!current()) return;
          slot.running!.module = module;
          const settings = await this.settings(slot, module.configSchema, options);
          await module.activate(this.createContext(secretOwner(slot.record), logger, settings, controller.signal, registrations, current));
        })(),
        timeoutMs,
        `did not finish loading within ${Math.round(timeoutMs / 1000)} s`,
      );
      if (!current()) return;
      slot.record.status = 'loaded';
      delete slot.record.detail;
      logger.info(`loaded from ${candidate.location}`);
      this.changed.fire();
    } catch (error) {
      await this.markFailed(slot, current, logger, error);
    }
  }

  private async settings(slot: Slot, moduleSchema: PluginConfigSchema | undefined, options: SyncOptions): Promise<Record<string, unknown>> {
    const { candidate } = slot.record;
    const schema = candidate.configSchema ?? moduleSchema;
    if (schema) slot.record.configSchema = schema;
    const secrets: Record<string, string> = {};
    for (const field of secretFields(schema)) {
      const value = await this.deps.secret?.(secretOwner(slot.record), field);
      if (value !== undefined) secrets[field] = value;
    }
    const resolved = resolvePluginSettings(schema, options.settingsFor(candidate.id), secrets);
    slot.record.settingsProblems = resolved.problems;
    const errors = resolved.problems.filter((problem) => problem.severity === 'error');
    if (errors.length > 0) throw new Error(`invalid settings: ${errors.map((problem) => problem.message).join('; ')}`);
    return resolved.values;
  }

  private async markFailed(slot: Slot, current: () => boolean, logger: PluginLogger, error: unknown): Promise<void> {
    if (!current()) return;
    await this.stop(slot);
    slot.record.status = 'failed';
    slot.record.detail = describeError(error);
    logger.error(`failed to load from ${slot.record.candidate.entryPath}: ${slot.record.detail}`);
    this.changed.fire();
  }

  private async unload(id: string, forget: boolean): Promise<void> {
    const slot = this.slots.get(id);
    if (!slot) return;
    slot.generation = -1;
    if (forget) this.slots.delete(id);
    await this.stop(slot);
  }

  /** Ends a plugin's run: its calls are cancelled, its registrations removed, its modules forgotten. */
  private async stop(slot: Slot): Promise<void> {
    const running = slot.running;
    slot.running = undefined;
    if (running) {
      running.controller.abort(new Error(`plugin "${slot.record.candidate.id}" was unloaded`));
      try {
        await withTimeout(Promise.resolve(running.module?.deactivate?.()), 5_000, 'did not finish deactivating within 5 s');
      } catch (error) {
        this.deps.loggerFor(slot.record.candidate.id).warn(`deactivate failed: ${describeError(error)}`);
      }
      running.disposeRegistrations();
    }
    this.deps.registry.removeAllOf(slot.record.candidate.id);
    if (slot.record.candidate.kind === 'code') forgetModules(slot.record.candidate.location);
  }

  private createContext(
    owner: SecretOwner,
    log: PluginLogger,
    config: Record<string, unknown>,
    signal: AbortSignal,
    registrations: DisposableStore,
    current: () => boolean,
  ): PluginContext {
    const registry = this.deps.registry;
    const pluginId = owner.id;
    const register = <T>(add: () => T & { dispose(): void }): T & { dispose(): void } => {
      if (signal.aborted || !current()) throw new Error(`plugin "${pluginId}" is no longer active and cannot register anything`);
      const registration = add();
      return registrations.add(registration);
    };
    const secret = this.deps.secret;
    return {
      pluginId,
      log,
      config: Object.freeze({ ...config }),
      secrets: { get: async (key) => (secret ? secret(owner, key) : undefined) },
      wire: { sseJson, ndjson },
      registerProviderType: (definition) => register(() => registry.register('providerType', pluginId, definition)),
      registerProvider: (definition) => register(() => registry.register('provider', pluginId, definition)),
      registerTool: (definition) => register(() => registry.register('tool', pluginId, definition)),
      registerFilter: (definition) => register(() => registry.register('filter', pluginId, definition)),
      registerAction: (definition) => register(() => registry.register('action', pluginId, definition)),
      registerCommand: (definition) => register(() => registry.register('command', pluginId, definition)),
      registerPromptTemplate: (definition) => register(() => registry.register('promptTemplate', pluginId, definition)),
      problem: (kind, message, details) => new PatchbayError(kind, message, details),
    };
  }
}

/** Whose secrets a plugin may read: its own, as found at its source (and its API's origin). */
export function secretOwner(record: Pick<PluginRecord, 'candidate' | 'credentialOrigin'>): SecretOwner {
  const { id, source, location } = record.candidate;
  return { id, source, location, ...(record.credentialOrigin !== undefined ? { credentialOrigin: record.credentialOrigin } : {}) };
}

function isInside(changed: string, location: string): boolean {
  return changed === location || changed.startsWith(location.endsWith('/') || location.endsWith('\\') ? location : `${location}/`) || changed.startsWith(`${location}\\`);
}

export function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
