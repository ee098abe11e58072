/**
 * The MCP SDK is loaded the first time a server is started, never at activation: a window
 * with no MCP server configured does not even parse it. The extension's build puts the four
 * client modules in one file of their own beside the bundle (see esbuild.mjs).
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import type { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export interface McpSdk {
  Client: typeof Client;
  StdioClientTransport: typeof StdioClientTransport;
  StreamableHTTPClientTransport: typeof StreamableHTTPClientTransport;
  SSEClientTransport: typeof SSEClientTransport;
  /** The variables a stdio server inherits from our environment (PATH, HOME…; never secrets). */
  getDefaultEnvironment(): Record<string, string>;
}

export type McpClient = Client;

let loaded: McpSdk | undefined;

export function mcpSdk(): McpSdk {
  loaded ??= {
    ...(require('@modelcontextprotocol/sdk/client/index.js') as Pick<McpSdk, 'Client'>),
    ...(require('@modelcontextprotocol/sdk/client/stdio.js') as Pick<McpSdk, 'StdioClientTransport' | 'getDefaultEnvironment'>),
    ...(require('@modelcontextprotocol/sdk/client/streamableHttp.js') as Pick<McpSdk, 'StreamableHTTPClientTransport'>),
    ...(require('@modelcontextprotocol/sdk/client/sse.js') as Pick<McpSdk, 'SSEClientTransport'>),
  };
  return loaded;
}
