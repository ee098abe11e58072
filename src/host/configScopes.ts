/**
 * Where the plugin commands write: the global config.yaml or the (first) workspace
 * folder's. The workspace file counts only in a trusted workspace, because an untrusted
 * one's config is never read. Edits that undo something ("enable", "reset to default")
 * go to every file that has it, and never create a file just to leave it unchanged.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { yaml } from '../core/util/lazyModules';
import { setConfigValue, type ConfigPath } from '../core/config/editConfig';
import { globalConfigUri, workspaceConfigUri, type ConfigFiles } from './configFiles';

export type ConfigScope = 'global' | 'workspace';

export function writableScopes(): ConfigScope[] {
  const folderOpen = (vscode.workspace.workspaceFolders ?? []).length > 0;
  return folderOpen && vscode.workspace.isTrusted ? ['workspace', 'global'] : ['global'];
}

export function scopeUri(scope: ConfigScope): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return scope === 'workspace' && folder ? workspaceConfigUri(folder) : globalConfigUri();
}

/** "~/.patchbay/config.yaml", or ".patchbay/config.yaml" for the workspace's. */
export function scopeLabel(scope: ConfigScope): string {
  return scope === 'workspace' ? '.patchbay/config.yaml' : homeRelative(globalConfigUri().fsPath);
}

/** A path under the home folder written from `~`, as people know it. */
export function homeRelative(file: string): string {
  const home = os.homedir();
  return file === home || file.startsWith(home + path.sep) ? `~${file.slice(home.length)}` : file;
}

/** Asks which file to write, when there is a choice. */
export async function pickScope(title: string): Promise<ConfigScope | undefined> {
  const scopes = writableScopes();
  if (scopes.length === 1) return scopes[0];
  const items = scopes.map((scope) => ({
    label: scope === 'workspace' ? 'This workspace' : 'All workspaces',
    description: scopeLabel(scope),
    scope,
  }));
  return (await vscode.window.showQuickPick(items, { title, placeHolder: 'Which config file?' }))?.scope;
}

/**
 * Applies `change` to each existing config file whose text it changes. Returns the scopes
 * it edited.
 */
export async function editWhereChanged(configFiles: ConfigFiles, change: (text: string) => string): Promise<ConfigScope[]> {
  const edited: ConfigScope[] = [];
  for (const scope of writableScopes()) {
    const text = await readScope(scope);
    if (text === undefined) continue;
    let changed: string;
    try {
      changed = change(text);
    } catch (error) {
      throw new Error(`${scopeLabel(scope)}: ${(error as Error).message}`);
    }
    if (changed === text) continue;
    await configFiles.edit(scope, change);
    edited.push(scope);
  }
  return edited;
}

/** The text with the value at `path` removed; unchanged when the file does not set it. */
export function withoutValue(text: string, path: ConfigPath): string {
  return yaml().parseDocument(text).hasIn(path) ? setConfigValue(text, path, undefined) : text;
}

/** The list at `path` in the text, or undefined when it has none. */
export function listIn(text: string, path: ConfigPath): string[] | undefined {
  const value = valueAt(yaml().parseDocument(text).toJS(), path);
  return Array.isArray(value) ? value.map(String) : undefined;
}

async function readScope(scope: ConfigScope): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(scopeUri(scope)));
  } catch {
    return undefined;
  }
}

function valueAt(root: unknown, path: ConfigPath): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
