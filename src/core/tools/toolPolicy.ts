/**
 * Who decides whether a tool call runs. Rules in config.yaml come first (`deny`, then
 * `allow`); then what the user chose with "Always allow this tool"; then the default. A
 * call that reads (GET, HEAD, or a plugin's own code) may be always allowed; a call that
 * changes something (POST, PUT, PATCH, DELETE...) is asked about every time unless
 * config.yaml allows it.
 */
export type ApprovalDefault = 'ask' | 'allow' | 'deny';

export interface ToolApprovalRules {
  default: ApprovalDefault;
  /** Qualified names: `plugin.tool`. */
  allow: readonly string[];
  deny: readonly string[];
}

export const defaultApprovalRules: ToolApprovalRules = { default: 'ask', allow: [], deny: [] };

export type Verdict = { decision: 'allow' | 'deny'; reason: string } | { decision: 'ask' };

export function approvalVerdict(qualifiedName: string, method: string | undefined, rules: ToolApprovalRules, alwaysAllowed: ReadonlySet<string>): Verdict {
  if (matches(rules.deny, qualifiedName)) return { decision: 'deny', reason: `denied by toolApproval.deny in config.yaml` };
  if (matches(rules.allow, qualifiedName)) return { decision: 'allow', reason: 'allowed by toolApproval.allow in config.yaml' };
  if (canAlwaysAllow(method) && alwaysAllowed.has(qualifiedName)) return { decision: 'allow', reason: 'you chose "Always allow this tool"' };
  if (rules.default === 'deny') return { decision: 'deny', reason: 'toolApproval.default is "deny" in config.yaml' };
  if (rules.default === 'allow') return { decision: 'allow', reason: 'toolApproval.default is "allow" in config.yaml' };
  return { decision: 'ask' };
}

/** Reading calls may be allowed for good; calls that change things are asked about each time. */
export function canAlwaysAllow(method: string | undefined): boolean {
  return method === undefined || ['GET', 'HEAD'].includes(method.toUpperCase());
}

/** A rule names a tool exactly, or a whole plugin's tools with `plugin.*`. */
function matches(rules: readonly string[], qualifiedName: string): boolean {
  return rules.some((rule) => rule === qualifiedName || (rule.endsWith('.*') && qualifiedName.startsWith(rule.slice(0, -1))));
}
