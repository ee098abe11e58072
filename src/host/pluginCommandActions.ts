/**
 * What the plugin commands do (registered in pluginCommands.ts), loaded when one first runs.
 * Config file edits would reload plugins through the file watcher anyway; the commands sync
 * at once so that what they report is already current.
 */
import * as vscode from 'vscode';
import type { ChatServices } from '../core/chatServices';
import { addToConfigList, removeFromConfigList } from '../core/config/editConfig';
import { describeError, PatchbayError } from '../core/errors';
import type { PluginRecord } from '../core/plugins/pluginRuntime';
import { pluginsFolderReadme } from '../core/plugins/pluginTemplates';
import { editWhereChanged, homeRelative, listIn, pickScope, scopeLabel } from './configScopes';
import type { PluginCommandDeps } from './pluginCommands';
import { templatesFolder } from './pluginCreation';
import { pluginFor } from './pluginPicker';
import { statusText } from './pluginsView';

export { createPluginFromTemplate } from './pluginCreation';
export { configurePlugin } from './pluginSettingsForm';

const DISABLED = ['plugins', 'disabled'];
const ENABLED = ['plugins', 'enabled'];

export async function reloadPlugins(deps: PluginCommandDeps): Promise<void> {
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Patchbay: reloading plugins…' }, () =>
    deps.syncPlugins({ reloadAll: true }),
  );
  const records = deps.services.plugins.records();
  const count = (status: PluginRecord['status']) => records.filter((record) => record.status === status).length;
  const failed = count('failed');
  const waiting = count('waiting-for-consent');
  const summary = `Patchbay: ${count('loaded')} loaded, ${failed} failed${waiting > 0 ? `, ${waiting} waiting for your permission` : ''}.`;
  if (failed === 0) {
    void vscode.window.showInformationMessage(summary);
    return;
  }
  const choice = await vscode.window.showWarningMessage(summary, 'Show Plugins', 'Show Logs');
  if (choice === 'Show Plugins') await vscode.commands.executeCommand('patchbay.pluginsView.focus');
  if (choice === 'Show Logs') await vscode.commands.executeCommand('patchbay.showLogs');
}

/**
 * Takes the plugin off every `disabled` list, puts it on any `enabled` allow-list that
 * leaves it out, and forgets a workspace plugin's consent answer so a past "Don't Allow"
 * cannot keep it off silently: it asks again.
 */
export async function enablePlugin(deps: PluginCommandDeps, argument: unknown): Promise<void> {
  const record = await pluginFor(deps.services, argument, {
    title: 'Patchbay: Enable Plugin',
    include: (item) => item.status === 'disabled' || item.status === 'consent-denied',
    none: 'no plugin is disabled.',
  });
  if (!record) return;
  const { id, location, source } = record.candidate;
  await editWhereChanged(deps.configFiles, (text) => (listIn(text, DISABLED)?.includes(id) ? removeFromConfigList(text, DISABLED, id) : text));
  await editWhereChanged(deps.configFiles, (text) => {
    const enabled = listIn(text, ENABLED);
    return enabled && !enabled.includes(id) ? addToConfigList(text, ENABLED, id) : text;
  });
  if (source === 'workspace') await deps.consent.forget(location);
  // Named as changed so that a plugin whose consent was refused loads (and asks) again.
  await deps.syncPlugins({ changedLocations: new Set([location]) });
  const now = deps.services.plugins.records().find((item) => item.candidate.location === location);
  if (now?.status === 'disabled' || now?.status === 'skipped-untrusted') {
    void vscode.window.showWarningMessage(`Patchbay: "${record.candidate.displayName}" is still not loaded: ${now.detail ?? now.status}.`);
  } else {
    void vscode.window.showInformationMessage(`Patchbay: enabled "${record.candidate.displayName}" (${now ? statusText(now) : 'loading'}).`);
  }
}

export async function disablePlugin(deps: PluginCommandDeps, argument: unknown): Promise<void> {
  const record = await pluginFor(deps.services, argument, {
    title: 'Patchbay: Disable Plugin',
    include: (item) => item.status !== 'disabled' && item.status !== 'shadowed',
    none: 'every plugin is disabled already.',
  });
  if (!record) return;
  const { id, displayName } = record.candidate;
  if (record.status === 'disabled') {
    void vscode.window.showInformationMessage(`Patchbay: "${displayName}" is disabled already (${record.detail ?? 'plugins.disabled'}).`);
    return;
  }
  const scope = await pickScope(`Patchbay: Disable "${displayName}" in`);
  if (!scope) return;
  await deps.configFiles.edit(scope, (text) => addToConfigList(text, DISABLED, id));
  await deps.syncPlugins();
  void vscode.window.showInformationMessage(`Patchbay: disabled "${displayName}" in ${scopeLabel(scope)} (plugins.disabled).`);
}

export async function openPluginFile(services: ChatServices, argument: unknown): Promise<void> {
  const record = await pluginFor(services, argument, { title: 'Patchbay: Open Plugin File', include: () => true, none: 'no plugins are installed.' });
  if (!record) return;
  const { candidate } = record;
  // A folder plugin whose main file is not built yet still has its manifest to show.
  const folder = vscode.Uri.file(candidate.location);
  const files = [vscode.Uri.file(candidate.entryPath), vscode.Uri.joinPath(folder, 'package.json'), vscode.Uri.joinPath(folder, 'ai-plugin.json')];
  for (const file of files) {
    if (await isFile(file)) {
      await vscode.commands.executeCommand('vscode.open', file);
      return;
    }
  }
  void vscode.window.showWarningMessage(`Patchbay: ${candidate.entryPath} does not exist any more.`);
}

