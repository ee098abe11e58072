/**
 * The SDK transport for a server: a child process over stdio (its stderr piped to us), or
 * Streamable HTTP with the old SSE transport as the fallback the SDK documents for servers
 * that answer a Streamable HTTP request with a 4xx.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpTransportDefinition } from './mcpDefinitions';
import type { McpClient, McpSdk } from './mcpSdk';

export interface Connected {
  client: McpClient;
  transport: Transport;
}

export interface TransportOptions {
  /** The environment a stdio server inherits before its own `env`. */
  baseEnv: Record<string, string>;
  /** Where a stdio server runs unless its `cwd` says otherwise. */
  defaultCwd: string | undefined;
  /** Each transport as soon as it exists, so a start that times out can still close it (and end its process). */
  track(transport: Transport): void;
}

/**
 * A client connected over the definition's transport (a fresh client for the SSE fallback, as
 * the SDK's docs do); throws what the SDK threw (the caller words it).
 */
export async function connectClient(
  sdk: McpSdk,
  newClient: () => McpClient,
  definition: McpTransportDefinition,
  options: TransportOptions,
  onStderr: (stderr: NodeJS.ReadableStream) => void,
): Promise<Connected> {
  if (definition.type === 'stdio') {
    const cwd = definition.cwd ?? options.defaultCwd;
    const transport = new sdk.StdioClientTransport({
      command: definition.command,
      args: definition.args,
      env: { ...options.baseEnv, ...definition.env },
      ...(cwd ? { cwd } : {}),
      stderr: 'pipe',
    });
    options.track(transport);
    const stderr = transport.stderr as NodeJS.ReadableStream | null;
    if (stderr) onStderr(stderr);
    const client = newClient();
    await client.connect(transport);
    return { client, transport };
  }
  const url = new URL(definition.url);
  const requestInit = { headers: definition.headers };
  if (definition.type === 'http') {
    const transport = new sdk.StreamableHTTPClientTransport(url, { requestInit });
    options.track(transport);
    const client = newClient();
    try {
      await client.connect(transport);
      return { client, transport };
    } catch (error) {
      if (!isClientError(error)) throw error;
      await transport.close().catch(() => undefined);
    }
  }
  const transport = new sdk.SSEClientTransport(url, { requestInit });
  options.track(transport);
  const client = newClient();
  await client.connect(transport);
  return { client, transport };
}

/** A 4xx from a Streamable HTTP request: the server may speak only the old SSE transport. */
function isClientError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'number') return code >= 400 && code < 500;
  return /\b4\d\d\b/.test(String((error as Error | null)?.message ?? ''));
}
