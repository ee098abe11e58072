/**
 * Which plugins run isolated: the user's code plugins (global and workspace) in workers, shared
 * by the plugins of one source; the bundled providers, ours and on every answer's hot path, in the host's thread.
 */
import path from 'node:path';
import { isInside } from '../fingerprint';
import { loadPluginModule } from '../moduleLoader';
import type { PluginRuntimeDeps } from '../pluginRuntimeDeps';
import type * as Isolation from './isolatedModule';

type LoadModule = NonNullable<PluginRuntimeDeps['loadModule']>;

/** The isolation runtime is a late module (esbuild.mjs): it loads with the first user plugin, never for the bundled ones alone. */
export function userPluginLoader(bundledFolders: () => readonly string[], options: () => Isolation.IsolationOptions): LoadModule {
  let isolated: LoadModule | undefined;
  return (entryPath, generation, fence, candidate) =>
    bundledFolders().some((folder) => isInside(path.resolve(entryPath), path.resolve(folder)))
      ? loadPluginModule(entryPath, generation, fence)
      : (isolated ??= (require('./isolatedModule') as typeof Isolation).isolatedModuleLoader(options()))(entryPath, generation, fence, candidate);
}
