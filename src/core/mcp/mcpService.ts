/**
 * The MCP servers of the window: one connection per defined server, its tools and prompts
 * in the contribution registry while it is connected, its resources on request, and a
 * status for each (for the Plugins view). A workspace's stdio server starts only in a
 * trusted workspace and after the user allowed that exact command (mcpConsent.ts); the
 * user's own servers start without asking. A server whose name is a plugin's id is refused:
 * approval rules could not tell their tools apart. The SDK is loaded only when a server
 * starts.
 */
import type { Resource } from '@modelcontextprotocol/sdk/types.js';
import type { Disposable } from '../api';
import { describeError } from '../errors';
import { realClock, type Clock, type Logger, type SecretPort } from '../ports';
import type { ContributionRegistry } from '../plugins/contributionRegistry';
import type { PluginSource } from '../plugins/pluginCandidate';
import { Emitter } from '../util/emitter';
import { namedLogger } from '../util/namedLogger';
import type { Redactor } from '../util/redactor';
import type { McpConnection } from './mcpConnection';
import { McpStartConsent, mcpStartView, type McpConsentPort } from './mcpConsent';
import type { McpConfigProblem, McpDefinitions, McpServerDefinition, McpStdioTransport } from './mcpDefinitions';
import { mcpSdk, type McpSdk } from './mcpSdk';
import type * as McpRunning from './mcpRunning';
import type { McpServerState, McpServerStatus } from './mcpStatus';

/** What runs servers is a late module (esbuild.mjs): loaded with the first server, never in a window without one. */
const running = () => require('./mcpRunning') as typeof McpRunning;

export type { McpServerState, McpServerStatus } from './mcpStatus';

export interface McpServiceDeps {
  /** The servers from config.yaml files and .vscode/mcp.json, merged (mcpConfig.ts). */
  definitions(): McpDefinitions;
  registry: ContributionRegistry;
  /** Ids of the plugins found, which a server may not take. */
  pluginIds(): ReadonlySet<string>;
  secrets: SecretPort;
  redactor: Redactor;
  log: Logger;
  /** Keeps and asks for consent to start a workspace's stdio server; without it, none starts. */
  consent?: McpConsentPort;
  /** VS Code's Workspace Trust: a workspace's stdio server never starts untrusted. */
  isWorkspaceTrusted(): boolean;
  /** Where stdio servers run unless their `cwd` says otherwise (the first workspace folder). */
  workspaceFolder(): string | undefined;
  clock?: Clock;
  initializeTimeoutMs?: number;
  callTimeoutMs?: number;
  /** The SDK; tests may give their own. */
  sdk?(): McpSdk;
}

interface Entry {
  definition: McpServerDefinition;
  key: string;
  connection?: McpConnection;
  state?: McpServerState | undefined;
  registered?: Disposable | undefined;
  tools: string[];
  prompts: string[];
  problems: string[];
  subscription?: Disposable;
  /** Each registration's number: a slow listing that a newer one overtook is dropped. */
  listing: number;
  /** The latest registration, which `start()` waits for. */
  registering?: Promise<void>;
}

export class McpService {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new Emitter<void>();
  /** Fires when a server's status, tools or prompts change. */
  readonly onDidChange = this.changed.event;
  private readonly consent: McpStartConsent;
  private readonly clock: Clock;
  private configProblems: McpConfigProblem[] = [];

  constructor(private readonly deps: McpServiceDeps) {
    this.consent = new McpStartConsent(() => deps.consent);
    this.clock = deps.clock ?? realClock;
  }

  /** Brings the running servers in line with the definitions: new ones start, changed ones restart, removed ones stop. */
  async start(): Promise<void> {
    const { servers, problems } = this.deps.definitions();
    this.configProblems = problems;
    const wanted = new Map(servers.map((server) => [server.name, server]));
    for (const [name, entry] of this.entries) {
      const next = wanted.get(name);
      if (!next || JSON.stringify(next) !== entry.key) await this.remove(name);
    }
    const starting: Promise<void>[] = [];
    for (const server of servers) {
      if (this.entries.has(server.name)) continue;
      const entry: Entry = { definition: server, key: JSON.stringify(server), tools: [], prompts: [], problems: [], listing: 0 };
      this.entries.set(server.name, entry);
      starting.push(this.launch(entry));
    }
    this.changed.fire();
    await Promise.all(starting);
  }

  /** Problems of the declarations, each with its file and path. */
  problems(): McpConfigProblem[] {
    return [...this.configProblems];
  }

  statuses(): McpServerStatus[] {
    return [...this.entries.values()].map((entry) => ({
      name: entry.definition.name,
      scope: entry.definition.scope,
      file: entry.definition.file,
      state: entry.state ?? entry.connection?.state ?? { kind: 'stopped' },
      tools: [...entry.tools],
      prompts: [...entry.prompts],
      problems: [...entry.problems],
    }));
  }

  /** Starts a server again (one whose start the user declined stays declined: that answer is remembered). */
  async restart(name: string): Promise<void> {
    const entry = this.entryOf(name);
    if (entry.connection) {
      await entry.connection.restart();
      await entry.registering;
    } else await this.launch(entry);
  }

