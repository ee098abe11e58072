/**
 * What Patchbay adds on top of an MCP server, against the SDK's own client talking to the same
 * real server (`@modelcontextprotocol/server-everything` over stdio), measured in the same run:
 *
 *   start: from McpService.start() until the server's tools are registered as chat tools,
 *   vs a bare SDK client's connect() + listTools(); medians of 7 starts, interleaved.
 *   call: one `echo` tool call through Patchbay's tool (its signal, timeout, progress and
 *   result conversion) vs client.callTool() on an SDK client of its own; medians of 300 calls.
 *
 *   npx tsx test/bench/mcp/mcpBench.ts
 */
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ToolDefinition } from '../../../src/core/api';
import { McpService } from '../../../src/core/mcp/mcpService';
import { ContributionRegistry } from '../../../src/core/plugins/contributionRegistry';
import { silentLogger } from '../../../src/core/ports';
import { Redactor } from '../../../src/core/util/redactor';
import { median, peakMemoryMB, report, type BenchResult } from '../benchResult';

const root = path.resolve(__dirname, '../../..');
const server = path.join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const STARTS = 7;
const CALLS = 300;

function ourService(): { service: McpService; registry: ContributionRegistry } {
  const registry = new ContributionRegistry();
  const service = new McpService({
    definitions: () => ({ servers: [{ name: 'everything', scope: 'global', file: '/bench/config.yaml', transport: { type: 'stdio', command: process.execPath, args: [server, 'stdio'], env: {} } }], problems: [] }),
    registry,
    pluginIds: () => new Set(),
    secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined },
    redactor: new Redactor(),
    log: silentLogger,
    isWorkspaceTrusted: () => true,
    workspaceFolder: () => root,
  });
  return { service, registry };
}

async function ourStart(): Promise<{ ms: number; service: McpService; echo: ToolDefinition }> {
  const started = performance.now();
  const { service, registry } = ourService();
  const find = () => registry.all('tool').find((item) => item.owner === 'everything' && item.definition.name === 'echo')?.definition;
  // The tools are registered once the server has listed them, after start() has connected it.
  const registered = new Promise<ToolDefinition>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server's tools were not registered: ${JSON.stringify(service.statuses())}`)), 30_000);
    const listening = registry.onDidChange(() => {
      const echo = find();
      if (!echo) return;
      clearTimeout(timer);
      listening.dispose();
      resolve(echo);
    });
  });
  await service.start();
  const echo = find() ?? (await registered);
  return { ms: performance.now() - started, service, echo };
}

async function sdkStart(): Promise<{ ms: number; client: Client }> {
  const started = performance.now();
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [server, 'stdio'], stderr: 'ignore' }));
  const { tools } = await client.listTools();
  if (!tools.some((tool) => tool.name === 'echo')) throw new Error('the SDK client found no echo tool');
  return { ms: performance.now() - started, client };
}

async function startRow(): Promise<BenchResult> {
  const ours: number[] = [];
  const baseline: number[] = [];
  // One untimed start each: the first pays for loading the SDK and warming the disk cache.
  await (await ourStart()).service.dispose();
  await (await sdkStart()).client.close();
  for (let run = 0; run < STARTS; run++) {
    const mine = await ourStart();
    ours.push(mine.ms);
    await mine.service.dispose();
    const theirs = await sdkStart();
    baseline.push(theirs.ms);
    await theirs.client.close();
  }
  const ratio = median(ours) / median(baseline);
  return {
    metric: "starting an MCP server until its tools are offered (stdio, server-everything)",
    ours: Math.round(median(ours)),
    baseline: Math.round(median(baseline)),
    unit: 'ms',
    ratio,
    target: '<= 1.3x',
    pass: ratio <= 1.3,
    notes: `medians of ${STARTS} starts, interleaved; baseline: the SDK's Client connect() + listTools() on the same server; ours: McpService.start() until the tools are in the chat's registry`,
  };
}

async function callRow(): Promise<BenchResult> {
  const mine = await ourStart();
  const theirs = await sdkStart();
  const context = { signal: new AbortController().signal, log: { info: () => undefined, warn: () => undefined, error: () => undefined } };
  const ours: number[] = [];
  const baseline: number[] = [];
  for (let call = 0; call < CALLS; call++) {
    const message = `call ${call}`;
    let started = performance.now();
    const result = await mine.echo.invoke({ message }, context);
    ours.push(performance.now() - started);
    if (!String(result).includes(message)) throw new Error(`our echo answered ${String(result)}`);
    started = performance.now();
    const direct = await theirs.client.callTool({ name: 'echo', arguments: { message } });
    baseline.push(performance.now() - started);
    if (!JSON.stringify(direct).includes(message)) throw new Error('the direct echo did not echo');
  }
  await mine.service.dispose();
  await theirs.client.close();
  const added = median(ours) - median(baseline);
  return {
    metric: 'one MCP tool call over stdio (echo)',
    ours: Math.round(median(ours) * 100) / 100,
    baseline: Math.round(median(baseline) * 100) / 100,
    unit: 'ms',
    ratio: median(ours) / median(baseline),
    target: '< 1 ms added',
    pass: added < 1,
    notes: `medians of ${CALLS} calls, interleaved; added: ${added.toFixed(2)} ms; baseline: client.callTool() on an SDK client of its own, same server`,
  };
}

async function main(): Promise<void> {
  const results = [await startRow(), await callRow()];
  for (const result of results) result.peakMemoryMB = peakMemoryMB();
  report(results);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