/** In the Explorer when the plugin is in the workspace, else in the system's file manager when there is one. */
export async function revealPlugin(services: ChatServices, argument: unknown): Promise<void> {
  const record = await pluginFor(services, argument, { title: 'Patchbay: Reveal Plugin', include: () => true, none: 'no plugins are installed.' });
  if (!record) return;
  const uri = vscode.Uri.file(record.candidate.location);
  if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
  else if (hasLocalFileManager()) await vscode.commands.executeCommand('revealFileInOS', uri);
  else await openPluginFile(services, { type: 'plugin', record });
}

/**
 * The global folder usually lies outside the workspace and, in a browser or remote window,
 * out of reach of a file manager, so it is browsed in a quick pick: folders open further,
 * files open in an editor. An empty folder gets a README that says what belongs there.
 */
export async function openGlobalPluginsFolder(globalPluginsFolder: string, extensionUri: vscode.Uri): Promise<void> {
  const root = vscode.Uri.file(globalPluginsFolder);
  await vscode.workspace.fs.createDirectory(root);
  const entries = await visibleEntries(root);
  if (entries.length === 0) {
    const readme = vscode.Uri.joinPath(root, 'README.md');
    await vscode.workspace.fs.writeFile(readme, new TextEncoder().encode(await pluginsFolderReadme(templatesFolder(extensionUri))));
    await vscode.window.showTextDocument(readme);
    return;
  }
  type Item = vscode.QuickPickItem & { target?: vscode.Uri; folder?: boolean; action?: 'create' | 'reveal' };
  let current = root;
  for (;;) {
    const items: Item[] = [];
    if (current.fsPath !== root.fsPath) items.push({ label: '$(arrow-up) ..', target: vscode.Uri.joinPath(current, '..'), folder: true });
    for (const [name, type] of await visibleEntries(current)) {
      const folder = (type & vscode.FileType.Directory) !== 0;
      items.push({ label: `$(${folder ? 'folder' : 'file'}) ${name}`, target: vscode.Uri.joinPath(current, name), folder });
    }
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: '$(add) Create Plugin from Template…', action: 'create' });
    if (hasLocalFileManager()) items.push({ label: '$(folder-opened) Reveal in File Manager', action: 'reveal' });
    const picked = await vscode.window.showQuickPick(items, { title: `Patchbay: ${homeRelative(current.fsPath)}`, placeHolder: 'Open a file, or a folder to look inside' });
    if (!picked) return;
    if (picked.folder && picked.target) {
      current = picked.target;
      continue;
    }
    if (picked.target) await vscode.window.showTextDocument(picked.target);
    else if (picked.action === 'create') await vscode.commands.executeCommand('patchbay.createPluginFromTemplate');
    else if (picked.action === 'reveal') await vscode.commands.executeCommand('revealFileInOS', current);
    return;
  }
}

export async function runPluginCommand(deps: PluginCommandDeps): Promise<void> {
  const { services } = deps;
  await services.start();
  const commands = services.plugins.pluginUi().commands;
  if (commands.length === 0) {
    void vscode.window.showInformationMessage(
      'Patchbay: no plugin adds commands yet. A plugin adds one with context.registerCommand({ id, title, run }); it then appears here.',
    );
    return;
  }
  const items = commands.map((command) => ({ label: command.title, description: command.plugin, command }));
  const picked = await vscode.window.showQuickPick(items, { title: 'Patchbay: Run Plugin Command', placeHolder: 'Command', matchOnDescription: true });
  if (!picked) return;
  const { key, title, plugin } = picked.command;
  const controller = new AbortController();
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Patchbay: ${title}`, cancellable: true },
      (_progress, token) => {
        token.onCancellationRequested(() => controller.abort(new Error('cancelled by the user')));
        return services.plugins.runCommand(key, controller.signal);
      },
    );
    await deps.carryOutResult(result, plugin);
  } catch (error) {
    if (controller.signal.aborted) return;
    const message = error instanceof PatchbayError ? error.message : describeError(error);
    const choice = await vscode.window.showErrorMessage(`Patchbay: ${message}`, 'Show Logs');
    if (choice === 'Show Logs') await vscode.commands.executeCommand('patchbay.showLogs');
  }
}

async function visibleEntries(folder: vscode.Uri): Promise<[string, vscode.FileType][]> {
  const entries = (await vscode.workspace.fs.readDirectory(folder)).filter(([name]) => !name.startsWith('.'));
  const isFolder = (type: vscode.FileType) => ((type & vscode.FileType.Directory) !== 0 ? 0 : 1);
  return entries.sort((a, b) => isFolder(a[1]) - isFolder(b[1]) || a[0].localeCompare(b[0]));
}

async function isFile(uri: vscode.Uri): Promise<boolean> {
  try {
    return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.File) !== 0;
  } catch {
    return false;
  }
}

/** `revealFileInOS` exists only in the desktop app, and shows the remote machine's files in a remote window. */
function hasLocalFileManager(): boolean {
  return vscode.env.uiKind === vscode.UIKind.Desktop && vscode.env.remoteName === undefined;
}
