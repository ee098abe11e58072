/** A McpService over real MCP servers (reference ones from npm, and test/fixtures/mcp), with its log and registry. */
import { createServer } from 'node:net';
import path from 'node:path';
import type { CallContext, CallProgress, ToolDefinition } from '../../../src/core/api';
import type { Clock, Logger } from '../../../src/core/ports';
import { ContributionRegistry } from '../../../src/core/plugins/contributionRegistry';
import type { McpConsentPort } from '../../../src/core/mcp/mcpConsent';
import type { McpServerDefinition, McpTransportDefinition } from '../../../src/core/mcp/mcpDefinitions';
import { McpService, type McpServerStatus } from '../../../src/core/mcp/mcpService';
import { Redactor } from '../../../src/core/util/redactor';

const root = path.resolve(__dirname, '../../..');
export const everythingServer = path.join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
export const faultyServer = path.join(root, 'test/fixtures/mcp/faultyServer.mjs');

export function stdioServer(name: string, script: string, args: string[] = [], scope: McpServerDefinition['scope'] = 'global', env: Record<string, string> = {}): McpServerDefinition {
  return { name, scope, file: `/config/${scope}.yaml`, transport: { type: 'stdio', command: process.execPath, args: [script, ...args], env } };
}

export function definition(name: string, transport: McpTransportDefinition, scope: McpServerDefinition['scope'] = 'global'): McpServerDefinition {
  return { name, scope, file: `/config/${scope}.yaml`, transport };
}

export interface Harness {
  service: McpService;
  registry: ContributionRegistry;
  logs: string[];
  secrets: Map<string, string>;
  servers: McpServerDefinition[];
}

export function harness(servers: McpServerDefinition[], options: { clock?: Clock; consent?: McpConsentPort; trusted?: boolean; pluginIds?: string[]; callTimeoutMs?: number; initializeTimeoutMs?: number } = {}): Harness {
  const logs: string[] = [];
  const log: Logger = { debug: (m) => logs.push(m), info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) };
  const registry = new ContributionRegistry();
  const secrets = new Map<string, string>();
  const state = { servers };
  const service = new McpService({
    definitions: () => ({ servers: state.servers, problems: [] }),
    registry,
    pluginIds: () => new Set(options.pluginIds ?? []),
    secrets: { get: async (key) => secrets.get(key), store: async (key, value) => void secrets.set(key, value), delete: async (key) => void secrets.delete(key) },
    redactor: new Redactor(),
    log,
    ...(options.consent ? { consent: options.consent } : {}),
    isWorkspaceTrusted: () => options.trusted ?? true,
    workspaceFolder: () => root,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.callTimeoutMs ? { callTimeoutMs: options.callTimeoutMs } : {}),
    ...(options.initializeTimeoutMs ? { initializeTimeoutMs: options.initializeTimeoutMs } : {}),
  });
  return {
    service,
    registry,
    logs,
    secrets,
    get servers() {
      return state.servers;
    },
    set servers(next) {
      state.servers = next;
    },
  };
}

export function status(service: McpService, name: string): McpServerStatus {
  const found = service.statuses().find((item) => item.name === name);
  if (!found) throw new Error(`no status for ${name}`);
  return found;
}

export function tool(registry: ContributionRegistry, owner: string, name: string): ToolDefinition {
  const found = registry.all('tool').find((item) => item.owner === owner && item.definition.name === name);
  if (!found) throw new Error(`no tool ${owner}.${name}; have ${registry.all('tool').map((item) => `${item.owner}.${item.definition.name}`).join(', ')}`);
  return found.definition;
}

export function callContext(signal = new AbortController().signal, progress?: CallProgress[]): CallContext {
  const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
  return { signal, log, ...(progress ? { reportProgress: (item: CallProgress) => progress.push(item) } : {}) };
}

/** Waits (real time) until `check` holds. */
export async function eventually(check: () => boolean, what: string, ms = 8_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
