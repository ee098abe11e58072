/**
 * Loads a plugin's entry file and checks that it exports the plugin contract. CommonJS files
 * are required; ES modules (`.mjs`, or `.js` in a `"type": "module"` package) are imported.
 * Reloading must see the new code, so CommonJS modules under a plugin's location are
 * dropped from the require cache when it unloads, and each ES module import carries the
 * load's generation in its URL.
 */
import { realpathSync } from 'node:fs';
import Module, { createRequire, register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PatchbayPluginModule } from '../api';
import { checkedRealPath, isInside, OutsidePluginFolderError } from './fingerprint';

// A real dynamic import: bundlers rewrite `import()` in CommonJS output into `require()`,
// which cannot load ES modules.
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;
const nodeRequire = createRequire(__filename);

/**
 * `fence`: the folder a workspace plugin's code may load files from (what its consent's
 * fingerprint covers). Its entry must really be inside, and every module it requires or
 * imports, directly or through its dependencies, must resolve inside too (Node's built-in
 * modules aside); anything else is refused with an error naming the file.
 */
export async function loadPluginModule(entryPath: string, generation = 0, fence?: string): Promise<PatchbayPluginModule> {
  if (fence !== undefined) {
    await checkedRealPath(entryPath, fence);
    const realFence = realpathSync(fence);
    fenceModules(realFence);
    fenceImports(realFence);
  }
  const exported = entryPath.endsWith('.mjs') ? await importEsm(entryPath, generation) : await requireOrImport(entryPath, generation);
  return pluginContractOf(exported, entryPath);
}

/** Forgets the CommonJS modules loaded from a plugin's file or folder. */
export function forgetModules(location: string): void {
  const folder = location.endsWith(path.sep) ? location : location + path.sep;
  for (const key of Object.keys(nodeRequire.cache)) {
    if (key === location || key.startsWith(folder)) delete nodeRequire.cache[key];
  }
}

/** Real folders whose modules may require only modules inside them, most specific first. */
const fences: string[] = [];
let fenceInstalled = false;

type ResolveFilename = (request: string, parent: { filename?: string | null } | undefined, isMain: boolean, options?: unknown) => string;

function fenceModules(folder: string): void {
  if (!fences.includes(folder)) {
    fences.push(folder);
    fences.sort((a, b) => b.length - a.length);
  }
  if (fenceInstalled) return;
  fenceInstalled = true;
  // Node has no public hook for CommonJS resolution; wrapping the resolver is how the module
  // system itself is extended (and it leaves every module outside the fences alone).
  const internals = Module as unknown as { _resolveFilename: ResolveFilename };
  const resolve = internals._resolveFilename;
  internals._resolveFilename = function (this: unknown, request, parent, isMain, options) {
    const resolved = resolve.call(this, request, parent, isMain, options);
    const from = parent?.filename;
    if (!from || !path.isAbsolute(resolved)) return resolved;
    const fence = fences.find((folder) => isInside(from, folder));
    if (fence === undefined) return resolved;
    const real = realpathSync(resolved);
    if (!isInside(real, fence)) {
      throw new OutsidePluginFolderError(
        `"${request}", required by ${from}, resolves to ${real}, outside the plugin's folder ${fence}; a workspace plugin may only load files inside its own folder and Node's built-in modules`,
      );
    }
    return resolved;
  };
}

/**
 * ES modules resolve through Node's loader, which takes hooks (`module.register`, one per
 * fence): an import from a module inside the fence must resolve inside it, to a file or a
 * built-in. The hooks run on the loader's own thread, so they are plain text here.
 */
const importFences = new Set<string>();

const FENCE_HOOKS = `
const fences = [];
export function initialize(data) { fences.push(data.fence); fences.sort((a, b) => b.length - a.length); }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  const parent = context.parentURL;
  const fence = parent && fences.find((folder) => parent.startsWith(folder));
  if (!fence || !result.url.startsWith('file:') || result.url.startsWith(fence)) return result;
  const where = (url) => decodeURIComponent(new URL(url).pathname);
  throw new Error('"' + specifier + '", imported by ' + where(parent) + ', resolves to ' + where(result.url) + ", outside the plugin's folder " + where(fence).slice(0, -1) + "; a workspace plugin may only load files inside its own folder and Node's built-in modules");
}`;

function fenceImports(folder: string): void {
  if (importFences.has(folder)) return;
  importFences.add(folder);
  register(`data:text/javascript,${encodeURIComponent(FENCE_HOOKS)}`, { data: { fence: `${pathToFileURL(folder).href}/` } });
}

function importEsm(entryPath: string, generation: number): Promise<unknown> {
  const url = pathToFileURL(entryPath);
  url.searchParams.set('generation', String(generation));
  return importModule(url.href);
}

async function requireOrImport(entryPath: string, generation: number): Promise<unknown> {
  try {
    return createRequire(entryPath)(entryPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_REQUIRE_ESM') return importEsm(entryPath, generation);
    throw error;
  }
}

function pluginContractOf(exported: unknown, entryPath: string): PatchbayPluginModule {
  for (const candidate of [exported, (exported as { default?: unknown } | undefined)?.default]) {
    if (typeof candidate === 'object' && candidate !== null && typeof (candidate as PatchbayPluginModule).activate === 'function') {
      const plugin = candidate as PatchbayPluginModule;
      if (plugin.deactivate !== undefined && typeof plugin.deactivate !== 'function') {
        throw new Error(`${entryPath} exports "deactivate" that is not a function`);
      }
      return plugin;
    }
  }
  throw new Error(`${entryPath} does not export an "activate(context)" function`);
}
