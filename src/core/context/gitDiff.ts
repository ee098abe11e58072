/**
 * The working tree's changes of the workspace's folders as text for the model: staged and
 * unstaged, each folder's in a section of its own. Where each folder's two diffs come from is
 * the caller's (VS Code's git extension in the editor); `gitCommandDiff` is the way without
 * it: `git diff --cached` and `git diff` run in the folder.
 */
import { execFile } from 'node:child_process';

export interface FolderDiff {
  staged: string;
  unstaged: string;
}

/** A folder's diffs, or undefined when the folder is in no git repository. */
export type FolderDiffReader = (folder: string) => Promise<FolderDiff | undefined>;

/** At most this much output of one `git diff` is read; the context chip cuts the text further. */
const MAX_GIT_OUTPUT_BYTES = 16 * 1024 * 1024;
const GIT_TIMEOUT_MS = 15_000;

export async function workspaceGitDiff(folders: readonly { name: string; path: string }[], read: FolderDiffReader): Promise<string> {
  if (folders.length === 0) throw new Error('no folder is open, so there is no git diff');
  const sections: string[] = [];
  let repositories = 0;
  for (const folder of folders) {
    const diff = await read(folder.path);
    if (!diff) continue;
    repositories += 1;
    const parts = [
      ...(diff.staged.trim() !== '' ? [`# Staged changes\n${diff.staged.trimEnd()}`] : []),
      ...(diff.unstaged.trim() !== '' ? [`# Unstaged changes\n${diff.unstaged.trimEnd()}`] : []),
    ];
    if (parts.length > 0) sections.push(folders.length > 1 ? `## ${folder.name}\n${parts.join('\n\n')}` : parts.join('\n\n'));
  }
  if (repositories === 0) {
    throw new Error(folders.length === 1 ? `${folders[0]?.name} is not in a git repository` : 'none of the workspace folders is in a git repository');
  }
  return sections.join('\n\n');
}

/** A folder's diffs from the `git` command; undefined when the folder is in no repository. */
export const gitCommandDiff: FolderDiffReader = async (folder) => {
  const inside = await git(folder, ['rev-parse', '--is-inside-work-tree']).catch((error: unknown) => {
    if (error instanceof GitMissing) throw error;
    return undefined;
  });
  if (inside?.trim() !== 'true') return undefined;
  const options = ['--no-color', '--no-ext-diff'];
  const [staged, unstaged] = await Promise.all([git(folder, ['diff', '--cached', ...options]), git(folder, ['diff', ...options])]);
  return { staged, unstaged };
};

class GitMissing extends Error {}

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', ['-c', 'core.quotepath=off', ...args], { cwd, maxBuffer: MAX_GIT_OUTPUT_BYTES, timeout: GIT_TIMEOUT_MS, windowsHide: true }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new GitMissing('the git command is not installed (or not on the PATH), and VS Code\'s git extension is not available'));
      reject(new Error(`git ${args[0]} failed in ${cwd}: ${stderr.trim() || error.message}`));
    });
  });
}
