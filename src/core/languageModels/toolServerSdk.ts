/**
 * The MCP SDK's server classes, loaded when Patchbay's tool server first starts: the build
 * puts them in the same file beside the bundle as the client's (see esbuild.mjs).
 */
import type { ToolServerSdk } from './toolServer';

let loaded: ToolServerSdk | undefined;

export function toolServerSdk(): ToolServerSdk {
  loaded ??= {
    ...(require('@modelcontextprotocol/sdk/server/index.js') as Pick<ToolServerSdk, 'Server'>),
    ...(require('@modelcontextprotocol/sdk/server/stdio.js') as Pick<ToolServerSdk, 'StdioServerTransport'>),
    ...(require('@modelcontextprotocol/sdk/types.js') as Pick<ToolServerSdk, 'ListToolsRequestSchema' | 'CallToolRequestSchema'>),
  };
  return loaded;
}
