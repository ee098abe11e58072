/**
 * Where a proposed edit may go: a file inside one of the workspace folders, judged by real
 * path (a symbolic link that leads out is refused, as is any `..`), and never a secrets file
 * (`.env`, `.env.local`…) the user did not attach to the question themselves.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { EditRefused } from './editRefused';

export interface WorkspaceRoot {
  name: string;
  /** The folder's absolute path. */
  path: string;
}

export interface EditablePath {
  absolute: string;
  /** As the chat shows it: relative to its folder, with the folder's name first in a multi-root workspace. */
  shown: string;
}

/** `.env`, `.env.local`, `.env.production`…: where keys usually live. */
const SECRETS_FILE = /^\.env(\..*)?$/i;

/**
 * The file `requested` names (relative to the first workspace folder, or to the folder whose
 * name it starts with, or absolute inside one), or an EditRefused saying why not.
 * `attached` says whether the user attached that file to the conversation.
 */
export async function editablePath(requested: string, roots: readonly WorkspaceRoot[], attached: (absolute: string) => boolean = () => false): Promise<EditablePath> {
  if (roots.length === 0) throw new EditRefused('no workspace folder is open, so there is nowhere to edit');
  const trimmed = requested.trim();
  if (trimmed === '' || trimmed.includes('\0')) throw new EditRefused('the path is empty; give a file path relative to the workspace folder');
  if (trimmed.split(/[\\/]+/).includes('..')) throw new EditRefused(`"${requested}" is outside the workspace folders (a path may not contain ".."); only files inside the workspace can be edited`);
  const { root, absolute } = locate(trimmed, roots);
  if (!root) throw new EditRefused(`"${requested}" is outside the workspace folders; only files inside the workspace can be edited`);
  if (absolute === path.resolve(root.path)) throw new EditRefused(`"${requested}" is the workspace folder itself; name a file inside it`);
  if (!(await staysInside(absolute, root.path))) throw new EditRefused(`"${requested}" leads out of the workspace folders through a symbolic link; only files inside the workspace can be edited`);
  if (SECRETS_FILE.test(path.basename(absolute)) && !attached(absolute)) {
    throw new EditRefused(`"${requested}" is a secrets file (.env*); Patchbay proposes edits to it only when the user has attached it to the question`);
  }
  const relative = path.relative(root.path, absolute).split(path.sep).join('/');
  return { absolute, shown: roots.length > 1 ? `${root.name}/${relative}` : relative };
}

function locate(requested: string, roots: readonly WorkspaceRoot[]): { root?: WorkspaceRoot; absolute: string } {
  if (path.isAbsolute(requested)) {
    const absolute = path.resolve(requested);
    return { ...withRoot(roots.find((root) => isInside(absolute, root.path))), absolute };
  }
  const [first, ...rest] = requested.split(/[\\/]+/);
  const named = roots.length > 1 && rest.length > 0 ? roots.find((root) => root.name === first) : undefined;
  const root = named ?? (roots[0] as WorkspaceRoot);
  const absolute = path.resolve(root.path, named ? rest.join('/') : requested);
  return { ...withRoot(isInside(absolute, root.path) ? root : undefined), absolute };
}

function withRoot(root: WorkspaceRoot | undefined): { root?: WorkspaceRoot } {
  return root ? { root } : {};
}

function isInside(file: string, folder: string): boolean {
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
