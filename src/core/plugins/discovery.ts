/**
 * Finds plugins in plugin folders without running any of their code. A plugin is a single
 * JavaScript file (`.js`, `.cjs`, `.mjs`); a folder whose `package.json` has a `patchbay`
 * section (its `main` is the entry file; the folder may carry its own node_modules); or a
 * folder with an OpenAI-style `ai-plugin.json` (an OpenAPI tool plugin).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PluginConfigSchema } from '../api';
import { parseJsonFile } from '../util/jsonText';
import type { PluginCandidate, PluginRoot, PluginSource } from './pluginCandidate';

export type { PluginCandidate, PluginKind, PluginRoot, PluginSource } from './pluginCandidate';

export interface DiscoveryProblem {
  location: string;
  message: string;
}

export interface DiscoveryResult {
  candidates: PluginCandidate[];
  problems: DiscoveryProblem[];
}

const SCRIPT_EXTENSIONS = new Set(['.js', '.cjs', '.mjs']);
const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

export async function discoverPlugins(roots: readonly PluginRoot[]): Promise<DiscoveryResult> {
  const results = await Promise.all(roots.map(discoverInRoot));
  return {
    candidates: results.flatMap((result) => result.candidates),
    problems: results.flatMap((result) => result.problems),
  };
}

async function discoverInRoot(root: PluginRoot): Promise<DiscoveryResult> {
  const result: DiscoveryResult = { candidates: [], problems: [] };
  let entries;
  try {
    entries = await readdir(root.dir, { withFileTypes: true });
  } catch (error) {
    // A plugin folder that does not exist yet is normal; any other failure is worth saying.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      result.problems.push({ location: root.dir, message: `cannot read the plugin folder: ${(error as Error).message}` });
    }
    return result;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  await Promise.all(
    entries.map(async (entry) => {
      if (entry.name.startsWith('.')) return;
      const location = path.join(root.dir, entry.name);
      if (entry.isFile() && SCRIPT_EXTENSIONS.has(path.extname(entry.name))) {
        const id = path.basename(entry.name, path.extname(entry.name));
        if (!ID_PATTERN.test(id)) {
          result.problems.push({ location, message: `"${id}" is not a valid plugin id (letters, digits, ".", "_", "-")` });
          return;
        }
        result.candidates.push({ id, displayName: id, source: root.source, kind: 'code', location, entryPath: location });
      } else if (entry.isDirectory()) {
        const found = await readFolderManifest(location, root.source);
        if ('candidate' in found) result.candidates.push(found.candidate);
        else if (found.problem) result.problems.push({ location, message: found.problem });
      }
    }),
  );
  result.candidates.sort((a, b) => a.id.localeCompare(b.id));
  return result;
}

type ManifestResult = { candidate: PluginCandidate } | { problem?: string };

async function readFolderManifest(folder: string, source: PluginSource): Promise<ManifestResult> {
  const packageManifest = await readPackageManifest(folder, source);
  if ('candidate' in packageManifest || packageManifest.problem) return packageManifest;
  return readAiPluginManifest(folder, source);
}

/** An OpenAPI tool plugin: the folder name is its id; `ai-plugin.json` is checked when it loads. */
async function readAiPluginManifest(folder: string, source: PluginSource): Promise<ManifestResult> {
  const manifestPath = path.join(folder, 'ai-plugin.json');
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch {
    return {};
  }
  const id = path.basename(folder);
  if (!ID_PATTERN.test(id)) return { problem: `"${id}" is not a valid plugin id (letters, digits, ".", "_", "-")` };
  let manifest: Record<string, unknown> = {};
  try {
    const parsed = parseJsonFile(text);
    if (typeof parsed === 'object' && parsed !== null) manifest = parsed as Record<string, unknown>;
  } catch {
    // Reported with its position when the plugin loads; discovery only needs the folder.
  }
  const candidate: PluginCandidate = {
    id,
    displayName: stringField(manifest['name_for_human']) ?? id,
    source,
    kind: 'openapi',
    location: folder,
    entryPath: manifestPath,
  };
  const description = stringField(manifest['description_for_human']);
  if (description !== undefined) candidate.description = description;
  return { candidate };
}

async function readPackageManifest(folder: string, source: PluginSource): Promise<ManifestResult> {
  const manifestPath = path.join(folder, 'package.json');
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch {
    return {};
  }
  let manifest: unknown;
  try {
    manifest = parseJsonFile(text);
  } catch (error) {
    return { problem: `package.json is not valid JSON: ${(error as Error).message}` };
  }
  if (typeof manifest !== 'object' || manifest === null) return { problem: 'package.json must hold an object' };
  const record = manifest as Record<string, unknown>;
  const section = record['patchbay'];
  if (section === undefined) return {};
  if (typeof section !== 'object' || section === null) return { problem: '"patchbay" in package.json must be an object' };
  const patchbay = section as Record<string, unknown>;
  const id = stringField(patchbay['id']) ?? stringField(record['name']);
  if (id === undefined || !ID_PATTERN.test(id)) {
    return { problem: `package.json needs a valid "patchbay.id" or "name" (letters, digits, ".", "_", "-"); got ${JSON.stringify(id)}` };
  }
  const main = stringField(record['main']) ?? 'index.js';
  const entryPath = path.resolve(folder, main);
  if (!entryPath.startsWith(folder + path.sep)) return { problem: `"main" must point inside the plugin folder; got "${main}"` };
  const candidate: PluginCandidate = {
    id,
    displayName: stringField(patchbay['displayName']) ?? stringField(record['displayName']) ?? id,
    source,
    kind: 'code',
    location: folder,
    entryPath,
  };
  const schema = patchbay['configSchema'];
  if (schema !== undefined) {
    if (typeof schema !== 'object' || schema === null || (schema as { type?: unknown }).type !== 'object') {
      return { problem: '"patchbay.configSchema" must be a JSON Schema with "type": "object"' };
    }
    candidate.configSchema = schema as PluginConfigSchema;
  }
  const description = stringField(patchbay['description']) ?? stringField(record['description']);
  if (description !== undefined) candidate.description = description;
  const version = stringField(record['version']);
  if (version !== undefined) candidate.version = version;
  return { candidate };
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
