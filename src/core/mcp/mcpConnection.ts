/**
 * One MCP server's connection and its life: starting, connected, failed (with the error and
 * the last lines of its stderr) or stopped. A server that exits or drops the connection
 * while connected is restarted after 1 s, 2 s, 4 s… up to 30 s between tries; the wait
 * starts over once it has stayed connected for a minute. Its stderr goes to the log line by
 * line. Starting gives up after the initialize timeout with a clear error.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { describeError } from '../errors';
import type { Clock, Logger, TimerHandle } from '../ports';
import { Emitter } from '../util/emitter';
import type { McpServerDefinition, McpTransportDefinition } from './mcpDefinitions';
import type { McpClient, McpSdk } from './mcpSdk';
import { connectClient } from './mcpTransports';

export type McpConnectionState =
  | { kind: 'starting' }
  | { kind: 'connected' }
  | { kind: 'failed'; error: string; stderrTail: string[] }
  | { kind: 'stopped' };

export type McpListKind = 'tools' | 'prompts' | 'resources';

export interface McpConnectionDeps {
  sdk(): McpSdk;
  /** The transport with its secrets read (called at every start, so a changed secret counts). */
  resolveTransport(): Promise<McpTransportDefinition>;
  /** Where a stdio server runs unless its `cwd` says otherwise. */
  defaultCwd: string | undefined;
  /** Stderr lines and protocol errors, under the server's name. */
  log: Logger;
  clock: Clock;
  initializeTimeoutMs: number;
  /** The server said one of its lists changed (`notifications/…/list_changed`). */
  onListChanged(kind: McpListKind): void;
}

const STDERR_TAIL_LINES = 20;
const FIRST_RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;
/** Connected this long, a server's next exit is waited on as if it were its first. */
const STABLE_AFTER_MS = 60_000;

export class McpConnection {
  private current: McpConnectionState = { kind: 'stopped' };
  private readonly changed = new Emitter<McpConnectionState>();
  readonly onDidChange = this.changed.event;
  private client: McpClient | undefined;
  private transport: Transport | undefined;
  /** Each start's number: events of an earlier start (its process closing late) are ignored. */
  private generation = 0;
  private stderrTail: string[] = [];
  private restarts = 0;
  private connectedAt = 0;
  private restartTimer: TimerHandle | undefined;

  constructor(readonly definition: McpServerDefinition, private readonly deps: McpConnectionDeps) {}

  get state(): McpConnectionState {
    return this.current;
  }

  /** The connected client, for listing and calling; undefined unless connected. */
  get connectedClient(): McpClient | undefined {
    return this.current.kind === 'connected' ? this.client : undefined;
  }

  /** Starts the server (a running one is stopped first); resolves once it is connected or failed. */
  async start(): Promise<void> {
    await this.close();
    const generation = ++this.generation;
    this.stderrTail = [];
    this.setState({ kind: 'starting' });
    const isCurrent = () => generation === this.generation;
    try {
      const transport = await this.deps.resolveTransport();
      const connected = await this.withInitializeTimeout(
        connectClient(
          this.deps.sdk(),
          () => this.newClient(isCurrent),
          transport,
          { baseEnv: this.deps.sdk().getDefaultEnvironment(), defaultCwd: this.deps.defaultCwd, track: (started) => this.track(started, isCurrent) },
          (stderr) => this.readStderr(stderr, isCurrent),
        ),
        transport,
      );
      if (!isCurrent()) {
        await connected.transport.close().catch(() => undefined);
        return;
      }
      this.client = connected.client;
      connected.client.onclose = () => {
        if (isCurrent()) this.exitedUnexpectedly();
      };
      this.connectedAt = this.deps.clock.now();
      this.setState({ kind: 'connected' });
    } catch (error) {
      if (!isCurrent()) return;
      this.generation++;
      // The transport of this start (an HTTP one that fell back to SSE: the last) and its process.
      await this.closeTransport();
      this.setState({ kind: 'failed', error: this.startError(error), stderrTail: this.stderrTail });
    }
  }

  /** Stops the server and any restart that was waiting. */
  async stop(): Promise<void> {
    await this.close();
    this.setState({ kind: 'stopped' });
  }

