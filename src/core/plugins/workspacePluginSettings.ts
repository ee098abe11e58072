/**
 * A plugin's settings from the config files. A workspace's `plugins.config.<id>` applies as
 * written to the workspace's own plugins (and specs); for one of the user's plugins (bundled
 * or global) it would let the repository move the user's plugin — and the secret it sends —
 * elsewhere, so there its values count only once the user accepted them for that workspace,
 * in a prompt showing the plugin and every value that would change. Until then, and after
 * declining, the user's own values apply; values that change ask again. Without a way to
 * ask, a workspace's values for the user's plugins are ignored.
 */
import type { PluginCandidate } from './discovery';
import { pluginScope } from './pluginScope';
import { WorkspaceConsent, type WorkspaceConsentPort } from '../config/workspaceConsent';

export interface SettingChange {
  key: string;
  /** The user's own value; undefined when they set none (the plugin's default applies). */
  user?: unknown;
  workspace: unknown;
}

export interface PluginSettingsOverride {
  plugin: string;
  source: 'bundled' | 'global';
  location: string;
  /** The values that would change, by key. */
  changes: SettingChange[];
  /** Everything the workspace sets for the plugin: what an answer is remembered for. */
  workspaceValues: Record<string, unknown>;
}

export type PluginSettingsConsentPort = WorkspaceConsentPort<PluginSettingsOverride>;

export interface WorkspacePluginSettingsDeps {
  /** The user's own values (the global config.yaml). */
  user(pluginId: string): Record<string, unknown> | undefined;
  /** The workspace folders' values. */
  workspace(pluginId: string): Record<string, unknown> | undefined;
  port(): PluginSettingsConsentPort | undefined;
  /** The user answered: the plugins' settings may have changed. */
  answered(): void;
  failed(error: unknown): void;
}

export class WorkspacePluginSettings {
  private readonly consent: WorkspaceConsent<PluginSettingsOverride>;
  private asking = false;

  constructor(private readonly deps: WorkspacePluginSettingsDeps) {
    this.consent = new WorkspaceConsent(deps.port, overrideKey, (a, b) => a.plugin.localeCompare(b.plugin));
  }

  /**
   * The settings each of `plugins` gets now, by id; asks (in the background, once) about
   * every override of the user's plugins not decided yet.
   */
  settingsFor(plugins: readonly PluginCandidate[]): (pluginId: string) => Record<string, unknown> | undefined {
    const settings = new Map<string, Record<string, unknown> | undefined>();
    const undecided: PluginSettingsOverride[] = [];
    for (const plugin of plugins) {
      const user = this.deps.user(plugin.id);
      const workspace = this.deps.workspace(plugin.id);
      const merged = workspace ? { ...user, ...workspace } : user;
      const override = plugin.source === 'workspace' || !workspace ? undefined : overrideOf(plugin, user, workspace);
      const answer = override ? this.consent.known(override) : true;
      settings.set(plugin.id, answer === true ? merged : user);
      if (override && answer === undefined) undecided.push(override);
    }
    this.ask(undecided);
    return (pluginId) => settings.get(pluginId);
  }

  private ask(undecided: readonly PluginSettingsOverride[]): void {
    const first = undecided[0];
    if (!first || this.asking) return;
    this.asking = true;
    this.consent
      .accepted(first, () => undecided)
      .then(() => this.deps.answered(), (error: unknown) => this.deps.failed(error))
      .finally(() => (this.asking = false));
  }
}

function overrideOf(plugin: PluginCandidate, user: Record<string, unknown> | undefined, workspace: Record<string, unknown>): PluginSettingsOverride | undefined {
  const changes = Object.keys(workspace)
    .sort()
    .filter((key) => JSON.stringify(workspace[key]) !== JSON.stringify(user?.[key]))
    .map((key): SettingChange => ({ key, ...(user?.[key] !== undefined ? { user: user[key] } : {}), workspace: workspace[key] }));
  if (changes.length === 0 || plugin.source === 'workspace') return undefined;
  return { plugin: plugin.id, source: plugin.source, location: plugin.location, changes, workspaceValues: workspace };
}

function overrideKey(item: PluginSettingsOverride): string {
  const values = Object.fromEntries(Object.keys(item.workspaceValues).sort().map((key) => [key, item.workspaceValues[key]]));
  return JSON.stringify([pluginScope(item), item.plugin, values]);
}
