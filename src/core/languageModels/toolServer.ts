/**
 * Patchbay's tools for VS Code's agent mode: an MCP server VS Code starts through the server
 * definition Patchbay provides. VS Code launches it as a stdio server, the small bridge of
 * toolServerBridge.ts, which carries the messages to this server on 127.0.0.1; the bridge
 * first sends the fresh random token of this start, and a connection without it is closed
 * unanswered. (Not Streamable HTTP: VS Code's HTTP client for MCP fails on the Node of
 * VS Code 1.106, sending a Content-Length header its fetch refuses, microsoft/vscode#320034.)
 * It lists the tools the chat would offer and runs a
 * call under Patchbay's own rules: a tool the user's (or the workspace's) `toolApproval` denies
 * is refused; any other call runs after VS Code's own confirmation, which VS Code asks for
 * every MCP tool call the user has not approved; a call that only reads (GET, HEAD, READ) says
 * so in its annotations. Arguments are checked against the tool's schema, and the call runs
 * under the plugin-call rules (timeout, the plugin failed when it hangs).
 *
 * The SDK's server classes are loaded when the server first starts, as the client's are.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import net, { type AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
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
  StdioServerTransport: typeof StdioServerTransport;
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
  port: number;
  /** The line a connection must send first. */
  token: string;
}

/** How long a connection may take to send its token, and how long the line may be. */
const TOKEN_WAIT_MS = 5_000;
const TOKEN_LINE_LIMIT = 256;

type CallResult = { content: { type: 'text'; text: string }[]; isError?: boolean };

export class PatchbayToolServer {
  private server: net.Server | undefined;
  private readonly connections = new Set<net.Socket>();
  private running: RunningToolServer | undefined;
  private readonly caller: PluginCaller;

  constructor(private readonly deps: ToolServerDeps) {
    this.caller = new PluginCaller(deps.callRules);
  }

  /** Starts the server if it is not running; its address and token. */
  async start(): Promise<RunningToolServer> {
    if (this.running) return this.running;
    const token = randomBytes(24).toString('base64url');
    const server = net.createServer((socket) => this.accept(socket, token));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.running = { port: (server.address() as AddressInfo).port, token };
    return this.running;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.running = undefined;
    if (!server) return;
    for (const socket of this.connections) socket.destroy();
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

  private accept(socket: net.Socket, token: string): void {
    this.connections.add(socket);
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setNoDelay(true);
    void readFirstLine(socket).then((first) => {
      if (first === undefined || !sameText(first.line, token)) {
        socket.destroy();
        return;
      }
      void this.serve(socket, first.rest);
    });
  }

  /** One MCP session on an accepted connection: a server and transport of its own. */
  private async serve(socket: net.Socket, alreadyRead: Buffer): Promise<void> {
    const sdk = this.deps.sdk();
    const server = new sdk.Server({ name: 'patchbay', version: this.deps.version }, { capabilities: { tools: {} } });
    server.setRequestHandler(sdk.ListToolsRequestSchema, () => ({ tools: this.listTools() }));
    server.setRequestHandler(sdk.CallToolRequestSchema, (call, extra) => this.callTool(call.params.name, call.params.arguments ?? {}, extra.signal));
    // The transport reads what followed the token line first, then the rest of the connection.
    const input = new PassThrough();
    if (alreadyRead.length > 0) input.write(alreadyRead);
    socket.pipe(input);
    socket.on('close', () => void server.close());
    try {
      await server.connect(new sdk.StdioServerTransport(input, socket));
    } catch {
      socket.destroy();
    }
  }
}

/** The first line a connection sends (its token) and what came after it; undefined when it sends none in time. */
function readFirstLine(socket: net.Socket): Promise<{ line: string; rest: Buffer } | undefined> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    const finish = (result: { line: string; rest: Buffer } | undefined) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf(0x0a);
      if (end >= 0) finish({ line: received.subarray(0, end).toString('utf8'), rest: received.subarray(end + 1) });
      else if (received.length > TOKEN_LINE_LIMIT) finish(undefined);
    };
    const onClose = () => finish(undefined);
    const timer = setTimeout(() => finish(undefined), TOKEN_WAIT_MS);
    socket.on('data', onData);
    socket.on('close', onClose);
  });
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function failure(text: string): CallResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/** A tool whose calls only read: an HTTP GET or HEAD, or an MCP tool its server marks read-only. */
function readsOnly(tool: ToolDefinition): boolean {
  const method = describeToolCallNow(tool, {})?.method;
  return method !== undefined && canAlwaysAllow(method);
}
