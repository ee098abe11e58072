/**
 * Patchbay's tools in VS Code's agent mode: an MCP server definition VS Code starts when its
 * chat wants tools, a stdio process that bridges to Patchbay's own tool server on 127.0.0.1
 * (core/languageModels/toolServer.ts). An MCP server definition rather than `vscode.lm.registerTool`: that API only
 * takes tools declared in package.json, and Patchbay's come and go with plugins and specs.
 * Nothing from an untrusted workspace is offered: the chat's tools already leave its plugins out.
 */
import * as vscode from 'vscode';
import type { ChatServices } from '../core/chatServices';
import type * as ToolServer from '../core/languageModels/toolServer';
import { bridgeLaunch } from '../core/languageModels/toolServerLaunch';
import { toolServerSdk } from '../core/languageModels/toolServerSdk';
import { defaultToolCalling, type ToolCallingSettings } from '../core/tools/toolSessions';
import { offersToolsToVsCode } from './settings';

export const TOOL_SERVER_PROVIDER = 'patchbay.tools';
export const TOOL_SERVER_LABEL = 'Patchbay tools';

export interface ToolServerDeps {
  services: ChatServices;
  toolCalling(): Partial<ToolCallingSettings>;
  version: string;
  /** What listing the server waits for before it starts Patchbay's work (see core/util/startupGate.ts). */
  afterStartup(): Promise<void>;
}

/** Registers the definition where VS Code has the API (1.101 and later); nothing otherwise. */
export function registerToolServer(deps: ToolServerDeps): vscode.Disposable {
  if (typeof vscode.lm.registerMcpServerDefinitionProvider !== 'function') return new vscode.Disposable(() => undefined);
  // The server is a late module (esbuild.mjs): made when VS Code first asks for it, not while it activates Patchbay.
  let server: ToolServer.PatchbayToolServer | undefined;
  const toolServer = () =>
    (server ??= new (require('../core/languageModels/toolServer') as typeof ToolServer).PatchbayToolServer({
      tools: () => (offersToolsToVsCode() ? deps.services.plugins.registry.tools() : []),
      settings: () => ({ ...defaultToolCalling, ...deps.toolCalling() }),
      callRules: deps.services.plugins.callRules,
      sdk: toolServerSdk,
      version: deps.version,
    }));
  const changed = new vscode.EventEmitter<void>();
  const subscriptions: vscode.Disposable[] = [
    changed,
    vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('patchbay.vscodeTools') && changed.fire()),
    vscode.lm.registerMcpServerDefinitionProvider(TOOL_SERVER_PROVIDER, {
      onDidChangeMcpServerDefinitions: changed.event,
      provideMcpServerDefinitions: async () => {
        if (!offersToolsToVsCode()) return [];
        await deps.afterStartup();
        await deps.services.start();
        const running = await toolServer().start();
        // The version changes with the set of tools, so VS Code lists them again.
        const version = deps.services.plugins.registry.tools().map((tool) => tool.listedName).join(',');
        const launch = bridgeLaunch(running);
        return [new vscode.McpStdioServerDefinition(TOOL_SERVER_LABEL, launch.command, launch.args, launch.env, String(hash(version)))];
      },
    }),
    deps.services.plugins.registry.onDidChange((kind) => kind === 'tool' && changed.fire()),
  ];
  return new vscode.Disposable(() => {
    subscriptions.forEach((item) => item.dispose());
    void server?.stop();
  });
}

function hash(text: string): number {
  let value = 0;
  for (let index = 0; index < text.length; index++) value = (value * 31 + text.charCodeAt(index)) | 0;
  return value >>> 0;
}
