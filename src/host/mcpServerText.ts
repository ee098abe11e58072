/**
 * The words the Plugins view uses for an MCP server: its status line, its tooltip (a failed
 * server's error and the last lines of its stderr) and the `contextValue` its menus match,
 * `mcpServer:<state>:<scope>`. No `vscode` import, so it is tested in Node.
 */
import type { McpServerState, McpServerStatus } from '../core/mcp/mcpStatus';

export function mcpStateText(state: McpServerState): string {
  switch (state.kind) {
    case 'starting':
      return 'starting…';
    case 'connected':
      return 'connected';
    case 'stopped':
      return 'stopped';
    case 'failed':
      return `failed: ${firstLine(state.error, 100)}`;
    case 'waiting-for-consent':
      return 'waiting for your permission';
    case 'declined':
      return 'not allowed to start';
    case 'refused':
      return `not started: ${firstLine(state.reason, 100)}`;
  }
}

export function mcpServerDescription(server: McpServerStatus): string {
  const count = server.state.kind === 'connected' ? ` · ${server.tools.length} tool${server.tools.length === 1 ? '' : 's'}` : '';
  return `${server.scope} · ${mcpStateText(server.state)}${count}`;
}

/** Plain text: the server, where it is declared, its status, and what went wrong. */
export function mcpServerTooltip(server: McpServerStatus): string {
  const lines = [`MCP server "${server.name}" (${server.scope})`, `Declared in ${server.file}`, `Status: ${mcpStateText(server.state)}`];
  if (server.state.kind === 'failed') {
    lines.push('', `Error: ${server.state.error}`);
    if (server.state.stderrTail.length > 0) lines.push('', 'Last lines of its stderr:', ...server.state.stderrTail);
  }
  if (server.state.kind === 'declined') lines.push('', 'Use "Allow and Start" to be asked again.');
  for (const problem of server.problems) lines.push(`Problem: ${problem}`);
  return lines.join('\n');
}

export function mcpServerContextValue(server: McpServerStatus): string {
  return `mcpServer:${server.state.kind}:${server.scope}`;
}

function firstLine(text: string, max: number): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
