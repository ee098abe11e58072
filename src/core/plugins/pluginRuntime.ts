/**
 * Loads, reloads and unloads plugins, and keeps each one's status. A plugin that throws,
 * exports the wrong shape, has invalid settings or never finishes activating is marked
 * failed with its error; the others load regardless. `sync` brings the loaded set in line
 * with a new selection, touching only the plugins whose files, settings or selection
 * changed, so editing one plugin never restarts the others.
 */
import type { PatchbayPluginModule, PluginConfigSchema, PluginLogger } from '../api';
import { describeError } from '../errors';
import { DisposableStore } from '../util/disposables';
import { Emitter } from '../util/emitter';
import { codeFolderOf } from './fingerprint';
import { forgetModules, loadPluginModule } from './moduleLoader';
import { needsReload } from './needsReload';
import type { PluginCandidate } from './pluginCandidate';
import { createPluginContext } from './pluginContext';
import type { PluginRuntimeDeps, SyncOptions } from './pluginRuntimeDeps';
import { secretOwner, type PluginRecord } from './pluginRecord';
import { resolvePluginSettings, secretFields } from './pluginSettings';
import type { Selection } from './pluginSelection';
import { withTimeout } from './withTimeout';

export type { PluginRecord, PluginStatus } from './pluginRecord';
export { secretOwner } from './pluginRecord';
export type { KindLoader, PluginRuntimeDeps, SyncOptions } from './pluginRuntimeDeps';
export { withTimeout } from './withTimeout';

interface Slot {
  record: PluginRecord;
  settingsKey: string;
  /** Bumped on every (re)load and unload: a load that finds another generation gives up. */
  generation: number;
  running?: { module?: PatchbayPluginModule; controller: AbortController; disposeRegistrations(): void };
}

export class PluginRuntime {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly slots = new Map<string, Slot>();
  private notLoaded: PluginRecord[] = [];
  private generations = 0;

  constructor(private readonly deps: PluginRuntimeDeps) {}

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
    // The user's plugins (bundled and global) register first, so a name the whole chat shares
    // (a provider type, a template loader's prefix) stays theirs and a workspace's plugin that
    // wants it too is the one refused, whichever would have been quicker.
    const loadsOf = (candidates: readonly PluginCandidate[]): Promise<void>[] => {
      const loads: Promise<void>[] = [];
      for (const candidate of candidates) {
        const settingsKey = JSON.stringify(options.settingsFor(candidate.id) ?? null);
        const slot = this.slots.get(candidate.id);
        if (slot && !needsReload(slot, candidate, settingsKey, options)) {
          slot.record.candidate = candidate;
          continue;
        }
        loads.push(this.load(candidate, settingsKey, options));
      }
      return loads;
    };
    const usersLoads = loadsOf(selection.active.filter((candidate) => candidate.source !== 'workspace'));
    this.changed.fire();
    await Promise.all(usersLoads);
    const workspaceLoads = loadsOf(selection.active.filter((candidate) => candidate.source === 'workspace'));
    if (workspaceLoads.length > 0) this.changed.fire();
    await Promise.all(workspaceLoads);
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
            if (!current()) return void (await prepared.deactivate?.());
            if (prepared.deactivate) slot.running!.module = { activate: prepared.activate, deactivate: prepared.deactivate };
            if (prepared.baseUrl !== undefined) slot.record.credentialOrigin = new URL(prepared.baseUrl).origin;
            const settings = await this.settings(slot, prepared.configSchema, options);
            await prepared.activate(createPluginContext(this.deps.registry, this.deps.secret, secretOwner(slot.record), logger, settings, controller.signal, registrations, current, this.deps.services?.(candidate.id)));
            return;
          }
          // A workspace plugin may load only what its consent covered: files in its code folder.
          const fence = candidate.source === 'workspace' ? codeFolderOf(candidate.location, candidate.location !== candidate.entryPath) : undefined;
          const module = await (this.deps.loadModule ? this.deps.loadModule(candidate.entryPath, slot.generation, fence, candidate) : loadPluginModule(candidate.entryPath, slot.generation, fence));
          if (!current()) return;
          slot.running!.module = module;
          const settings = await this.settings(slot, module.configSchema, options);
          await module.activate(createPluginContext(this.deps.registry, this.deps.secret, secretOwner(slot.record), logger, settings, controller.signal, registrations, current, this.deps.services?.(candidate.id)));
        })(),
        timeoutMs,
        `did not finish loading within ${Math.round(timeoutMs / 1000)} s`,
        this.deps.clock,
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
    delete slot.running;
    if (running) {
      running.controller.abort(new Error(`plugin "${slot.record.candidate.id}" was unloaded`));
      try {
        await withTimeout(Promise.resolve(running.module?.deactivate?.()), 5_000, 'did not finish deactivating within 5 s', this.deps.clock);
      } catch (error) {
        this.deps.loggerFor(slot.record.candidate.id).warn(`deactivate failed: ${describeError(error)}`);
      }
      running.disposeRegistrations();
    }
    this.deps.registry.removeAllOf(slot.record.candidate.id);
    if (slot.record.candidate.kind === 'code') forgetModules(slot.record.candidate.location);
  }
}
