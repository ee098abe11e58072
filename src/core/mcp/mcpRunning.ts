/**
 * What McpService needs only once a server starts: the connection, the tools and prompts it
 * registers, its resources and secrets. One late module (esbuild.mjs), so a window with no
 * MCP server never loads it.
 */
export { McpConnection } from './mcpConnection';
export { listPrompts, listTools, registerServerContributions } from './mcpContributions';
export { listResources, readResourceText } from './mcpResources';
export { withSecrets } from './mcpSecrets';
