/**
 * The commands that manage plugins. Each is a thin step from a VS Code gesture to the
 * services or the config files (pluginCommandActions.ts), a late module (esbuild.mjs):
 * loaded when one of them first runs, so VS Code does not parse it while activating Patchbay.
 */
import * as vscode from 'vscode';
import type { ActionResult } from '../core/api';
import type { ChatServices } from '../core/chatServices';
import { describeError } from '../core/errors';
import type { ConfigFiles } from './configFiles';
import type * as PluginCommandActions from './pluginCommandActions';
import type { PluginConsent } from './pluginConsent';

export interface PluginCommandDeps {
  services: ChatServices;
  configFiles: ConfigFiles;
  consent: PluginConsent;
  globalPluginsFolder: string;
  extensionUri: vscode.Uri;
  syncPlugins(options?: { changedLocations?: ReadonlySet<string>; reloadAll?: boolean }): Promise<void>;
  /** Carries out what a plugin command returned (a notification, an edit, a chip...). */
  carryOutResult(result: ActionResult, pluginId: string): Promise<void>;
}

const actions = () => require('./pluginCommandActions') as typeof PluginCommandActions;

export function registerPluginCommands(deps: PluginCommandDeps): vscode.Disposable[] {
  const register = (id: string, run: (argument?: unknown) => Promise<void>) =>
    vscode.commands.registerCommand(id, (argument?: unknown) =>
      run(argument).catch((error: unknown) => {
        void vscode.window.showErrorMessage(`Patchbay: ${describeError(error)}`);
      }),
    );
  return [
    register('patchbay.reloadPlugins', () => actions().reloadPlugins(deps)),
    register('patchbay.createPluginFromTemplate', () => actions().createPluginFromTemplate(deps)),
    register('patchbay.enablePlugin', (argument) => actions().enablePlugin(deps, argument)),
    register('patchbay.disablePlugin', (argument) => actions().disablePlugin(deps, argument)),
    register('patchbay.configurePlugin', (argument) => actions().configurePlugin(deps, argument)),
    register('patchbay.openPluginFile', (argument) => actions().openPluginFile(deps.services, argument)),
    register('patchbay.revealPlugin', (argument) => actions().revealPlugin(deps.services, argument)),
    register('patchbay.openGlobalPluginsFolder', () => actions().openGlobalPluginsFolder(deps.globalPluginsFolder, deps.extensionUri)),
    register('patchbay.runPluginCommand', () => actions().runPluginCommand(deps)),
  ];
}
