/**
 * "Create Plugin from Template": asks what kind of plugin, where it should live and its
 * id, writes a working starter plugin there, opens the file to edit first and loads it.
 */
import * as vscode from 'vscode';
import type { ChatServices } from '../core/chatServices';
import { describeError } from '../core/errors';
import { API_DECLARATIONS_FILE, newPluginIdProblem, PLUGIN_TEMPLATES, pluginTemplateFiles, type PluginTemplateInfo } from '../core/plugins/pluginTemplates';
import { homeRelative } from './configScopes';

export interface PluginCreationDeps {
  services: ChatServices;
  /** Plugins the user creates here are theirs: no need to ask before running them. */
  consent: { allow(location: string): Promise<void> };
  globalPluginsFolder: string;
  extensionUri: vscode.Uri;
  syncPlugins(): Promise<void>;
}

const TITLE = 'Patchbay: Create Plugin from Template';
// Discovery picks a folder up by its manifest, so that is written last: a reload that
// happens halfway through never sees a plugin with missing files.
const MANIFESTS = new Set(['package.json', 'ai-plugin.json']);

export async function createPluginFromTemplate(deps: PluginCreationDeps): Promise<void> {
  const template = await pickTemplate();
  if (!template) return;
  const parent = await pickParentFolder(deps.globalPluginsFolder);
  if (!parent) return;
  const id = await askId(parent, template);
  if (!id) return;
  const folder = vscode.Uri.joinPath(parent, id);
  try {
    const apiDeclarations = await readApiDeclarations(deps.extensionUri);
    const files = (await pluginTemplateFiles(templatesFolder(deps.extensionUri), template.kind, id, apiDeclarations)).sort((a, b) => Number(MANIFESTS.has(a.path)) - Number(MANIFESTS.has(b.path)));
    await vscode.workspace.fs.createDirectory(folder);
    for (const file of files) {
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, ...file.path.split('/')), new TextEncoder().encode(file.content));
    }
    await deps.consent.allow(folder.fsPath);
  } catch (error) {
    void vscode.window.showErrorMessage(`Patchbay: could not create the plugin in ${folder.fsPath}: ${describeError(error)}`);
    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, template.mainFile));
  await deps.syncPlugins();
  const record = deps.services.plugins.records().find((item) => item.candidate.location === folder.fsPath);
  const state = record?.status === 'loaded' ? 'It is loaded' : record ? `Its status: ${record.status}${record.detail ? ` (${record.detail})` : ''}` : 'It will load shortly';
  void vscode.window.showInformationMessage(`Patchbay: created the ${template.label.toLowerCase()} plugin "${id}". ${state}; saving its files reloads it.`);
}

async function pickTemplate(): Promise<PluginTemplateInfo | undefined> {
  const items = PLUGIN_TEMPLATES.map((template) => ({ label: template.label, description: template.description, template }));
  return (await vscode.window.showQuickPick(items, { title: TITLE, placeHolder: 'What should the plugin add?' }))?.template;
}

/** The plugins folder to create it in: this workspace's or the global one. */
async function pickParentFolder(globalPluginsFolder: string): Promise<vscode.Uri | undefined> {
  const globalFolder = vscode.Uri.file(globalPluginsFolder);
  // Plugins are found only in local folders (see the plugin roots in extension.ts).
  const workspaceFolder = vscode.workspace.workspaceFolders?.find((folder) => folder.uri.scheme === 'file');
  if (!workspaceFolder) return globalFolder;
  const items = [
    {
      label: 'This workspace',
      description: '.patchbay/plugins',
      detail: vscode.workspace.isTrusted ? 'Shared with everyone who opens this folder; runs after you allow it.' : 'Not loaded until you trust this workspace.',
      folder: vscode.Uri.joinPath(workspaceFolder.uri, '.patchbay', 'plugins'),
    },
    { label: 'All workspaces', description: homeRelative(globalPluginsFolder), detail: 'Yours only, in every workspace.', folder: globalFolder },
  ];
  return (await vscode.window.showQuickPick(items, { title: TITLE, placeHolder: 'Where should the plugin live?' }))?.folder;
}

async function askId(parent: vscode.Uri, template: PluginTemplateInfo): Promise<string | undefined> {
  const id = await vscode.window.showInputBox({
    title: TITLE,
    prompt: `The ${template.label.toLowerCase()} plugin's id: its folder name and how config.yaml refers to it`,
    value: `my-${template.kind}`,
    ignoreFocusOut: true,
    validateInput: async (text) => newPluginIdProblem(text) ?? ((await exists(vscode.Uri.joinPath(parent, text))) ? `${homeRelative(vscode.Uri.joinPath(parent, text).fsPath)} already exists` : undefined),
  });
  return id || undefined;
}

/** Where the build puts the starter plugins (src/templates). */
export function templatesFolder(extensionUri: vscode.Uri): string {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'templates').fsPath;
}

async function readApiDeclarations(extensionUri: vscode.Uri): Promise<string> {
  const uri = vscode.Uri.joinPath(extensionUri, 'dist', API_DECLARATIONS_FILE);
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    throw new Error(`the plugin API declarations are missing from the extension (${uri.fsPath}); build it with "npm run build"`);
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
