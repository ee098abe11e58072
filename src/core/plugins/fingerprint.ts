/**
 * A hash of a plugin's content, shown when asking the user to let a workspace plugin run and
 * remembered with the answer, so that changed code is asked about again. For a folder it
 * covers every file except node_modules and dot-folders (dependencies are pinned by the
 * plugin's package.json and lock file, which are covered).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export async function fingerprintPlugin(location: string): Promise<string> {
  const hash = createHash('sha256');
  const info = await stat(location);
  const files = info.isDirectory() ? await listFiles(location) : [location];
  for (const file of files) {
    hash.update(path.relative(info.isDirectory() ? location : path.dirname(location), file).split(path.sep).join('/'));
    hash.update('\0');
    hash.update(await readFile(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(full)));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}
