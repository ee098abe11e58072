/**
 * The plugins side of the chat: finding plugins and choosing which load, the runtime that loads
 * them, what they register, their settings (with the workspace's changes the user agreed to)
 * and secrets, and the actions, commands and slash commands they put in the chat's UI.
 */
import type { ActionMessage, ActionResult, CallContext, PluginLogger, PluginServices } from '../api';
import { describeError, PatchbayError } from '../errors';
import type { Clock, Logger, SecretPort } from '../ports';
import { DisposableStore } from '../util/disposables';
import { Emitter } from '../util/emitter';
import { namedLogger } from '../util/namedLogger';
import type { Redactor } from '../util/redactor';
import { checkActionResult } from './actionResults';
import { ContributionRegistry, type ContributionKind } from './contributionRegistry';
import { discoverPlugins, type PluginRoot } from './discovery';
import type { PluginCandidate } from './pluginCandidate';
import { PluginCaller, type PluginCallRules } from './pluginCalls';
import { PluginRuntime, secretOwner, type KindLoader, type PluginRecord } from './pluginRuntime';
import { PluginSecrets } from './pluginSecrets';
import { selectPlugins, type SelectionRules } from './pluginSelection';
import type * as Isolation from './isolation/isolatedModule';
import { userPluginLoader } from './isolation/userPluginLoader';
import { WorkspacePluginSettings, type PluginSettingsConsentPort } from './workspacePluginSettings';

export interface PluginUi {
  actions: { key: string; label: string; plugin: string }[];
  slashCommands: { name: string; description: string; source: string }[];
  commands: { key: string; title: string; plugin: string }[];
  contextProviders: { name: string; description: string; queryHint?: string }[];
}

export interface PluginServiceDeps {
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
  /** OpenAPI specs listed under `tools:` in config files, as plugin candidates. */
  declaredToolSpecs?(): PluginCandidate[];
  kindLoaders: Partial<Record<'openapi', KindLoader>>;
  /** The ports to the editor each plugin's `context.services` offers. */
  services?(pluginId: string): PluginServices;
  /** The slash commands of the chat's prompt templates, for the UI snapshot. */
  slashCommands(): PluginUi['slashCommands'];
  secrets: SecretPort;
  redactor: Redactor;
  log: Logger;
  /** How long a filter, prompt template, action or command may run. */
  pluginCallTimeoutMs?: number;
  activationTimeoutMs?: number;
  /** What activation and call timeouts wait on; the real clock unless a test gives its own. */
  clock?: Clock;
}

export interface SyncRequest {
  changedLocations?: ReadonlySet<string>;
  reloadAll?: boolean;
}

const UI_KINDS: ContributionKind[] = ['action', 'promptTemplate', 'command', 'contextProvider', 'templateLoader'];

export class PluginService {
  readonly registry = new ContributionRegistry();
  readonly runtime: PluginRuntime;
  readonly onDidChange: PluginRuntime['onDidChange'];
  /** The rules every call into plugin code follows (see pluginCalls.ts). */
  readonly callRules: PluginCallRules & { fail(pluginId: string, error: unknown): void };
  private readonly caller: PluginCaller;
  private readonly secrets: PluginSecrets;
  private readonly settings: WorkspacePluginSettings;
  private readonly replacementQuestions = new Set<string>();
  private readonly uiChanged = new Emitter<PluginUi>();
  readonly onPluginUiChanged = this.uiChanged.event;
  private syncing: Promise<void> = Promise.resolve();
  private readonly subscriptions = new DisposableStore();

