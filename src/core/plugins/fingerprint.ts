/**
 * A hash of all the code a plugin can run, shown when asking the user to let a workspace
 * plugin run and remembered with the answer, so that any change is asked about again.
 *
 * A folder plugin can load any file in its folder — node_modules and dot-folders included —
 * so all of them are covered. A single-file plugin can require the files next to it, so it
 * covers every file in its plugins folder. Files are read at their real paths: a symlink is
 * followed, and one that leads outside the folder (as an entry that resolves outside it) is
 * refused, as the module loader refuses to load such a file (see moduleLoader.ts).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

const READ_AHEAD = 32;

export class OutsidePluginFolderError extends Error {}

/** The folder whose files a plugin can load: its own folder, or a single file's plugins folder. */
export function codeFolderOf(location: string, isFolder: boolean): string {
  return isFolder ? location : path.dirname(location);
}

export async function fingerprintPlugin(location: string): Promise<string> {
  const isFolder = (await stat(location)).isDirectory();
  const folder = await realpath(codeFolderOf(location, isFolder));
  await checkedRealPath(location, path.dirname(location));
  const hash = createHash('sha256');
  const files = await listFiles(folder, folder, new Set());
  // Read a few at a time (a node_modules has thousands of small files), hash in order.
  for (let start = 0; start < files.length; start += READ_AHEAD) {
    const batch = files.slice(start, start + READ_AHEAD);
    const contents = await Promise.all(batch.map((file) => readFile(file.real)));
    batch.forEach((file, index) => {
      hash.update(file.relative);
      hash.update('\0');
      hash.update(contents[index]!);
      hash.update('\0');
    });
  }
  return hash.digest('hex');
}

/** Where a plugin really is (symlinks resolved), for the consent prompt; refused when outside its folder. */
export function realPluginLocation(location: string): Promise<string> {
  return checkedRealPath(location, path.dirname(location));
}

/** `file`'s real path, which must be inside `folder`'s real path. */
export async function checkedRealPath(file: string, folder: string): Promise<string> {
  const [real, realFolder] = await Promise.all([realpath(file), realpath(folder)]);
  if (!isInside(real, realFolder)) {
    throw new OutsidePluginFolderError(
      `${file} resolves to ${real}, outside the plugin's folder ${realFolder}; a workspace plugin may only use files inside its own folder`,
    );
  }
  return real;
}

export function isInside(file: string, folder: string): boolean {
  return file === folder || file.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}

interface CodeFile {
  /** Relative to the plugin's folder, with `/`: where the plugin sees it. */
  relative: string;
  real: string;
}

async function listFiles(root: string, folder: string, visited: Set<string>): Promise<CodeFile[]> {
  visited.add(folder);
  const entries = await readdir(folder, { withFileTypes: true });
  const files: CodeFile[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(folder, entry.name);
    const relative = path.relative(root, full).split(path.sep).join('/');
    if (entry.isDirectory()) {
      files.push(...(await listFiles(root, full, visited)));
    } else if (entry.isFile()) {
      files.push({ relative, real: full });
    } else if (entry.isSymbolicLink()) {
      let real: string;
      try {
        real = await realpath(full);
      } catch {
        // A dangling link loads nothing.
        continue;
      }
      if (!isInside(real, root)) {
        throw new OutsidePluginFolderError(`${full} links to ${real}, outside the plugin's folder ${root}; a workspace plugin may only use files inside its own folder`);
      }
      const info = await stat(real);
      // A linked folder inside the plugin is listed where it really is, once.
      if (info.isDirectory()) {
        if (!visited.has(real)) files.push(...(await listFiles(root, real, visited)));
      } else if (info.isFile()) {
        files.push({ relative, real });
      }
    }
  }
  return files;
}
