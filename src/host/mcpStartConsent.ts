/**
 * The core's consent port for starting a workspace's stdio MCP server: the same modal
 * warning and per-workspace memory as the workspace's other requests
 * (workspaceConsentPrompt.ts), one server per prompt.
 */
import type * as vscode from 'vscode';
import type { McpConsentPort, McpStartView } from '../core/mcp/mcpConsent';
import { ALLOW_START, DENY_START, describeMcpStart, mcpStartQuestion } from './mcpStartDetail';
import { workspaceConsentPort } from './workspaceConsentPrompt';

const DECISIONS_KEY = 'patchbay.mcpServerStarts';

export function mcpStartConsent(state: vscode.Memento): McpConsentPort {
  const port = workspaceConsentPort<McpStartView>(state, DECISIONS_KEY, {
    question: (views) => views.map(mcpStartQuestion).join('\n'),
    detail: (views) => views.map(describeMcpStart).join('\n\n'),
    accept: ALLOW_START,
    keep: DENY_START,
  });
  return {
    remembered: () => port.remembered(),
    remember: (decisions) => port.remember(decisions),
    askToStartServer: (view) => port.ask([view]),
  };
}
