/**
 * Where a tool may reach: files inside the workspace folders, judged by real path (a symbolic
 * link that leads out is refused, as is any `..`). Shared by the tools that read and those
 * that propose edits; each words its refusals for what it was asked to do.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';

export interface WorkspaceRoot {
  name: string;
  /** The folder's absolute path. */
  path: string;
}

export interface WorkspacePath {
  absolute: string;
  root: WorkspaceRoot;
  /** Relative to its folder, with `/`. */
  relative: string;
  /** As the chat shows it: relative to its folder, with the folder's name first in a multi-root workspace. */
  shown: string;
}

/** `.env`, `.env.local`, `.env.production`…: where keys usually live. */
export const SECRETS_FILE = /^\.env(\..*)?$/i;

/** How refusals read: "only files inside the workspace can be {done}". */
export interface PathWording {
  done: string;
  refuse(message: string): Error;
}

/**
 * The file `requested` names (relative to the first workspace folder, or to the folder whose
 * name it starts with, or absolute inside one), or the wording's error saying why not.
 * `allowRoot` lets the folder itself through (listing a folder).
 */
export async function workspacePath(requested: string, roots: readonly WorkspaceRoot[], wording: PathWording, allowRoot = false): Promise<WorkspacePath> {
  const only = `only files inside the workspace can be ${wording.done}`;
  if (roots.length === 0) throw wording.refuse(`no workspace folder is open, so there is nothing to reach; ${only}`);
  const trimmed = requested.trim();
  if (trimmed === '' || trimmed.includes('\0')) throw wording.refuse('the path is empty; give a file path relative to the workspace folder');
  if (trimmed.split(/[\\/]+/).includes('..')) throw wording.refuse(`"${requested}" is outside the workspace folders (a path may not contain ".."); ${only}`);
  const { root, absolute } = locate(trimmed, roots, allowRoot);
  if (!root) throw wording.refuse(`"${requested}" is outside the workspace folders; ${only}`);
  const isRoot = absolute === path.resolve(root.path);
  if (isRoot && !allowRoot) throw wording.refuse(`"${requested}" is the workspace folder itself; name a file inside it`);
  if (!isRoot && !(await staysInside(absolute, root.path))) throw wording.refuse(`"${requested}" leads out of the workspace folders through a symbolic link; ${only}`);
  const relative = path.relative(root.path, absolute).split(path.sep).join('/');
  return { absolute, root, relative, shown: roots.length > 1 ? (relative === '' ? root.name : `${root.name}/${relative}`) : relative };
}

function locate(requested: string, roots: readonly WorkspaceRoot[], allowRoot: boolean): { root?: WorkspaceRoot; absolute: string } {
  const inside = (absolute: string, root: WorkspaceRoot) => isInside(absolute, root.path) || (allowRoot && absolute === path.resolve(root.path));
  if (path.isAbsolute(requested)) {
    const absolute = path.resolve(requested);
    return { ...withRoot(roots.find((root) => inside(absolute, root))), absolute };
  }
  const [first, ...rest] = requested.split(/[\\/]+/);
  const named = roots.length > 1 ? roots.find((root) => root.name === first && (rest.length > 0 || allowRoot)) : undefined;
  const root = named ?? (roots[0] as WorkspaceRoot);
  const absolute = path.resolve(root.path, named ? rest.join('/') : requested);
  return { ...withRoot(inside(absolute, root) ? root : undefined), absolute };
}

function withRoot(root: WorkspaceRoot | undefined): { root?: WorkspaceRoot } {
  return root ? { root } : {};
}

export function isInside(file: string, folder: string): boolean {
  const relative = path.relative(path.resolve(folder), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** The real path of the file (or, for one not there yet, of its nearest existing folder) is inside the folder's real path. */
async function staysInside(absolute: string, folder: string): Promise<boolean> {
  const realFolder = await realpath(folder).catch(() => path.resolve(folder));
  let probe = absolute;
  for (;;) {
    const real = await realpath(probe).catch(() => undefined);
    if (real !== undefined) return real === realFolder ? probe !== absolute : isInside(real, realFolder);
    const parent = path.dirname(probe);
    if (parent === probe) return false;
    probe = parent;
  }
}
