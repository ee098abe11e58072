/**
 * Asks whether a workspace's config.yaml may change the settings of the user's own plugins
 * (bundled or global) — showing each plugin, where it is, and every value that would change
 * from what to what — and keeps the answers per workspace. Declining keeps the user's values.
 */
import type * as vscode from 'vscode';
import type { PluginSettingsConsentPort, PluginSettingsOverride } from '../core/plugins/workspacePluginSettings';
import { workspaceConsentPort } from './workspaceConsentPrompt';

const DECISIONS_KEY = 'patchbay.workspacePluginSettings';
const ACCEPT = 'Use Them in This Workspace';
const KEEP = 'Keep Mine';

export function workspacePluginSettingsConsent(state: vscode.Memento): PluginSettingsConsentPort {
  return workspaceConsentPort(state, DECISIONS_KEY, {
    question: "This workspace's .patchbay/config.yaml wants to change the settings of your own plugins. Allow it?",
    detail: describeOverrides,
    accept: ACCEPT,
    keep: KEEP,
  });
}

export function describeOverrides(items: readonly PluginSettingsOverride[]): string {
  const plugins = items.map((item) =>
    [
      `Your ${item.source} plugin "${item.plugin}" (${item.location}):`,
      ...item.changes.map((change) => `  ${change.key}: ${'user' in change ? JSON.stringify(change.user) : '(not set)'} → ${JSON.stringify(change.workspace)}`),
    ].join('\n'),
  );
  return [
    ...plugins,
    '',
    'A setting can send your plugin, with its saved secrets, to another server.',
    `"${KEEP}" keeps your own values for these plugins; the workspace's own plugins still get its settings.`,
  ].join('\n');
}
