/**
 * Loads a plugin's entry file and checks that it exports the plugin contract. CommonJS files
 * are required; ES modules (`.mjs`, or `.js` in a `"type": "module"` package) are imported.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { PatchbayPluginModule } from '../api/plugin';

// A real dynamic import: bundlers rewrite `import()` in CommonJS output into `require()`,
// which cannot load ES modules.
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

export async function loadPluginModule(entryPath: string): Promise<PatchbayPluginModule> {
  const exported = entryPath.endsWith('.mjs') ? await importModule(pathToFileURL(entryPath).href) : await requireOrImport(entryPath);
  return pluginContractOf(exported, entryPath);
}

async function requireOrImport(entryPath: string): Promise<unknown> {
  try {
    return createRequire(entryPath)(entryPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_REQUIRE_ESM') return importModule(pathToFileURL(entryPath).href);
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
