/**
 * The plugin section of several config files, least specific first (global, then each
 * workspace folder): `disabled` lists add up, the most specific `enabled` list wins (a
 * workspace's only within the user's own `enabled` list), and each
 * plugin's settings are merged key by key, the more specific file winning. The user's values
 * and the workspaces' are also kept apart: a workspace's apply as they are only to the
 * workspace's own plugins (see workspacePluginSettings.ts).
 */
import { defaultMaxRounds, type ToolCallingMode, type ToolCallingSettings } from '../tools/toolSessions';
import type { ApprovalDefault } from '../tools/toolPolicy';
import { defaultToolBudget } from '../tools/toolSelection';
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

/**
 * Tool settings of several config files, least specific first: the user's global file, then
 * each workspace folder's. The user's file sets the rules; a workspace's may only make them
 * stricter: its approval rules are kept apart (see toolPolicy.ts), its limits can lower the
 * user's (or the defaults) but not raise them, and it cannot turn tools back on for a model
 * the user turned them off for.
 */
export function mergeToolCalling(configs: readonly (PatchbayConfig | undefined)[]): Partial<ToolCallingSettings> {
  const [user, ...workspaces] = configs;
  const approval = {
    default: user?.toolApproval?.default ?? ('ask' as ApprovalDefault),
    allow: [...(user?.toolApproval?.allow ?? [])],
    deny: [...(user?.toolApproval?.deny ?? [])],
  };
  const userCalling = user?.toolCalling;
  const modes: Record<string, ToolCallingMode> = { ...userCalling?.models };
  let maxRounds = userCalling?.maxRounds;
  let budget = { maxTools: userCalling?.maxTools ?? defaultToolBudget.maxTools, maxTokens: userCalling?.maxTokens ?? defaultToolBudget.maxTokens };
  const workspaceApproval: { default?: ApprovalDefault; allow: string[]; deny: string[] } = { allow: [], deny: [] };
  let workspaceSaysAnything = false;
  for (const config of workspaces) {
    if (!config) continue;
    const rules = config.toolApproval;
    if (rules) {
      workspaceSaysAnything = true;
      if (rules.default) workspaceApproval.default = stricter(workspaceApproval.default, rules.default);
      workspaceApproval.allow.push(...(rules.allow ?? []));
      workspaceApproval.deny.push(...(rules.deny ?? []));
    }
    const calling = config.toolCalling;
    if (calling?.maxRounds !== undefined) maxRounds = Math.min(calling.maxRounds, maxRounds ?? defaultMaxRounds);
    if (calling?.maxTools !== undefined) budget = { ...budget, maxTools: Math.min(calling.maxTools, budget.maxTools) };
    if (calling?.maxTokens !== undefined) budget = { ...budget, maxTokens: Math.min(calling.maxTokens, budget.maxTokens) };
    for (const [model, mode] of Object.entries(calling?.models ?? {})) if (userCalling?.models?.[model] !== 'off') modes[model] = mode;
  }
  return {
    ...(maxRounds !== undefined ? { maxRounds } : {}),
    approval,
    ...(workspaceSaysAnything ? { workspaceApproval } : {}),
    budget,
    modelModes: modes,
  };
}

const STRICTNESS: Record<ApprovalDefault, number> = { allow: 0, ask: 1, deny: 2 };

function stricter(a: ApprovalDefault | undefined, b: ApprovalDefault): ApprovalDefault {
  return a !== undefined && STRICTNESS[a] > STRICTNESS[b] ? a : b;
}

/** `models:` of several config files, least specific first: the most specific fact wins. */
export function mergeModelOverrides(configs: readonly (PatchbayConfig | undefined)[]): Record<string, { contextLength?: number }> {
  const merged: Record<string, { contextLength?: number }> = {};
  for (const config of configs) {
    for (const [id, facts] of Object.entries(config?.models ?? {})) merged[id] = { ...merged[id], ...facts };
  }
  return merged;
}
