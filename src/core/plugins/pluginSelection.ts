/**
 * Decides which discovered plugins may load, and says why the others do not:
 *  1. an untrusted workspace's plugins are skipped (no code from it runs);
 *  2. the same id in several places: workspace wins over global wins over bundled, and the
 *     first workspace folder over later ones; the others are shadowed. A workspace plugin
 *     takes the place of one of the user's own (global or bundled) only once the user has
 *     allowed it: until then the user's plugin stays and the workspace one waits;
 *  3. `PATCHBAY_LOAD_PLUGINS` limits which non-bundled plugins load, as llm's
 *     `LLM_LOAD_PLUGINS` does (set and empty: none; a comma list: only those);
 *  4. `plugins.disabled` in config.yaml turns any plugin off; `plugins.enabled` allows
 *     only the listed ones among the non-bundled plugins.
 * Bundled plugins are exempt from the allow-lists so that listing one's own plugins never
 * takes away the built-in providers by accident; they can still be disabled by name.
 */
import type { PluginCandidate, PluginSource } from './discovery';

export interface SelectionRules {
  workspaceTrusted: boolean;
  /** Parsed PATCHBAY_LOAD_PLUGINS: undefined when unset. */
  loadOnly: readonly string[] | undefined;
  /** From config.yaml: when present, only these may load. */
  enabled: readonly string[] | undefined;
  disabled: readonly string[];
  /**
   * The user's answer to a workspace plugin replacing one of theirs of the same id: true
   * allowed, false refused, undefined not asked yet.
   */
  replacement?(workspacePlugin: PluginCandidate, usersPlugin: PluginCandidate): boolean | undefined;
}

export type NotLoadedReason =
  | { status: 'skipped-untrusted'; reason: string }
  | { status: 'shadowed'; reason: string; by: PluginCandidate }
  | { status: 'disabled'; reason: string }
  /** A workspace plugin that would replace one of the user's, which stays until the user allows it. */
  | { status: 'waiting-for-consent' | 'consent-denied'; reason: string; replaces: PluginCandidate };

export interface Selection {
  /** One per id, in discovery order. */
  active: PluginCandidate[];
  notLoaded: { candidate: PluginCandidate; why: NotLoadedReason }[];
}

const PRECEDENCE: Record<PluginSource, number> = { workspace: 3, global: 2, bundled: 1 };

export function parseLoadOnly(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

export function selectPlugins(candidates: readonly PluginCandidate[], rules: SelectionRules): Selection {
  const notLoaded: Selection['notLoaded'] = [];
  const trusted = candidates.filter((candidate) => {
    if (candidate.source !== 'workspace' || rules.workspaceTrusted) return true;
    notLoaded.push({
      candidate,
      why: { status: 'skipped-untrusted', reason: 'the workspace is not trusted, so no code from it runs (Workspace Trust)' },
    });
    return false;
  });

  const winners = new Map<string, PluginCandidate>();
  for (const candidate of trusted) {
    const current = winners.get(candidate.id);
    // Stable: among equals (two workspace folders), the earlier one wins.
    if (!current || PRECEDENCE[candidate.source] > PRECEDENCE[current.source]) winners.set(candidate.id, candidate);
  }
  const held = holdBackReplacements(trusted, winners, rules);
  for (const candidate of trusted) {
    const winner = winners.get(candidate.id);
    const heldBack = held.get(candidate);
    if (heldBack) notLoaded.push({ candidate, why: heldBack });
    else if (winner && winner !== candidate) {
      notLoaded.push({ candidate, why: { status: 'shadowed', reason: `shadowed by the ${winner.source} plugin at ${winner.location}`, by: winner } });
    }
  }

  const active: PluginCandidate[] = [];
  for (const candidate of winners.values()) {
    const why = disabledReason(candidate, rules);
    if (why) notLoaded.push({ candidate, why: { status: 'disabled', reason: why } });
    else active.push(candidate);
  }
  return { active, notLoaded };
}

/** Puts the user's own plugin back where a workspace plugin would replace it without consent. */
function holdBackReplacements(
  trusted: readonly PluginCandidate[],
  winners: Map<string, PluginCandidate>,
  rules: SelectionRules,
): Map<PluginCandidate, NotLoadedReason> {
  const held = new Map<PluginCandidate, NotLoadedReason>();
  for (const [id, winner] of winners) {
    if (winner.source !== 'workspace') continue;
    let users: PluginCandidate | undefined;
    for (const candidate of trusted) {
      if (candidate.id === id && candidate.source !== 'workspace' && (!users || PRECEDENCE[candidate.source] > PRECEDENCE[users.source])) users = candidate;
    }
    if (!users) continue;
    const answer = rules.replacement?.(winner, users);
    if (answer === true) continue;
    winners.set(id, users);
    const yours = `your ${users.source} plugin "${id}" (${users.location})`;
    held.set(winner, answer === false
      ? { status: 'consent-denied', reason: `you chose to keep ${yours} rather than let this workspace plugin replace it; "Patchbay: Enable Plugin" asks again`, replaces: users }
      : { status: 'waiting-for-consent', reason: `it would replace ${yours}; it waits for your permission, and yours stays meanwhile`, replaces: users });
  }
  return held;
}

function disabledReason(candidate: PluginCandidate, rules: SelectionRules): string | undefined {
  if (rules.disabled.includes(candidate.id)) return 'disabled in config.yaml (plugins.disabled)';
  if (candidate.source === 'bundled') return undefined;
  if (rules.enabled && !rules.enabled.includes(candidate.id)) return 'not listed in config.yaml (plugins.enabled)';
  if (rules.loadOnly && !rules.loadOnly.includes(candidate.id)) {
    return rules.loadOnly.length === 0 ? 'PATCHBAY_LOAD_PLUGINS is set and empty' : 'not listed in PATCHBAY_LOAD_PLUGINS';
  }
  return undefined;
}
