/**
 * The read-only workspace tools' services against the tools they stand on: `search_text`'s
 * search (WorkspaceReader.searchText: ripgrep with the ignore globs, its --json read and
 * capped) over a generated 10,000-file workspace, against running the same ripgrep directly
 * on it and reading all its output; and `read_file` of a 1 MB file (capped to 400 lines, and
 * its outline), against reading the file with fs. Interleaved, medians.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { WorkspaceReader } from '../../../src/core/workspace/workspaceReader';
import { shippedRipgrep } from '../../support/ripgrepBinary';
import { median, peakMemoryMB, report, type BenchResult } from '../benchResult';

const FILES = 10_000;
const RUNS = 15;

function generate(root: string): void {
  for (let file = 0; file < FILES; file++) {
    const folder = path.join(root, 'src', `module${Math.floor(file / 100)}`);
    if (file % 100 === 0) mkdirSync(folder, { recursive: true });
    const lines = Array.from({ length: 30 }, (_, line) => `export const value${line} = ${file * 100 + line}; // generated line`);
    // 120 hits in 40 files, under the caps (200 matches, 50 files), so both sides walk every file.
    if (file % 250 === 0) for (const line of [5, 10, 15]) lines[line] = `export function findNeedleHere${file}_${line}() { return ${file}; }`;
    writeFileSync(path.join(folder, `file${file}.ts`), `${lines.join('\n')}\n`);
  }
  const big = Array.from({ length: 14_000 }, (_, line) => (line % 500 === 0 ? `export function part${line}() {` : `  const filler${line} = "${'x'.repeat(50)}";`));
  writeFileSync(path.join(root, 'big.ts'), `${big.join('\n')}\n`);
  writeFileSync(path.join(root, '.gitignore'), 'dist/\n');
}

function ripgrepDirectly(rg: string, cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(rg, ['--json', '--hidden', '--fixed-strings', '--ignore-case', '--regexp', 'findNeedleHere', '--', '.'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    let matches = 0;
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('{"type":"match"')) matches += 1;
    });
    child.on('error', reject);
    child.on('close', () => resolve(matches));
  });
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

async function main(): Promise<void> {
  const rg = shippedRipgrep();
  if (!rg) throw new Error('no ripgrep under .tools/ (install code-server first)');
  const root = mkdtempSync(path.join(os.tmpdir(), 'patchbay-bench-wstools-'));
  try {
    generate(root);
    const reader = new WorkspaceReader({ roots: () => [{ name: 'bench', path: root }], ripgrep: () => rg, excludes: () => ['**/.git'], openText: () => undefined, attached: () => false });
    const ours: number[] = [];
    const baseline: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const mine = await timed(() => reader.searchText({ query: 'findNeedleHere' }));
      const direct = await timed(() => ripgrepDirectly(rg, root));
      if (mine.value.matches.length !== direct.value) throw new Error(`search_text found ${mine.value.matches.length}, rg ${direct.value}`);
      if (run > 0) {
        ours.push(mine.ms);
        baseline.push(direct.ms);
      }
    }
    const ratio = median(ours) / median(baseline);
    const search: BenchResult = {
      metric: `search_text over a generated ${FILES.toLocaleString('en-US')}-file workspace (120 matches)`,
      ours: Math.round(median(ours) * 10) / 10,
      baseline: Math.round(median(baseline) * 10) / 10,
      unit: 'ms',
      ratio,
      target: '<= 1.5x',
      pass: ratio <= 1.5,
      notes: `medians of ${RUNS - 1} interleaved runs; baseline: the same rg --json run directly, all output read`,
    };
    const capped: number[] = [];
    const outlined: number[] = [];
    const plain: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      capped.push((await timed(() => reader.readFile('big.ts', { startLine: 1 }))).ms);
      outlined.push((await timed(() => reader.readFile('big.ts'))).ms);
      plain.push((await timed(() => readFile(path.join(root, 'big.ts'), 'utf8'))).ms);
    }
    const read: BenchResult = {
      metric: 'read_file of a 1 MB file: 400 lines (capped) / its outline (no range)',
      ours: Math.round(median(capped) * 10) / 10,
      baseline: Math.round(median(plain) * 10) / 10,
      unit: 'ms',
      target: '< 50 ms',
      pass: median(capped) < 50 && median(outlined) < 50,
      notes: `outline: ${median(outlined).toFixed(1)} ms; baseline: fs.readFile of the file; ours includes the path checks and git check-ignore`,
    };
    const results = [search, read];
    for (const result of results) result.peakMemoryMB = peakMemoryMB();
    report(results);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
