/**
 * `context.services.workspace.gitDiff()` for plugins: each workspace folder's staged and
 * unstaged changes, from VS Code's git extension when it is present and knows the folder's
 * repository, else from the `git` command (core/context/gitDiff.ts).
 */
import * as vscode from 'vscode';
import { gitCommandDiff, workspaceGitDiff, type FolderDiff } from '../core/context/gitDiff';

/** The part of the git extension's API (`vscode.git`, API version 1) used here. */
interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): { getRepository(uri: vscode.Uri): { diff(cached?: boolean): Promise<string> } | null };
}

export async function workspaceFoldersGitDiff(): Promise<string> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => ({ name: folder.name, path: folder.uri.fsPath }));
  return workspaceGitDiff(folders, async (folder) => (await viaGitExtension(folder)) ?? gitCommandDiff(folder));
}

async function viaGitExtension(folder: string): Promise<FolderDiff | undefined> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension) return undefined;
  try {
    const git = extension.isActive ? extension.exports : await extension.activate();
    if (!git.enabled) return undefined;
    const repository = git.getAPI(1).getRepository(vscode.Uri.file(folder));
    if (!repository) return undefined;
    const [staged, unstaged] = await Promise.all([repository.diff(true), repository.diff(false)]);
    return { staged, unstaged };
  } catch {
    // The extension failed (disabled git, an older API): the command says the same thing.
    return undefined;
  }
}
