/**
 * The commands for MCP servers: Restart, Stop, Show Server Output and "Allow and Start" (on
 * a server whose start the user declined: asks again) from the Plugins view, and "Patchbay:
 * Set MCP Secret", which stores a `${secret:name}` value where that server reads it. The
 * value goes from the password box to secret storage and nowhere else.
 */
import * as vscode from 'vscode';
import type { ChatServices } from '../core/chatServices';
import type { McpDefinitions } from '../core/mcp/mcpDefinitions';
import { MCP_SECRET_NAME, mcpSecretKey, referencedSecrets } from '../core/mcp/mcpSecrets';
import type { McpServerStatus } from '../core/mcp/mcpStatus';
import { mcpStateText } from './mcpServerText';
import { isMcpServerNode } from './pluginsView';

export interface McpCommandDeps {
  services: ChatServices;
  definitions(): McpDefinitions;
  secrets: vscode.SecretStorage;
  showOutput(): void;
  describe(error: unknown): string;
}

export function registerMcpCommands(deps: McpCommandDeps): vscode.Disposable[] {
  const register = (id: string, run: (argument?: unknown) => Promise<void>) =>
    vscode.commands.registerCommand(id, (argument?: unknown) =>
      run(argument).catch((error: unknown) => {
        void vscode.window.showErrorMessage(`Patchbay: ${deps.describe(error)}`);
      }),
    );
  const { services } = deps;
  return [
    register('patchbay.restartMcpServer', async (argument) => {
      const server = await serverFor(services, argument, 'Restart MCP Server', () => true);
      if (server) await services.mcp.restart(server.name);
    }),
    register('patchbay.stopMcpServer', async (argument) => {
      const server = await serverFor(services, argument, 'Stop MCP Server', (item) => ['starting', 'connected', 'failed'].includes(item.state.kind));
      if (server) await services.mcp.stop(server.name);
    }),
    register('patchbay.allowMcpServer', async (argument) => {
      const server = await serverFor(services, argument, 'Allow and Start MCP Server', (item) => item.state.kind === 'declined');
      if (server) await services.mcp.askAgain(server.name);
    }),
    register('patchbay.showMcpServerOutput', async () => deps.showOutput()),
    register('patchbay.setMcpSecret', () => setMcpSecret(deps)),
  ];
}

/** The server a menu was opened on, or one the user picks. */
async function serverFor(services: ChatServices, argument: unknown, title: string, include: (status: McpServerStatus) => boolean): Promise<McpServerStatus | undefined> {
  if (isMcpServerNode(argument)) return argument.status;
  await services.start();
  const servers = services.mcp.statuses().filter(include);
  if (servers.length === 0) {
    void vscode.window.showInformationMessage(`Patchbay: no MCP server to ${title.toLowerCase().replace(/ mcp server$/, '')}.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    servers.map((status) => ({ label: status.name, description: `${status.scope} · ${mcpStateText(status.state)}`, status })),
    { title: `Patchbay: ${title}`, placeHolder: 'MCP server' },
  );
  return picked?.status;
}

async function setMcpSecret(deps: McpCommandDeps): Promise<void> {
  await deps.services.start();
  const servers = deps.definitions().servers;
  if (servers.length === 0) {
    void vscode.window.showInformationMessage('Patchbay: no MCP server is declared. Add one under mcpServers: in .patchbay/config.yaml or ~/.patchbay/config.yaml.');
    return;
  }
  const server = (
    await vscode.window.showQuickPick(
      servers.map((item) => ({ label: item.name, description: `${item.scope} · ${item.file}`, server: item })),
      { title: 'Patchbay: Set MCP Secret', placeHolder: 'Which MCP server is the secret for?' },
    )
  )?.server;
  if (!server) return;
  const referenced = referencedSecrets(server);
  const secretName = await vscode.window.showInputBox({
    title: `Patchbay: Set MCP Secret for "${server.name}"`,
    prompt: referenced.length > 0 ? `The name in \${secret:name}; "${server.name}" refers to: ${referenced.join(', ')}` : 'The name in ${secret:name}',
    value: referenced[0] ?? '',
    validateInput: (value) => (MCP_SECRET_NAME.test(value.trim()) ? undefined : 'Letters, digits, ".", "_" and "-".'),
  });
  if (secretName === undefined) return;
  const name = secretName.trim();
  const value = await vscode.window.showInputBox({
    title: `Patchbay: Secret "${name}" of MCP server "${server.name}"`,
    prompt: 'Kept in VS Code secret storage; never written to a file or the log.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) => (text === '' ? 'Enter the value, or press Escape.' : undefined),
  });
  if (value === undefined) return;
  await deps.secrets.store(mcpSecretKey(server, name), value);
  const status = deps.services.mcp.statuses().find((item) => item.name === server.name);
  // A server that failed for want of this secret starts again with it.
  if (status?.state.kind === 'failed') await deps.services.mcp.restart(server.name);
  void vscode.window.showInformationMessage(`Patchbay: saved the secret "${name}" for MCP server "${server.name}".`);
}