  async restart(): Promise<void> {
    this.restarts = 0;
    await this.start();
  }

  dispose(): Promise<void> {
    this.changed.dispose();
    return this.close();
  }

  private async close(): Promise<void> {
    this.deps.clock.clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.generation++;
    await this.closeTransport();
  }

  private async closeTransport(): Promise<void> {
    const transport = this.transport;
    this.client = undefined;
    this.transport = undefined;
    await transport?.close().catch(() => undefined);
  }

  private track(transport: Transport, isCurrent: () => boolean): void {
    if (isCurrent()) this.transport = transport;
    else void transport.close().catch(() => undefined);
  }

  private newClient(isCurrent: () => boolean): McpClient {
    const refresh = (kind: McpListKind) => ({
      autoRefresh: false,
      debounceMs: 0,
      onChanged: () => {
        if (isCurrent()) this.deps.onListChanged(kind);
      },
    });
    const client = new (this.deps.sdk().Client)(
      { name: 'patchbay', version: '1.0.0' },
      { capabilities: {}, listChanged: { tools: refresh('tools'), prompts: refresh('prompts'), resources: refresh('resources') } },
    );
    // A line that is not JSON-RPC is reported and skipped; the connection goes on.
    client.onerror = (error) => {
      if (isCurrent()) this.deps.log.warn(`protocol error: ${describeError(error)}`);
    };
    return client;
  }

  private withInitializeTimeout<T>(connecting: Promise<T>, transport: McpTransportDefinition): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const seconds = Math.round(this.deps.initializeTimeoutMs / 1000);
      const what = transport.type === 'stdio' ? `\`${transport.command}\`` : transport.url;
      const timer = this.deps.clock.setTimeout(() => reject(new Error(`${what} did not finish the MCP initialize handshake within ${seconds} s`)), this.deps.initializeTimeoutMs);
      connecting.then(
        (value) => {
          this.deps.clock.clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          this.deps.clock.clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  private startError(error: unknown): string {
    const code = (error as { code?: unknown } | null)?.code;
    const transport = this.definition.transport;
    if (transport.type === 'stdio' && (code === 'ENOENT' || code === 'EACCES')) return `could not start \`${transport.command}\` (${code})`;
    const message = describeError(error);
    if (/connection closed/i.test(message)) return `the server exited before it finished starting (${message})`;
    return message;
  }

  private exitedUnexpectedly(): void {
    this.generation++;
    this.client = undefined;
    this.transport = undefined;
    const connectedFor = this.deps.clock.now() - this.connectedAt;
    if (connectedFor >= STABLE_AFTER_MS) this.restarts = 0;
    const delay = Math.min(FIRST_RESTART_DELAY_MS * 2 ** this.restarts, MAX_RESTART_DELAY_MS);
    this.restarts++;
    const error = `the server exited or closed the connection; restarting in ${delay / 1000} s`;
    this.deps.log.warn(error);
    this.setState({ kind: 'failed', error, stderrTail: this.stderrTail });
    this.restartTimer = this.deps.clock.setTimeout(() => {
      this.restartTimer = undefined;
      void this.start();
    }, delay);
  }

  private readStderr(stderr: NodeJS.ReadableStream, isCurrent: () => boolean): void {
    let partial = '';
    stderr.setEncoding('utf8');
    stderr.on('data', (chunk: string) => {
      const lines = (partial + chunk).split(/\r?\n/);
      partial = lines.pop() ?? '';
      for (const line of lines) this.stderrLine(line, isCurrent);
    });
    stderr.on('end', () => {
      if (partial) this.stderrLine(partial, isCurrent);
      partial = '';
    });
  }

  private stderrLine(line: string, isCurrent: () => boolean): void {
    if (line.trim() === '') return;
    this.deps.log.info(`stderr: ${line}`);
    // Lines of a process that just exited still belong in the tail its failure shows.
    if (!isCurrent() && this.current.kind !== 'failed') return;
    this.stderrTail.push(line);
    if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
  }

  private setState(state: McpConnectionState): void {
    this.current = state;
    this.changed.fire(state);
  }
}
