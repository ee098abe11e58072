/**
 * "Install Plugin Dependencies" (see pluginDependencyInstall.ts): the command, and the offer
 * made when a folder plugin fails to load because a dependency its package.json declares is
 * not installed. Its work is a late module (esbuild.mjs), loaded when the command first runs
 * or a plugin first fails, not while VS Code activates Patchbay.
 */
import * as vscode from 'vscode';
import type { ChatServices } from '../core/chatServices';
import { describeError } from '../core/errors';
import type { Logger } from '../core/ports';
import type * as PluginDependencyInstall from './pluginDependencyInstall';

export interface PluginDependencyDeps {
  services: ChatServices;
  log: Logger;
  syncPlugins(options?: { changedLocations?: ReadonlySet<string> }): Promise<void>;
}

const actions = () => require('./pluginDependencyInstall') as typeof PluginDependencyInstall;

export function registerPluginDependencies(deps: PluginDependencyDeps): vscode.Disposable[] {
  /** Plugin folders npm is running in now. */
  const installing = new Set<string>();
  /** Failures already offered the way out (location and error), so each is offered once. */
  const offered = new Set<string>();
  return [
    vscode.commands.registerCommand('patchbay.installPluginDependencies', (argument?: unknown) =>
      actions().installFor(deps, argument, installing).catch((error: unknown) => {
        void vscode.window.showErrorMessage(`Patchbay: ${describeError(error)}`);
      }),
    ),
    deps.services.plugins.onDidChange(() => {
      // Only a plugin that failed to load may need its dependencies installed.
      for (const record of deps.services.plugins.records()) if (record.status === 'failed') void actions().offerInstall(record, installing, offered);
    }),
  ];
}