  constructor(private readonly deps: PluginServiceDeps) {
    this.secrets = new PluginSecrets(deps.secrets, (value) => deps.redactor.remember(value));
    this.settings = new WorkspacePluginSettings({
      user: (id) => deps.pluginSettings(id),
      workspace: (id) => deps.workspacePluginSettings?.(id),
      port: () => deps.pluginSettingsConsent,
      answered: () => void this.sync().catch((error: unknown) => deps.log.error(`reloading plugins failed: ${describeError(error)}`)),
      failed: (error) => deps.log.error(`asking about the workspace's plugin settings failed: ${describeError(error)}`),
    });
    // User plugins and OpenAPI specs share workers, one group per source (README, Isolation).
    // The isolation runtime is a late module (esbuild.mjs): it loads with the first plugin a worker runs.
    const isolation = () => require('./isolation/isolatedModule') as typeof Isolation;
    let workers: ReturnType<typeof Isolation.workerGroups> | undefined;
    const sharedWorkers = () => (workers ??= isolation().workerGroups({}));
    this.runtime = new PluginRuntime({
      registry: this.registry,
      loggerFor: (id) => this.loggerFor(id),
      secret: (owner, key) => this.secrets.get(owner, key),
      ...(deps.consent ? { consent: deps.consent } : {}),
      ...(deps.services ? { services: deps.services } : {}),
      // OpenAPI specs are read, parsed and turned into tools in a worker of their own too.
      kindLoaders: { openapi: (candidate) => isolation().isolatedKindLoader({ workers: sharedWorkers(), onFailure: (id, error) => void this.runtime.fail(id, error) })(candidate), ...deps.kindLoaders },
      ...(deps.activationTimeoutMs ? { activationTimeoutMs: deps.activationTimeoutMs } : {}),
      // The user's code plugins run each in a worker thread of its own (README, Isolation).
      loadModule: userPluginLoader(
        () => deps.pluginRoots().filter((root) => root.source === 'bundled').map((root) => root.dir),
        () => ({ workers: sharedWorkers(), onFailure: (id, error) => void this.runtime.fail(id, error), logRequest: (line) => deps.log.debug(line) }),
      ),
      ...(deps.clock ? { clock: deps.clock } : {}),
    });
    this.onDidChange = this.runtime.onDidChange;
    this.callRules = {
      loggerFor: (id) => this.loggerFor(id),
      signalOf: (id) => this.runtime.signalOf(id),
      fail: (id, error) => void this.runtime.fail(id, error),
      timeoutMs: deps.pluginCallTimeoutMs ?? 30_000,
      ...(deps.clock ? { clock: deps.clock } : {}),
    };
    this.caller = new PluginCaller(this.callRules);
    this.subscriptions.add(this.registry.onDidChange((kind) => void (UI_KINDS.includes(kind) && this.notifyUiChanged())));
  }

  /**
   * Finds plugins again and brings the loaded set in line: new ones load, removed or newly
   * disabled ones unload, changed ones (files under `changedLocations`, or their settings)
   * reload. Runs one at a time.
   */
  sync(request: SyncRequest = {}): Promise<void> {
    const run = async () => {
      const { candidates, problems } = await discoverPlugins(this.deps.pluginRoots());
      for (const problem of problems) this.deps.log.warn(`plugin at ${problem.location}: ${problem.message}`);
      const selection = selectPlugins([...candidates, ...(this.deps.declaredToolSpecs?.() ?? [])], this.deps.pluginRules());
      for (const { candidate, why } of selection.notLoaded) if (why.status === 'waiting-for-consent') this.askToReplace(candidate, why.replaces);
      await this.runtime.sync(selection, { settingsFor: this.settings.settingsFor(selection.active), ...request });
    };
    this.syncing = this.syncing.then(run, run);
    return this.syncing;
  }

  records(): PluginRecord[] {
    return this.runtime.plugins();
  }

  /** The loaded plugin with this id, if any. */
  loadedPlugin(pluginId: string): PluginCandidate | undefined {
    return this.records().find((record) => record.candidate.id === pluginId && record.status === 'loaded')?.candidate;
  }

  isCodePlugin(pluginId: string): boolean {
    return this.records().some((record) => record.candidate.id === pluginId && record.candidate.kind === 'code');
  }

  workspacePluginIds(): ReadonlySet<string> {
    return new Set(this.records().filter((record) => record.candidate.source === 'workspace' && record.status === 'loaded').map((record) => record.candidate.id));
  }

  /** Marks the plugin failed: the runtime unloads it and shows the error. */
  fail(pluginId: string, error: unknown): void {
    this.callRules.fail(pluginId, error);
  }

