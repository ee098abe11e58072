/**
 * The plugin section of several config files, least specific first (global, then each
 * workspace folder): `disabled` lists add up, the most specific `enabled` list wins, and each
 * plugin's settings are merged key by key, the more specific file winning.
 */
import type { ToolCallingMode, ToolCallingSettings } from '../tools/toolSessions';
import type { ApprovalDefault } from '../tools/toolPolicy';
import { defaultToolBudget } from '../tools/toolSelection';
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

/**
 * Tool settings of several config files, least specific first: approval lists add up (a
 * deny anywhere wins over an allow, as the policy checks deny first), and the most specific
 * value of everything else wins.
 */
export function mergeToolCalling(configs: readonly (PatchbayConfig | undefined)[]): Partial<ToolCallingSettings> {
  const approval = { default: 'ask' as ApprovalDefault, allow: [] as string[], deny: [] as string[] };
  const merged: Partial<ToolCallingSettings> = {};
  const modes: Record<string, ToolCallingMode> = {};
  let budget = { ...defaultToolBudget };
  for (const config of configs) {
    if (!config) continue;
    const rules = config.toolApproval;
    if (rules?.default) approval.default = rules.default;
    approval.allow.push(...(rules?.allow ?? []));
    approval.deny.push(...(rules?.deny ?? []));
    const calling = config.toolCalling;
    if (calling?.maxRounds !== undefined) merged.maxRounds = calling.maxRounds;
    if (calling?.maxTools !== undefined) budget = { ...budget, maxTools: calling.maxTools };
    if (calling?.maxTokens !== undefined) budget = { ...budget, maxTokens: calling.maxTokens };
    Object.assign(modes, calling?.models ?? {});
  }
  return { ...merged, approval, budget, modelModes: modes };
}

/** `models:` of several config files, least specific first: the most specific fact wins. */
export function mergeModelOverrides(configs: readonly (PatchbayConfig | undefined)[]): Record<string, { contextLength?: number }> {
  const merged: Record<string, { contextLength?: number }> = {};
  for (const config of configs) {
    for (const [id, facts] of Object.entries(config?.models ?? {})) merged[id] = { ...merged[id], ...facts };
  }
  return merged;
}
