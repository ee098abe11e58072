/** What the Plugins view shows of an MCP server: where it is declared, its state, and what it offers. */
import type { McpConnectionState } from './mcpConnection';
import type { McpServerDefinition } from './mcpDefinitions';

export type McpServerState =
  | McpConnectionState
  | { kind: 'waiting-for-consent' }
  | { kind: 'declined' }
  | { kind: 'refused'; reason: string };

export interface McpServerStatus {
  name: string;
  scope: McpServerDefinition['scope'];
  file: string;
  state: McpServerState;
  tools: string[];
  prompts: string[];
  /** Tools or prompts that could not be registered, and why. */
  problems: string[];
}
