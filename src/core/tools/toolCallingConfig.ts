/** The tool settings (approval, limits, per-model modes) that config files declare, merged. */
import type { PatchbayConfig } from '../config/configTypes';
import { defaultMaxRounds, type ToolCallingMode, type ToolCallingSettings } from './toolSessions';
import type { ApprovalDefault } from './toolPolicy';
import { defaultToolBudget } from './toolSelection';

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
    ask: [...(user?.toolApproval?.ask ?? [])],
  };
  const userCalling = user?.toolCalling;
  const modes: Record<string, ToolCallingMode> = { ...userCalling?.models };
  let maxRounds = userCalling?.maxRounds;
  let budget = { maxTools: userCalling?.maxTools ?? defaultToolBudget.maxTools, maxTokens: userCalling?.maxTokens ?? defaultToolBudget.maxTokens };
  const workspaceApproval: { default?: ApprovalDefault; allow: string[]; deny: string[]; ask: string[] } = { allow: [], deny: [], ask: [] };
  let workspaceSaysAnything = false;
  for (const config of workspaces) {
    if (!config) continue;
    const rules = config.toolApproval;
    if (rules) {
      workspaceSaysAnything = true;
      if (rules.default) workspaceApproval.default = stricter(workspaceApproval.default, rules.default);
      workspaceApproval.allow.push(...(rules.allow ?? []));
      workspaceApproval.deny.push(...(rules.deny ?? []));
      workspaceApproval.ask.push(...(rules.ask ?? []));
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
