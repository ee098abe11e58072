/**
 * The plugin section of several config files, least specific first (global, then each
 * workspace folder): `disabled` lists add up, the most specific `enabled` list wins, and each
 * plugin's settings are merged key by key, the more specific file winning.
 */
import type { PatchbayConfig, PluginsSection } from './configTypes';

export interface MergedPlugins {
  disabled: string[];
  enabled: string[] | undefined;
  settings: Record<string, Record<string, unknown>>;
}

export function mergePluginSections(configs: readonly (PatchbayConfig | undefined)[]): MergedPlugins {
  const merged: MergedPlugins = { disabled: [], enabled: undefined, settings: {} };
  for (const section of configs.map((config) => config?.plugins).filter((item): item is PluginsSection => item !== undefined)) {
    for (const id of section.disabled ?? []) if (!merged.disabled.includes(id)) merged.disabled.push(id);
    if (section.enabled) merged.enabled = [...section.enabled];
    for (const [id, values] of Object.entries(section.config ?? {})) merged.settings[id] = { ...merged.settings[id], ...values };
  }
  return merged;
}
