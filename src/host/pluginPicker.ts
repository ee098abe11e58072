/**
 * Which plugin a command is about: the Plugins view item it was run on, or, from the
 * Command Palette, one the user picks from those the command applies to.
 */
import * as vscode from 'vscode';
import type { ChatServices } from '../core/chatServices';
import type { PluginRecord } from '../core/plugins/pluginRuntime';
import { isPluginNode, statusText } from './pluginsView';

export interface PluginPickOptions {
  title: string;
  /** The plugins the command applies to. */
  include(record: PluginRecord): boolean;
  /** Said when none does. */
  none: string;
}

export async function pluginFor(services: ChatServices, argument: unknown, options: PluginPickOptions): Promise<PluginRecord | undefined> {
  await services.start();
  const records = services.plugins.records();
  if (isPluginNode(argument)) {
    // The item may be older than the last reload; its location finds the current record.
    const location = argument.record.candidate.location;
    return records.find((record) => record.candidate.location === location) ?? argument.record;
  }
  const offered = records.filter(options.include);
  if (offered.length === 0) {
    void vscode.window.showInformationMessage(`Patchbay: ${options.none}`);
    return undefined;
  }
  const items = offered.map((record) => ({
    label: record.candidate.displayName,
    description: `${record.candidate.id} · ${record.candidate.source} · ${statusText(record)}`,
    ...(record.detail ? { detail: record.detail } : {}),
    record,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: options.title, placeHolder: 'Plugin', matchOnDescription: true });
  return picked?.record;
}
