// Runs every benchmark, each in a process of its own (so its peak memory is its own), and
// prints one table — metric, ours, baseline, ratio, target — also written as JSON to
// .bench/latest.json and appended to .bench/history.jsonl with the commit, so figures can be
// compared across commits. Every ratio compares with a baseline measured in the same run.
//   npm run bench                   all of them
//   npm run bench -- streaming ...  only those whose path contains a given word
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const benches = [
  'test/bench/package/packageBench.ts',
  'test/bench/streaming/streamingBench.ts',
  'test/bench/plugins/discoveryBench.ts',
  'test/bench/plugins/isolationBench.ts',
  'test/bench/mcp/mcpBench.ts',
  'test/bench/languageModels/lmBench.ts',
  'test/bench/openapi/openApiBench.ts',
  'test/bench/render/renderBench.ts',
  'test/bench/activation/activationBench.ts',
  'test/bench/workspaceTools/workspaceToolsBench.ts',
].filter((file) => existsSync(path.join(root, file)));
const only = process.argv.slice(2);
const chosen = only.length > 0 ? benches.filter((file) => only.some((word) => file.includes(word))) : benches;
const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

// One production build and .vsix for all of them.
const packaged = execFileSync(process.execPath, [path.join(root, 'scripts', 'package.mjs')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const vsix = packaged.trim().split('\n').at(-1);

const results = [];
const failures = [];
for (const file of chosen) {
  console.log(`\n▶ ${file}`);
  const run = spawnSync(process.execPath, ['--expose-gc', tsx, file, '--no-build'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PATCHBAY_VSIX: vsix },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = (run.stdout ?? '').split('\n').find((text) => text.startsWith('BENCH_RESULTS '));
  if (run.status !== 0 || !line) {
    failures.push(file);
    process.stdout.write(run.stdout ?? '');
    console.log(`✘ ${file} did not finish (exit ${run.status})`);
    continue;
  }
  results.push(...JSON.parse(line.slice('BENCH_RESULTS '.length)));
}

const number = (value) => (value === undefined ? '—' : Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 1 }));
const rows = results.map((result) => [
  result.metric,
  `${number(result.ours)} ${result.unit}`,
  result.baseline === undefined ? '—' : `${number(result.baseline)} ${result.unit}`,
  result.ratio === undefined ? '—' : `${result.ratio.toFixed(2)}x`,
  result.target,
  result.pass ? 'pass' : 'MISS',
  result.peakMemoryMB === undefined ? '' : `${result.peakMemoryMB} MB`,
]);
const header = ['metric', 'ours', 'baseline', 'ratio', 'target', '', 'peak memory'];
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
const line = (cells) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
console.log(`\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}`);
for (const row of rows) console.log(line(row));
for (const result of results.filter((item) => item.notes)) console.log(`  · ${result.metric}: ${result.notes}`);

const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
const record = { date: new Date().toISOString(), commit, node: process.version, results };
mkdirSync(path.join(root, '.bench'), { recursive: true });
writeFileSync(path.join(root, '.bench', 'latest.json'), `${JSON.stringify(record, null, 2)}\n`);
appendFileSync(path.join(root, '.bench', 'history.jsonl'), `${JSON.stringify(record)}\n`);
console.log(`\nwritten to .bench/latest.json (and appended to .bench/history.jsonl)`);
const missed = results.filter((result) => !result.pass).length;
console.log(`${results.length - missed} targets met, ${missed} missed${failures.length ? `, ${failures.length} benchmarks did not run: ${failures.join(', ')}` : ''}`);
process.exit(failures.length > 0 ? 1 : 0);
