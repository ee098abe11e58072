/**
 * "Add Tool Plugin from URL" (see addToolPluginFlow.ts). Its work, with the OpenAPI reader
 * it needs, is one of the late modules (esbuild.mjs): loaded when the command first runs,
 * so VS Code does not parse it while activating Patchbay.
 */
import * as vscode from 'vscode';
import type { ChatServices } from '../core/chatServices';
import { describeError } from '../core/errors';
import type * as AddToolPluginFlow from './addToolPluginFlow';

export interface AddToolPluginDeps {
  services: ChatServices;
  globalPluginsFolder: string;
  syncPlugins(options?: { changedLocations?: ReadonlySet<string> }): Promise<void>;
}

export function registerAddToolPlugin(deps: AddToolPluginDeps): vscode.Disposable {
  return vscode.commands.registerCommand('patchbay.addToolPluginFromUrl', async () => {
    try {
      await (require('./addToolPluginFlow') as typeof AddToolPluginFlow).addToolPlugin(deps);
    } catch (error) {
      void vscode.window.showErrorMessage(`Patchbay: the tool plugin was not added: ${describeError(error)}`);
    }
  });
}