  /** "Allow and Start": forgets the answer about a workspace server's start, asks again, and starts it if allowed. */
  async askAgain(name: string): Promise<void> {
    const entry = this.entryOf(name);
    const server = entry.definition;
    if (server.scope === 'workspace' && server.transport.type === 'stdio') {
      this.consent.forget(mcpStartView(server as McpServerDefinition & { transport: McpStdioTransport }, this.deps.workspaceFolder() ?? '(no folder)'));
    }
    await this.restart(name);
  }

  async stop(name: string): Promise<void> {
    await this.entryOf(name).connection?.stop();
  }

  /** For approval memory ("Always allow"): whose the server is, as a plugin's source and location. */
  ownerOf(name: string): { source: PluginSource; location: string } | undefined {
    const entry = this.entries.get(name);
    return entry ? { source: entry.definition.scope, location: `mcp-server:${entry.definition.file}#${name}` } : undefined;
  }

  /** The server's resources, for the host's context chips. */
  listResources(name: string): Promise<Resource[]> {
    return running().listResources(this.clientOf(name));
  }

  /** A resource's text (binary parts as a placeholder), for a context chip. */
  readResource(name: string, uri: string): Promise<string> {
    return running().readResourceText(this.clientOf(name), uri);
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((name) => this.remove(name)));
    this.changed.dispose();
  }

  private async launch(entry: Entry): Promise<void> {
    const server = entry.definition;
    const set = (state: McpServerState | undefined) => {
      entry.state = state;
      this.changed.fire();
    };
    if (this.deps.pluginIds().has(server.name)) {
      return set({ kind: 'refused', reason: `a plugin has the id "${server.name}": rename the MCP server, so approval rules can tell their tools apart` });
    }
    if (server.scope === 'workspace' && server.transport.type === 'stdio') {
      if (!this.deps.isWorkspaceTrusted()) return set({ kind: 'refused', reason: 'the workspace is not trusted' });
      const view = mcpStartView(server as McpServerDefinition & { transport: McpStdioTransport }, this.deps.workspaceFolder() ?? '(no folder)');
      if (this.consent.known(view) === undefined) set({ kind: 'waiting-for-consent' });
      if (!(await this.consent.allowed(view))) return set({ kind: 'declined' });
      if (this.entries.get(server.name) !== entry) return;
    }
    set(undefined);
    const log = namedLogger(this.deps.log, `mcp:${server.name}`);
    const connection = new (running().McpConnection)(server, {
      sdk: () => (this.deps.sdk ?? mcpSdk)(),
      resolveTransport: () => running().withSecrets(server, this.deps.secrets, this.deps.redactor),
      defaultCwd: this.deps.workspaceFolder(),
      log,
      clock: this.clock,
      initializeTimeoutMs: this.deps.initializeTimeoutMs ?? 30_000,
      onListChanged: (kind) => {
        if (kind !== 'resources') entry.registering = this.register(entry);
      },
    });
    entry.connection = connection;
    entry.subscription = connection.onDidChange((state) => {
      if (state.kind === 'failed') log.error(`failed: ${state.error}`);
      if (state.kind === 'connected') entry.registering = this.register(entry);
      else this.unregister(entry);
      this.changed.fire();
    });
    await connection.start();
    // A list_changed while the first listing runs starts another and the first one gives way:
    // started means the latest listing has registered, not the first.
    let settled: Promise<void> | undefined;
    while (settled !== entry.registering) {
      settled = entry.registering;
      await settled;
    }
  }

  /** Lists the server's tools and prompts and registers them, in place of what it registered before. */
  private async register(entry: Entry): Promise<void> {
    const client = entry.connection?.connectedClient;
    if (!client) return;
    const listing = ++entry.listing;
    try {
      const [tools, prompts] = await Promise.all([running().listTools(client), running().listPrompts(client)]);
      if (listing !== entry.listing || entry.connection?.connectedClient !== client) return;
      entry.registered?.dispose();
      const { registered, problems } = running().registerServerContributions(this.deps.registry, entry.definition.name, tools, prompts, client, { callTimeoutMs: this.deps.callTimeoutMs ?? 60_000 });
      entry.registered = registered;
      entry.tools = tools.map((tool) => tool.name);
      entry.prompts = prompts.map((prompt) => prompt.name);
      entry.problems = problems;
    } catch (error) {
      if (listing !== entry.listing) return;
      entry.problems = [`listing its tools and prompts failed: ${describeError(error)}`];
    }
    this.changed.fire();
  }

  private unregister(entry: Entry): void {
    entry.listing++;
    entry.registered?.dispose();
    entry.registered = undefined;
    entry.tools = [];
    entry.prompts = [];
  }

  private async remove(name: string): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry) return;
    this.entries.delete(name);
    entry.subscription?.dispose();
    this.unregister(entry);
    await entry.connection?.dispose();
    this.changed.fire();
  }

  private entryOf(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`there is no MCP server named "${name}"`);
    return entry;
  }

  private clientOf(name: string) {
    const client = this.entryOf(name).connection?.connectedClient;
    if (!client) throw new Error(`MCP server "${name}" is not connected`);
    return client;
  }
}
