/**
 * Which plugins run isolated: the user's code plugins (global and workspace) in workers, shared
 * by the plugins of one source; the bundled providers, ours and on every answer's hot path, in the host's thread.
 */
import path from 'node:path';
import { isInside } from '../fingerprint';
import { loadPluginModule } from '../moduleLoader';
import type { PluginRuntimeDeps } from '../pluginRuntimeDeps';
import { isolatedModuleLoader, type IsolationOptions } from './isolatedModule';

export function userPluginLoader(bundledFolders: () => readonly string[], options: IsolationOptions): NonNullable<PluginRuntimeDeps['loadModule']> {
  const isolated = isolatedModuleLoader(options);
  return (entryPath, generation, fence, candidate) =>
    bundledFolders().some((folder) => isInside(path.resolve(entryPath), path.resolve(folder)))
      ? loadPluginModule(entryPath, generation, fence)
      : isolated(entryPath, generation, fence, candidate);
}
