/**
 * An MCP server as Patchbay runs it, read from config.yaml (`mcpServers:`) or a workspace's
 * `.vscode/mcp.json`. `${workspaceFolder}` and `${env:NAME}` are already replaced;
 * `${secret:name}` stays as written and is read from the secret store only when the server
 * is started (see mcpSecrets.ts), so a definition never holds a secret and can be shown.
 */
export type McpScope = 'global' | 'workspace';

export interface McpStdioTransport {
  type: 'stdio';
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

export interface McpHttpTransport {
  /** `http`: Streamable HTTP, falling back to SSE when the server answers 4xx; `sse`: the old SSE transport. */
  type: 'http' | 'sse';
  url: string;
  headers: Record<string, string>;
}

export type McpTransportDefinition = McpStdioTransport | McpHttpTransport;

export interface McpServerDefinition {
  /** The owner of its tools and prompts: approval rules name them `name.tool`. */
  name: string;
  scope: McpScope;
  /** The file it is declared in. */
  file: string;
  transport: McpTransportDefinition;
}

/** A declaration that could not be used, and where it is. */
export interface McpConfigProblem {
  file: string;
  /** The path of the offending value in the file, e.g. `['mcpServers', 'files', 'args', 0]`. */
  path: (string | number)[];
  message: string;
}

export interface McpDefinitions {
  servers: McpServerDefinition[];
  problems: McpConfigProblem[];
}

/** Letters, digits, `_` and `-`: a server name is the first part of `server.tool`, so no dots. */
export const MCP_SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
