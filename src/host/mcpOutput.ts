/**
 * The "Patchbay MCP" output channel: every line an MCP server's part of the log writes
 * (`[mcp:<server>] …`: its stderr, protocol errors, failures) also goes here, redacted, so
 * "Show Server Output" opens just the servers' words. Created with its first line.
 */
import * as vscode from 'vscode';
import type { Logger } from '../core/ports';
import type { Redactor } from '../core/util/redactor';

export interface McpOutput extends vscode.Disposable {
  /** `log`, with the MCP servers' lines copied to the channel. */
  log: Logger;
  show(): void;
}

export function createMcpOutput(log: Logger, redactor: Redactor): McpOutput {
  let channel: vscode.LogOutputChannel | undefined;
  const open = () => (channel ??= vscode.window.createOutputChannel('Patchbay MCP', { log: true }));
  const tee = (level: keyof Logger) => (message: string) => {
    log[level](message);
    if (message.startsWith('[mcp:')) open()[level](redactor.redact(message));
  };
  return {
    log: { debug: tee('debug'), info: tee('info'), warn: tee('warn'), error: tee('error') },
    show: () => open().show(true),
    dispose: () => channel?.dispose(),
  };
}
