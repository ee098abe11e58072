/**
 * The words of the modal that asks whether a workspace's MCP server may start: everything the
 * remembered answer covers (command, arguments, working folder, environment variable names),
 * written so the user sees exactly what would run. Values of environment variables are never
 * shown: they may hold secrets. No `vscode` import, so it is tested in Node.
 */
import type { McpStartView } from '../core/mcp/mcpConsent';

export const ALLOW_START = 'Allow';
export const DENY_START = "Don't Allow";

export function mcpStartQuestion(view: McpStartView): string {
  return `This workspace wants to start the MCP server "${view.name}", a program on your computer. Allow it?`;
}

export function describeMcpStart(view: McpStartView): string {
  return [
    `Declared in ${view.file}.`,
    '',
    `Command: ${view.command}`,
    `Arguments: ${view.args.length > 0 ? view.args.map(quoted).join(' ') : '(none)'}`,
    `Working folder: ${view.cwd}`,
    `Environment variables: ${view.envNames.length > 0 ? view.envNames.join(', ') : '(none)'}`,
    '',
    `It runs with your permissions. The answer is remembered for this workspace and asked again if any of these change. "${DENY_START}" keeps it stopped.`,
  ].join('\n');
}

/** An argument as a shell would need it written, so spaces and quotes are visible. */
function quoted(arg: string): string {
  return arg !== '' && /^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg);
}
