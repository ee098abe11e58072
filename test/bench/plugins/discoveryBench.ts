/**
 * Plugin discovery: listing 1,000 plugin folders with manifests (no plugin code runs),
 * against reading and parsing the same files in a plain loop. Target: <= 2x.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { discoverPlugins } from '../../../src/core/plugins/discovery';
import { median, peakMemoryMB, report } from '../benchResult';

const FOLDERS = 1000;
const RUNS = 9;

async function makePlugins(dir: string): Promise<void> {
  for (let index = 0; index < FOLDERS; index++) {
    const folder = path.join(dir, `plugin-${String(index).padStart(4, '0')}`);
    await mkdir(folder);
    await writeFile(path.join(folder, 'package.json'), JSON.stringify({
      name: `plugin-${index}`,
      version: '1.0.0',
      description: `Benchmark plugin number ${index}`,
      main: 'index.js',
      patchbay: { displayName: `Plugin ${index}`, configSchema: { type: 'object', properties: { limit: { type: 'integer', default: 5 } } } },
    }, null, 2));
    // Code that must never run during discovery.
    await writeFile(path.join(folder, 'index.js'), 'throw new Error("discovery must not run plugin code");');
  }
}

/** What any program must do at least: list the folder, read and parse each manifest. */
async function plainLoop(dir: string): Promise<number> {
  let parsed = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const manifest = JSON.parse(await readFile(path.join(dir, entry.name, 'package.json'), 'utf8')) as { patchbay?: unknown };
    if (manifest.patchbay) parsed++;
  }
  return parsed;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-bench-plugins-'));
  try {
    await makePlugins(dir);
    const ours: number[] = [];
    const baseline: number[] = [];
    await plainLoop(dir);
    await discoverPlugins([{ dir, source: 'global' }]);
    for (let run = 0; run < RUNS; run++) {
      let started = performance.now();
      const count = await plainLoop(dir);
      baseline.push(performance.now() - started);
      started = performance.now();
      const { candidates } = await discoverPlugins([{ dir, source: 'global' }]);
      ours.push(performance.now() - started);
      if (count !== FOLDERS || candidates.length !== FOLDERS) throw new Error(`found ${candidates.length} plugins and ${count} manifests, not ${FOLDERS}`);
    }
    const oursMs = median(ours);
    const baselineMs = median(baseline);
    report([{
      metric: 'plugin discovery (1,000 plugin folders)',
      ours: Math.round(oursMs * 10) / 10,
      baseline: Math.round(baselineMs * 10) / 10,
      unit: 'ms',
      ratio: oursMs / baselineMs,
      target: '<= 2x',
      pass: oursMs / baselineMs <= 2,
      peakMemoryMB: peakMemoryMB(),
      notes: `medians of ${RUNS} runs, interleaved; baseline: readdir + read and JSON.parse of each package.json`,
    }]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
