/** What the plugin runtime is given: where contributions go, how to ask for consent, read secrets and load code. */
import type { PatchbayPluginModule, PluginConfigSchema, PluginContext, PluginLogger, PluginServices } from '../api';
import type { Clock } from '../ports';
import type { ContributionRegistry } from './contributionRegistry';
import type { PluginCandidate } from './pluginCandidate';
import type { SecretOwner } from './pluginSecrets';

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
  /** Called when the plugin is unloaded (an isolated loader stops its worker). */
  deactivate?(): void | Promise<void>;
}>;

export interface PluginRuntimeDeps {
  registry: ContributionRegistry;
  loggerFor(pluginId: string): PluginLogger;
  /** Asked before a workspace plugin's code first runs, and again when its content changes. */
  consent?(candidate: PluginCandidate): Promise<boolean>;
  /** Values of a plugin's secret settings and of `context.secrets.get`, bound to the plugin's source. */
  secret?(owner: SecretOwner, key: string): Promise<string | undefined>;
  /** The ports to the editor a plugin's `context.services` offers (see the API); absent, each says it is unavailable. */
  services?(pluginId: string): PluginServices;
  kindLoaders?: Partial<Record<Exclude<PluginCandidate['kind'], 'code'>, KindLoader>>;
  activationTimeoutMs?: number;
  /** What the activation and deactivation timeouts wait on; the real clock unless a test gives its own. */
  clock?: Clock;
  /** Replaceable for tests of the runtime's own rules. */
  loadModule?: (entryPath: string, generation: number, fence?: string, candidate?: PluginCandidate) => Promise<PatchbayPluginModule>;
}

export interface SyncOptions {
  /** The plugin's section of `plugins.config` in config.yaml. */
  settingsFor(pluginId: string): Record<string, unknown> | undefined;
  /** Files or folders that changed on disk: plugins at these locations reload. */
  changedLocations?: ReadonlySet<string>;
  /** Reload every plugin, failed ones included ("Reload Plugins"). */
  reloadAll?: boolean;
}
