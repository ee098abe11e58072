/**
 * Loads a plugin's entry file and checks that it exports the plugin contract. CommonJS files
 * are required; ES modules (`.mjs`, or `.js` in a `"type": "module"` package) are imported.
 * Reloading must see the new code, so CommonJS modules under a plugin's location are
 * dropped from the require cache when it unloads, and each ES module import carries the
 * load's generation in its URL.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PatchbayPluginModule } from '../api';

// A real dynamic import: bundlers rewrite `import()` in CommonJS output into `require()`,
// which cannot load ES modules.
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;
const nodeRequire = createRequire(__filename);

export async function loadPluginModule(entryPath: string, generation = 0): Promise<PatchbayPluginModule> {
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