  loggerFor(name: string): Logger & PluginLogger {
    return namedLogger(this.deps.log, name);
  }

  /** A plugin's secret, as saved for that plugin where it was found (and for its API's origin). */
  secret(record: Pick<PluginRecord, 'candidate' | 'credentialOrigin'>, key: string): Promise<string | undefined> {
    return this.secrets.get(secretOwner(record), key);
  }

  async setSecret(record: Pick<PluginRecord, 'candidate' | 'credentialOrigin'>, key: string, value: string | undefined): Promise<void> {
    await this.secrets.set(secretOwner(record), key, value);
  }

  pluginUi(): PluginUi {
    return {
      actions: this.registry.all('action').map(({ owner, definition }) => ({ key: `${owner}/${definition.id}`, label: definition.label, plugin: owner })),
      slashCommands: this.deps.slashCommands(),
      commands: this.registry.all('command').map(({ owner, definition }) => ({ key: `${owner}/${definition.id}`, title: definition.title, plugin: owner })),
      contextProviders: this.registry.contextProviders().map(({ listedName, definition }) => ({
        name: listedName,
        description: definition.description,
        ...(definition.queryHint ? { queryHint: definition.queryHint } : {}),
      })),
    };
  }

  /** Something the UI snapshot shows changed outside the registry (prompt files were read again). */
  notifyUiChanged(): void {
    this.uiChanged.fire(this.pluginUi());
  }

  /**
   * Runs a plugin action on an answer (`answer` is asked once the action is found) and checks
   * what it returned. A hang marks the plugin failed; a thrown error or an unusable result is the action's own.
   */
  async runAction(actionKey: string, answer: () => ActionMessage, signal?: AbortSignal): Promise<ActionResult> {
    const action = this.registry.all('action').find(({ owner, definition }) => `${owner}/${definition.id}` === actionKey);
    if (!action) throw new PatchbayError('plugin', 'That action is not available any more (its plugin was unloaded).');
    const message = answer();
    const what = `action "${action.definition.label}"`;
    const result = await this.callWatched(action.owner, what, signal, (context) => action.definition.run(message, context));
    return checkActionResult(result, { what, pluginId: action.owner, onMessage: true });
  }

  /** Runs a plugin command; its result is checked like an action's (but changes no message). */
  async runCommand(commandKey: string, signal?: AbortSignal): Promise<ActionResult> {
    const command = this.registry.all('command').find(({ owner, definition }) => `${owner}/${definition.id}` === commandKey);
    if (!command) throw new PatchbayError('plugin', 'That command is not available any more (its plugin was unloaded).');
    const what = `command "${command.definition.title}"`;
    const result = await this.callWatched(command.owner, what, signal, (context) => command.definition.run(context));
    return checkActionResult(result, { what, pluginId: command.owner, onMessage: false });
  }

  async dispose(): Promise<void> {
    this.subscriptions.dispose();
    await this.runtime.unloadAll();
  }

  /** One question per workspace plugin at a time; the answer brings a new sync. */
  private askToReplace(workspacePlugin: PluginCandidate, usersPlugin: PluginCandidate): void {
    const ask = this.deps.askToReplacePlugin;
    if (!ask || this.replacementQuestions.has(workspacePlugin.location)) return;
    this.replacementQuestions.add(workspacePlugin.location);
    void ask(workspacePlugin, usersPlugin)
      .then(() => this.sync())
      .catch((error: unknown) => this.deps.log.error(`asking about plugin "${workspacePlugin.id}" failed: ${describeError(error)}`))
      .finally(() => this.replacementQuestions.delete(workspacePlugin.location));
  }

  private async callWatched<T>(pluginId: string, what: string, signal: AbortSignal | undefined, run: (context: CallContext) => T | Promise<T>): Promise<T> {
    try {
      return await this.caller.call(pluginId, what, run, signal ? { signal } : {});
    } catch (error) {
      throw new PatchbayError('plugin', `The ${what} of plugin "${pluginId}" failed: ${describeError(error)}`, { actions: ['showLogs'], cause: error });
    }
  }
}
