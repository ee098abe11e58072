import * as vscode from 'vscode';

/** VS Code's id of the server definition Patchbay provides: the extension's id, then its label. */
const SERVER_ID = 'patchbay.patchbay/Patchbay tools';

/** Starts Patchbay's tool server in VS Code (as MCP: List Servers → Start Server does) and waits for one of its tools. */
export async function patchbayTool(operation: string): Promise<vscode.LanguageModelToolInformation> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const found = vscode.lm.tools.find((tool) => tool.name.startsWith('mcp_patchbay') && tool.name.endsWith(operation));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no Patchbay tool ${operation} in vscode.lm.tools: ${vscode.lm.tools.map((tool) => tool.name).join(', ')}`);
    await vscode.commands.executeCommand('workbench.mcp.startServer', SERVER_ID, { autoTrustChanges: true });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
