/**
 * The plugin section of several config files, least specific first (global, then each
 * workspace folder): `disabled` lists add up, the most specific `enabled` list wins (a
 * workspace's only within the user's own `enabled` list), and each
 * plugin's settings are merged key by key, the more specific file winning. The user's values
 * and the workspaces' are also kept apart: a workspace's apply as they are only to the
 * workspace's own plugins (see workspacePluginSettings.ts).
 */
import type { PatchbayConfig } from './configTypes';

export interface MergedPlugins {
  disabled: string[];
  enabled: string[] | undefined;
  /** Every file's values merged, the most specific winning: what a workspace plugin gets. */
  settings: Record<string, Record<string, unknown>>;
  /** The user's own values (the global file). */
  userSettings: Record<string, Record<string, unknown>>;
  /** The workspace folders' values, merged. */
  workspaceSettings: Record<string, Record<string, unknown>>;
}

export function mergePluginSections(configs: readonly (PatchbayConfig | undefined)[]): MergedPlugins {
  const merged: MergedPlugins = { disabled: [], enabled: undefined, settings: {}, userSettings: {}, workspaceSettings: {} };
  // The first file is the user's: a workspace's `enabled` list may narrow theirs, not widen it.
  const userEnabled = configs[0]?.plugins?.enabled;
  for (const [index, section] of configs.map((config) => config?.plugins).entries()) {
    if (!section) continue;
    for (const id of section.disabled ?? []) if (!merged.disabled.includes(id)) merged.disabled.push(id);
    if (section.enabled) merged.enabled = index > 0 && userEnabled ? section.enabled.filter((id) => userEnabled.includes(id)) : [...section.enabled];
    const layer = index === 0 ? merged.userSettings : merged.workspaceSettings;
    for (const [id, values] of Object.entries(section.config ?? {})) {
      merged.settings[id] = { ...merged.settings[id], ...values };
      layer[id] = { ...layer[id], ...values };
    }
  }
  return merged;
}

/** `models:` of several config files, least specific first: the most specific fact wins. */
export function mergeModelOverrides(configs: readonly (PatchbayConfig | undefined)[]): Record<string, { contextLength?: number; vision?: boolean }> {
  const merged: Record<string, { contextLength?: number; vision?: boolean }> = {};
  for (const config of configs) {
    for (const [id, facts] of Object.entries(config?.models ?? {})) merged[id] = { ...merged[id], ...facts };
  }
  return merged;
}
