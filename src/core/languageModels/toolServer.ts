/**
 * Patchbay's tools for VS Code's agent mode: an MCP server on 127.0.0.1 (Streamable HTTP, a
 * fresh random token per start, every request without it refused) that VS Code starts through
 * the server definition Patchbay provides. It lists the tools the chat would offer and runs a
 * call under Patchbay's own rules: a tool the user's (or the workspace's) `toolApproval` denies
 * is refused; any other call runs after VS Code's own confirmation, which VS Code asks for
 * every MCP tool call the user has not approved; a call that only reads (GET, HEAD, READ) says
 * so in its annotations. Arguments are checked against the tool's schema, and the call runs
 * under the plugin-call rules (timeout, the plugin failed when it hangs).
 *
 * The SDK's server classes are loaded when the server first starts, as the client's are.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ToolDefinition } from '../api';
import { describeError } from '../errors';
import type { Listed } from '../plugins/contributionRegistry';
import { PluginCaller, type PluginCallRules } from '../plugins/pluginCalls';
import { canAlwaysAllow, approvalVerdict, combinedVerdict, workspaceVerdict } from '../tools/toolPolicy';
import { describeToolCall, describeToolCallNow } from '../tools/callDescription';
import { argumentProblems } from '../tools/toolRunner';
import type { ToolCallingSettings } from '../tools/toolSessions';

/** The parts of the MCP SDK the server uses (see toolServerSdk.ts). */
export interface ToolServerSdk {
  Server: typeof Server;
  StreamableHTTPServerTransport: typeof StreamableHTTPServerTransport;
  ListToolsRequestSchema: typeof ListToolsRequestSchema;
  CallToolRequestSchema: typeof CallToolRequestSchema;
}

export interface ToolServerDeps {
  /** The tools the chat would offer now (none in an untrusted workspace's plugins). */
  tools(): Listed<ToolDefinition>[];
  settings(): ToolCallingSettings;
  callRules: PluginCallRules;
  sdk(): ToolServerSdk;
  version: string;
}

export interface RunningToolServer {
  url: string;
  /** The bearer token every request must carry. */
  token: string;
}

type CallResult = { content: { type: 'text'; text: string }[]; isError?: boolean };

export class PatchbayToolServer {
  private server: http.Server | undefined;
  private running: RunningToolServer | undefined;
  private readonly caller: PluginCaller;

  constructor(private readonly deps: ToolServerDeps) {
    this.caller = new PluginCaller(deps.callRules);
  }

  /** Starts the server if it is not running; its address and token. */
  async start(): Promise<RunningToolServer> {
    if (this.running) return this.running;
    const token = randomBytes(24).toString('base64url');
    const server = http.createServer((request, response) => void this.handle(request, response, token));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.running = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, token };
    return this.running;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.running = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The tools as MCP lists them. */
  listTools(): { name: string; description: string; inputSchema: { type: 'object'; [key: string]: unknown }; annotations: { readOnlyHint: boolean } }[] {
    return this.deps.tools().map((tool) => ({
      name: tool.listedName,
      description: tool.definition.description,
      inputSchema: { ...tool.definition.parameters, type: 'object' },
      annotations: { readOnlyHint: readsOnly(tool.definition) },
    }));
  }

  /** One call, under Patchbay's rules. */
  async callTool(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<CallResult> {
    const tool = this.deps.tools().find((item) => item.listedName === name);
    if (!tool) return failure(`Patchbay offers no tool named "${name}" now.`);
    const settings = this.deps.settings();
    const method = (await describeToolCall(tool.definition, args))?.method;
    const qualifiedName = `${tool.owner}.${tool.definition.name}`;
    const user = approvalVerdict(qualifiedName, method, settings.approval, new Set());
    const workspace = settings.workspaceApproval ? workspaceVerdict(qualifiedName, settings.workspaceApproval) : undefined;
    // A workspace's looser rule counts only where the user accepted it in Patchbay's chat; here it never does.
    const verdict = combinedVerdict(user, workspace, false);
    if (verdict.decision === 'deny') return failure(`Patchbay's rules do not allow calling "${name}" (${verdict.reason}).`);
    const checked = argumentProblems(tool.definition, args);
    if ('broken' in checked) return failure(`"${name}" cannot be called: its argument schema cannot be checked (${checked.broken}).`);
    if (checked.invalid) return failure(`The arguments for "${name}" do not match its schema: ${checked.invalid}.`);
    try {
      const value = await this.caller.call(tool.owner, `the tool "${tool.definition.name}"`, (context) => tool.definition.invoke(args, context), {
        signal,
        timeoutMs: settings.timeoutMs,
        failsPluginOn: 'hang',
      });
      const text = typeof value === 'string' ? value : value === undefined ? '(no result)' : JSON.stringify(value);
      return { content: [{ type: 'text', text: text.length > settings.maxResultChars ? `${text.slice(0, settings.maxResultChars)}\n[cut at ${settings.maxResultChars} characters]` : text }] };
    } catch (error) {
      return failure(`Error from "${name}": ${describeError(error)}`);
    }
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse, token: string): Promise<void> {
    if (request.headers.authorization !== `Bearer ${token}`) {
      response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Patchbay: missing or wrong token' }));
      return;
    }
    const sdk = this.deps.sdk();
    // Stateless: a server and transport of their own for every request, as the SDK advises without sessions.
    const server = new sdk.Server({ name: 'patchbay', version: this.deps.version }, { capabilities: { tools: {} } });
    server.setRequestHandler(sdk.ListToolsRequestSchema, () => ({ tools: this.listTools() }));
    server.setRequestHandler(sdk.CallToolRequestSchema, (call, extra) => this.callTool(call.params.name, call.params.arguments ?? {}, extra.signal));
    const transport = new sdk.StreamableHTTPServerTransport({});
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(request, response);
    } catch (error) {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: describeError(error) }));
    }
  }
}

function failure(text: string): CallResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/** A tool whose calls only read: an HTTP GET or HEAD, or an MCP tool its server marks read-only. */
function readsOnly(tool: ToolDefinition): boolean {
  const method = describeToolCallNow(tool, {})?.method;
  return method !== undefined && canAlwaysAllow(method);
}
