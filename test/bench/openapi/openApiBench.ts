/**
 * OpenAPI to tools: the GitHub REST description from @octokit/openapi (about 13 MB, 1,200+
 * operations) read and turned into registered tool definitions, against reading the file and
 * JSON.parse-ing it. Target: <= 1.5x. Argument schemas are built when a tool is offered, so
 * a second row measures building all of them too (for information).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ToolDefinition } from '../../../src/core/api';
import { prepareOpenApiPlugin } from '../../../src/core/openapi/openApiPlugin';
import { ContributionRegistry } from '../../../src/core/plugins/contributionRegistry';
import type { PluginCandidate } from '../../../src/core/plugins/discovery';
import { silentLogger } from '../../../src/core/ports';
import { median, peakMemoryMB, report } from '../benchResult';

// Each run allocates a 13 MB document's tree; where the collector steps in varies: many runs.
const RUNS = 15;
const spec = path.resolve(__dirname, '../../../node_modules/@octokit/openapi/generated/api.github.com.json');
const candidate: PluginCandidate = { id: 'github', displayName: 'GitHub', source: 'global', kind: 'openapi', location: spec, entryPath: spec, declaredSpec: { spec } };

async function ours(): Promise<ToolDefinition[]> {
  const registry = new ContributionRegistry();
  const prepared = await prepareOpenApiPlugin(candidate);
  prepared.activate({
    pluginId: 'github',
    config: {},
    log: silentLogger,
    registerTool: (tool: ToolDefinition) => registry.register('tool', 'github', tool),
  } as never);
  return registry.tools().map((tool) => tool.definition);
}

async function baseline(): Promise<unknown> {
  return JSON.parse(await readFile(spec, 'utf8'));
}

async function main(): Promise<void> {
  const oursMs: number[] = [];
  const baselineMs: number[] = [];
  const schemasMs: number[] = [];
  let toolCount = 0;
  await baseline();
  await ours();
  for (let run = 0; run < RUNS; run++) {
    global.gc?.();
    let started = performance.now();
    await baseline();
    baselineMs.push(performance.now() - started);
    global.gc?.();
    started = performance.now();
    const tools = await ours();
    oursMs.push(performance.now() - started);
    toolCount = tools.length;
    started = performance.now();
    for (const tool of tools) JSON.stringify(tool.parameters);
    schemasMs.push(performance.now() - started);
  }
  const o = median(oursMs);
  const b = median(baselineMs);
  report([
    {
      metric: `OpenAPI to tools (GitHub REST spec, ${toolCount} tools)`,
      ours: Math.round(o),
      baseline: Math.round(b),
      unit: 'ms',
      ratio: o / b,
      target: '<= 1.5x',
      pass: o / b <= 1.5,
      peakMemoryMB: peakMemoryMB(),
      notes: `medians of ${RUNS} runs, interleaved; both read the 13 MB file; baseline: JSON.parse`,
    },
    {
      metric: 'OpenAPI: building every argument schema afterwards',
      ours: Math.round(median(schemasMs)),
      baseline: Math.round(b),
      unit: 'ms',
      ratio: median(schemasMs) / b,
      target: '(information: done per tool when offered)',
      pass: true,
    },
  ]);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
