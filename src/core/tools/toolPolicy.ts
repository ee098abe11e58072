/**
 * Who decides whether a tool call runs. The user's own rules (their global config.yaml)
 * come first (`deny`, then `allow`); then what the user chose with "Always allow this tool";
 * then the default. A call that reads (GET, HEAD, or a plugin's own code) may be always
 * allowed; a call that changes something (POST, PUT, PATCH, DELETE...) is asked about every
 * time unless config.yaml allows it.
 *
 * A workspace's config.yaml is the repository's word, not the user's: its rules are judged
 * apart and may only make the verdict stricter. Where it would be looser (run without asking
 * what the user is asked about, or ask about what the user denies) it counts only for tools
 * the user accepted that loosening for (see workspaceLoosening.ts).
 */
export type ApprovalDefault = 'ask' | 'allow' | 'deny';

export interface ToolApprovalRules {
  default: ApprovalDefault;
  /** Qualified names: `plugin.tool`. */
  allow: readonly string[];
  deny: readonly string[];
  /** Asked about even when read-only (see `readOnly` in the API). */
  ask?: readonly string[];
}

/** The workspace folders' rules, merged; `default` only when one of them sets it. */
export interface WorkspaceApprovalRules {
  default?: ApprovalDefault;
  allow: readonly string[];
  deny: readonly string[];
  ask?: readonly string[];
}

export const defaultApprovalRules: ToolApprovalRules = { default: 'ask', allow: [], deny: [] };

export type Verdict = { decision: 'allow' | 'deny'; reason: string } | { decision: 'ask' };

/**
 * The verdict of the user's own rules and choices. `readOnlyOwn`: the tool says it only
 * reads and belongs to the user's own plugins (bundled or global), so it runs without asking
 * unless the user's rules deny it or name it in `ask`. A workspace plugin's word never counts.
 */
export function approvalVerdict(qualifiedName: string, method: string | undefined, rules: ToolApprovalRules, alwaysAllowed: ReadonlySet<string>, readOnlyOwn = false): Verdict {
  if (matches(rules.deny, qualifiedName)) return { decision: 'deny', reason: `denied by toolApproval.deny in config.yaml` };
  if (matches(rules.allow, qualifiedName)) return { decision: 'allow', reason: 'allowed by toolApproval.allow in config.yaml' };
  if (matches(rules.ask ?? [], qualifiedName)) return { decision: 'ask' };
  if (canAlwaysAllow(method) && alwaysAllowed.has(qualifiedName)) return { decision: 'allow', reason: 'you chose "Always allow this tool"' };
  if (rules.default === 'deny') return { decision: 'deny', reason: 'toolApproval.default is "deny" in config.yaml' };
  if (rules.default === 'allow') return { decision: 'allow', reason: 'toolApproval.default is "allow" in config.yaml' };
  if (readOnlyOwn) return { decision: 'allow', reason: 'a read-only tool of your own plugins' };
  return { decision: 'ask' };
}

/**
 * In an untrusted workspace (where only read-only tools are offered) every call is asked
 * about, whatever the user's rules allow; what they deny stays denied.
 */
export function untrustedVerdict(verdict: Verdict): Verdict {
  return verdict.decision === 'deny' ? verdict : { decision: 'ask' };
}

/** What the workspace's rules alone say about a tool; undefined when they say nothing. */
export function workspaceVerdict(qualifiedName: string, rules: WorkspaceApprovalRules): Verdict | undefined {
  if (matches(rules.deny, qualifiedName)) return { decision: 'deny', reason: "denied by toolApproval.deny in the workspace's config.yaml" };
  if (matches(rules.allow, qualifiedName)) return { decision: 'allow', reason: "allowed by toolApproval.allow in the workspace's config.yaml, which you accepted" };
  if (matches(rules.ask ?? [], qualifiedName)) return { decision: 'ask' };
  if (rules.default === 'deny') return { decision: 'deny', reason: `toolApproval.default is "deny" in the workspace's config.yaml` };
  if (rules.default === 'allow') return { decision: 'allow', reason: `toolApproval.default is "allow" in the workspace's config.yaml, which you accepted` };
  if (rules.default === 'ask') return { decision: 'ask' };
  return undefined;
}

const STRICTNESS: Record<Verdict['decision'], number> = { allow: 0, ask: 1, deny: 2 };

/**
 * The user's and the workspace's verdicts together: the stricter one holds; a looser
 * workspace verdict holds only when `looseningAccepted` says the user accepted it.
 */
export function combinedVerdict(user: Verdict, workspace: Verdict | undefined, looseningAccepted: boolean): Verdict {
  if (!workspace) return user;
  if (STRICTNESS[workspace.decision] >= STRICTNESS[user.decision]) return workspace.decision === user.decision ? user : workspace;
  return looseningAccepted ? workspace : user;
}

/**
 * Whether the workspace's verdict is looser than the user's, and so could hold with the
 * user's consent. A tool the user denies by name stays denied whatever the workspace says.
 */
export function loosens(user: Verdict, workspace: Verdict | undefined, qualifiedName: string, userRules: ToolApprovalRules): workspace is Verdict {
  return workspace !== undefined && !matches(userRules.deny, qualifiedName) && STRICTNESS[workspace.decision] < STRICTNESS[user.decision];
}

/**
 * Reading calls may be allowed for good; calls that change things are asked about each time.
 * `READ` is an MCP tool its server marks read-only (`readOnlyHint`); other MCP tools are `CALL`.
 */
export function canAlwaysAllow(method: string | undefined): boolean {
  return method === undefined || ['GET', 'HEAD', 'READ'].includes(method.toUpperCase());
}

/** A rule names a tool exactly, or a whole plugin's tools with `plugin.*`. */
function matches(rules: readonly string[], qualifiedName: string): boolean {
  return rules.some((rule) => rule === qualifiedName || (rule.endsWith('.*') && qualifiedName.startsWith(rule.slice(0, -1))));
}
