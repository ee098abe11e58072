/**
 * "Add Tool Plugin from URL", the command's work: asks for the address, fetches and checks
 * the plugin (core: openapi/pluginFromUrl.ts), shows what it found — tools, credentials, the
 * API's origin — and saves it into the global plugins folder only when the user says so
 * (replacing a plugin of the same name only when they choose Replace); then the plugin loads.
 */
import * as vscode from 'vscode';
import { describeError } from '../core/errors';
import { discardToolPlugin, fetchToolPlugin, manifestUrlOf, pluginFolderExists, saveToolPlugin, type FetchedToolPlugin } from '../core/openapi/pluginFromUrl';
import type { AddToolPluginDeps } from './addToolPlugin';

const SHOWN_TOOLS = 15;

/** The command's work, loaded when it first runs (see addToolPlugin.ts). */
export async function addToolPlugin(deps: AddToolPluginDeps): Promise<void> {
  const input = await vscode.window.showInputBox({
    title: 'Patchbay: Add Tool Plugin from URL',
    prompt: 'The URL of an ai-plugin.json, or of a site that serves one at /.well-known/ai-plugin.json',
    placeHolder: 'https://example.com/.well-known/ai-plugin.json',
    ignoreFocusOut: true,
    validateInput: (value) => {
      if (value.trim() === '') return undefined;
      try {
        manifestUrlOf(value);
        return undefined;
      } catch (error) {
        return describeError(error);
      }
    },
  });
  if (!input?.trim()) return;
  const fetched = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Patchbay: fetching the plugin from ${manifestUrlOf(input)}…` },
    () => fetchToolPlugin(input, { pluginsFolder: deps.globalPluginsFolder }),
  );
  let saved: string;
  try {
    const exists = await pluginFolderExists(fetched, deps.globalPluginsFolder);
    if (!(await confirm(fetched, exists, deps.globalPluginsFolder))) {
      await discardToolPlugin(fetched);
      return;
    }
    saved = await saveToolPlugin(fetched, deps.globalPluginsFolder, { replace: exists });
  } catch (error) {
    await discardToolPlugin(fetched);
    throw error;
  }
  await deps.services.start();
  await deps.syncPlugins({ changedLocations: new Set([saved]) });
  const record = deps.services.plugins.records().find((item) => item.candidate.location === saved);
  if (record?.status === 'failed') {
    void vscode.window.showWarningMessage(`Patchbay: added "${fetched.nameForHuman}" to ${saved}, but it failed to load: ${record.detail ?? 'unknown error'}`);
    return;
  }
  const credentials = fetched.auth === 'none' ? '' : ` Its API needs ${fetched.auth}: set it with "Configure Plugin".`;
  const choice = await vscode.window.showInformationMessage(
    `Patchbay: added "${fetched.nameForHuman}" with ${fetched.tools.length} tool${fetched.tools.length === 1 ? '' : 's'} (${record?.status ?? 'loading'}).${credentials}`,
    ...(credentials ? ['Configure Plugin'] : []),
  );
  if (choice === 'Configure Plugin' && record) await vscode.commands.executeCommand('patchbay.configurePlugin', { type: 'plugin', record });
}

async function confirm(fetched: FetchedToolPlugin, exists: boolean, pluginsFolder: string): Promise<boolean> {
  const tools = fetched.tools.length > SHOWN_TOOLS ? [...fetched.tools.slice(0, SHOWN_TOOLS), `… and ${fetched.tools.length - SHOWN_TOOLS} more`] : fetched.tools;
  const target = vscode.Uri.joinPath(vscode.Uri.file(pluginsFolder), fetched.folderName).fsPath;
  const detail = [
    `Manifest: ${fetched.manifestUrl}`,
    `Spec: ${fetched.specUrl}${fetched.specStaysRemote ? ' (it refers to other documents, so it is read from there each time the plugin loads)' : ''}`,
    `Tool calls go to: ${fetched.apiOrigin}`,
    `Credentials: ${fetched.auth}`,
    `${fetched.tools.length} tool${fetched.tools.length === 1 ? '' : 's'}: ${tools.join(', ')}`,
    '',
    exists ? `${target} exists already: Replace overwrites the plugin there.` : `It is saved to ${target}.`,
    'The model may then call these tools; each call asks for your approval as your tool settings say.',
  ].join('\n');
  const button = exists ? 'Replace' : 'Add';
  const choice = await vscode.window.showWarningMessage(`Add the tool plugin "${fetched.nameForHuman}"?`, { modal: true, detail }, button);
  return choice === button;
}
