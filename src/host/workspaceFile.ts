/**
 * Where a file the webview names may be read from: only inside a workspace folder, after
 * following every symbolic link. The webview is a less trusted context (it renders model
 * output), so a path from it is checked here, not believed: `../`, absolute paths and links
 * that lead out of the workspace are refused. No `vscode` import, so it is tested in Node.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export type WorkspaceFileResult = { file: string } | { refused: string };

/**
 * The real path of `requested` (relative to a workspace folder, as `@` suggestions send it)
 * in the first of `folders` that has it, or why it cannot be read.
 */
export async function resolveWorkspaceFile(requested: string, folders: readonly string[]): Promise<WorkspaceFileResult> {
  if (folders.length === 0) return { refused: 'no workspace folder is open' };
  if (requested.trim() === '' || requested.includes('\0')) return { refused: 'that is not a file name' };
  if (path.isAbsolute(requested) || path.win32.isAbsolute(requested)) return { refused: 'only files inside the workspace can be added; this path is absolute' };
  let refusal = 'no workspace folder has this file';
  for (const folder of folders) {
    const candidate = path.resolve(folder, requested);
    if (!isInside(candidate, path.resolve(folder))) return { refused: 'only files inside the workspace can be added; this path leads out of it' };
    let real: string;
    let realFolder: string;
    try {
      [real, realFolder] = await Promise.all([realpath(candidate), realpath(folder)]);
    } catch {
      continue;
    }
    if (!isInside(real, realFolder)) {
      refusal = 'only files inside the workspace can be added; this one is a link to a file outside it';
      continue;
    }
    if (!(await stat(real)).isFile()) {
      refusal = 'it is not a file';
      continue;
    }
    return { file: real };
  }
  return { refused: refusal };
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
