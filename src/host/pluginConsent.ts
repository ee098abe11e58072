/**
 * Asks once per workspace plugin, before its code first runs, whether it may run — showing
 * its path and a hash of its content — and asks again when the content changes. Answers are
 * remembered per workspace. Questions come one at a time.
 */
import * as vscode from 'vscode';
import { fingerprintPlugin, realPluginLocation } from '../core/plugins/fingerprint';
import type { PluginCandidate } from '../core/plugins/discovery';

const DECISIONS_KEY = 'patchbay.pluginConsent';

interface Decision {
  hash: string;
  allowed: boolean;
}

export class PluginConsent {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly state: vscode.Memento) {}

  ask(candidate: PluginCandidate): Promise<boolean> {
    const next = this.queue.then(() => this.decide(candidate));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Records the plugin as allowed as it is now: the user just wrote it (from a template). */
  async allow(location: string): Promise<void> {
    const hash = await fingerprintPlugin(location);
    await this.state.update(DECISIONS_KEY, { ...this.decisions(), [location]: { hash, allowed: true } });
  }

  /** Forgets the answer for a plugin, so the next load asks again. */
  async forget(location: string): Promise<void> {
    const decisions = { ...this.decisions() };
    delete decisions[location];
    await this.state.update(DECISIONS_KEY, decisions);
    await new ReplacementConsent(this.state).forget(location);
  }

  private async decide(candidate: PluginCandidate): Promise<boolean> {
    // Both refuse a plugin whose files lead outside its folder; the load then fails with that error.
    const hash = await fingerprintPlugin(candidate.location);
    const shownPath = await realPluginLocation(candidate.location);
    const known = this.decisions()[candidate.location];
    if (known && known.hash === hash) return known.allowed;
    const changed = known !== undefined;
    const choice = await vscode.window.showWarningMessage(
      changed ? `The workspace plugin "${candidate.displayName}" has changed. Run its code?` : `Run code from the workspace plugin "${candidate.displayName}"?`,
      {
        modal: true,
        detail: `${shownPath}${candidate.location === candidate.entryPath ? ' (with every file next to it, which it can load)' : ''}\nSHA-256 ${hash}\n\nIt runs in the extension host with your permissions. Allow it only if you trust this repository's authors.`,
      },
      'Allow',
      "Don't Allow",
    );
    if (choice === undefined) return false;
    const allowed = choice === 'Allow';
    await this.state.update(DECISIONS_KEY, { ...this.decisions(), [candidate.location]: { hash, allowed } });
    return allowed;
  }

  private decisions(): Record<string, Decision> {
    return this.state.get<Record<string, Decision>>(DECISIONS_KEY) ?? {};
  }
}

const REPLACEMENTS_KEY = 'patchbay.pluginReplacementConsent';

/** Per workspace plugin (by location): which of the user's plugins it may replace, or not. */
interface ReplacementDecision {
  replaces: string;
  allowed: boolean;
}

/**
 * Asks before a workspace plugin takes the place of one of the user's own plugins (global or
 * bundled) with the same id, showing both paths. Until the user allows it, theirs stays.
 * Closing the question keeps theirs too; "Enable Plugin" on the workspace plugin asks again.
 */
export class ReplacementConsent {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly state: vscode.Memento) {}

  /** True allowed, false refused, undefined not asked yet. */
  decision(workspacePlugin: PluginCandidate, usersPlugin: PluginCandidate): boolean | undefined {
    const known = this.decisions()[workspacePlugin.location];
    return known && known.replaces === usersPlugin.location ? known.allowed : undefined;
  }

  ask(workspacePlugin: PluginCandidate, usersPlugin: PluginCandidate): Promise<void> {
    const next = this.queue.then(() => this.decide(workspacePlugin, usersPlugin));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async forget(location: string): Promise<void> {
    const decisions = { ...this.decisions() };
    delete decisions[location];
    await this.state.update(REPLACEMENTS_KEY, decisions);
  }

  private async decide(workspacePlugin: PluginCandidate, usersPlugin: PluginCandidate): Promise<void> {
    if (this.decision(workspacePlugin, usersPlugin) !== undefined) return;
    const choice = await vscode.window.showWarningMessage(
      `The workspace plugin "${workspacePlugin.displayName}" wants to replace your ${usersPlugin.source} plugin "${usersPlugin.id}". Allow it in this workspace?`,
      {
        modal: true,
        detail: `Workspace plugin: ${workspacePlugin.location}\nYour plugin: ${usersPlugin.location}\n\nIt would run in place of yours here. It never receives the secrets saved for your plugin. Until you allow it, yours stays.`,
      },
      'Allow',
      'Keep Mine',
    );
    const decisions = { ...this.decisions(), [workspacePlugin.location]: { replaces: usersPlugin.location, allowed: choice === 'Allow' } };
    await this.state.update(REPLACEMENTS_KEY, decisions);
  }

  private decisions(): Record<string, ReplacementDecision> {
    return this.state.get<Record<string, ReplacementDecision>>(REPLACEMENTS_KEY) ?? {};
  }
}
