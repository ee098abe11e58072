/**
 * Where the paced stream's extra CPU goes, for work on streaming: the 50 KB answer paced at one
 * delta per frame, the same answer one-shot, and the frame floor (as many deltas for a turn that
 * is not shown), each traced with the categories of timeBreakdown.ts, interleaved. Prints ms by
 * kind per run (medians), the paced run less the floor, and the paced run's frames split into
 * those that changed the answer's DOM (updates) and the others.
 *
 *   npx tsx test/bench/render/pacedBreakdown.ts [--no-build] [--runs=N] [--profile]
 *
 * --profile builds the bundle unminified and adds a CPU profile of one more paced run: the
 * functions with the most self time (sampled), by name and place.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { HostToWebview } from '../../../src/protocol/messages';
import { launchBrowser } from '../../e2e/support/workbench';
import { median } from '../benchResult';
import { startBenchServer } from './benchServer';
import { finishedAnswer, initMessage, streamedAnswer } from './hostMessages';
import { MainThreadTime } from './mainThreadTime';
import { markdownAnswer } from './markdownAnswer';
import { RUN_MARKS } from './probeApi';
import { streamChunks } from './streamChunks';
import { QUESTION_PAGE, timedRun, type Bench } from './timedRun';
import { cpuPerInterval } from './traceAnalysis';
import { WebviewPage } from './webviewPage';

const repoRoot = path.resolve(__dirname, '../../..');
const CHARS = 50_000;

const runs = Number(process.argv.find((arg) => arg.startsWith('--runs='))?.split('=')[1] ?? 3);
const profiling = process.argv.includes('--profile');
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

type Kinds = Map<string, number>;

function medianKinds(all: readonly Kinds[]): Kinds {
  const names = new Set(all.flatMap((kinds) => [...kinds.keys()]));
  return new Map([...names].map((name) => [name, median(all.map((kinds) => kinds.get(name) ?? 0))]));
}

function line(label: string, kinds: Kinds): string {
  const total = [...kinds.values()].reduce((sum, value) => sum + value, 0);
  const parts = [...kinds.entries()].sort((a, b) => b[1] - a[1]).filter(([, ms]) => Math.abs(ms) >= 1).map(([kind, ms]) => `${kind} ${ms.toFixed(0)}`);
  return `${label.padEnd(16)} total ${total.toFixed(0).padStart(4)} ms: ${parts.join(' · ')}`;
}

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) {
    const built = spawnSync(process.execPath, ['esbuild.mjs', ...(profiling ? [] : ['--production'])], { cwd: repoRoot, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('the build failed');
  }
  const server = await startBenchServer(path.join(repoRoot, 'media', 'build'));
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 600, height: 900 } });
    const view = await WebviewPage.open(context, server.url);
    const bench: Bench = { browser, view, clock: await MainThreadTime.attach(view.page) };
    await view.post(initMessage(QUESTION_PAGE));
    const text = markdownAnswer(CHARS, CHARS);
    const { chunks } = streamChunks(text, CHARS + 1);
    let turn = 0;
    const paced = (): HostToWebview[] => streamedAnswer(`breakdown-${++turn}`, chunks);
    const floor: HostToWebview[] = Array.from({ length: chunks.length + 1 }, () => ({ type: 'turnDelta', turnId: 'no-such-turn', content: 'x' }));
    await timedRun(bench, paced(), 'stream');
    await timedRun(bench, finishedAnswer(`breakdown-${++turn}`, text), 'once');
    const found = { paced: [] as Kinds[], oneShot: [] as Kinds[], floor: [] as Kinds[] };
    const split = { updates: [] as number[], updateMs: [] as number[], otherMs: [] as number[], webviewJs: [] as number[] };
    for (let run = 0; run < runs; run++) {
      const streamed = await timedRun(bench, paced(), 'stream', { breakdown: true });
      found.paced.push(streamed.breakdown ?? new Map());
      found.oneShot.push((await timedRun(bench, finishedAnswer(`breakdown-${++turn}`, text), 'once', { breakdown: true })).breakdown ?? new Map());
      found.floor.push((await timedRun(bench, floor, 'stream', { breakdown: true })).breakdown ?? new Map());
      // A frame that updates the DOM costs well above the floor's ~0.6 ms; the others about it.
      const trace = streamed.trace;
      if (trace !== undefined) {
        const perDelta = cpuPerInterval(trace.tasks, trace.marks.get(RUN_MARKS.delta) ?? [], trace.marks.get(RUN_MARKS.end)?.at(-1) ?? Infinity).slice(0, -1);
        const floorPerDelta = [...(found.floor.at(-1)?.values() ?? [])].reduce((sum, ms) => sum + ms, 0) / chunks.length;
        const updates = perDelta.filter((ms) => ms > 2 * floorPerDelta);
        split.updates.push(updates.length);
        split.updateMs.push(updates.reduce((sum, ms) => sum + ms, 0));
        split.otherMs.push(perDelta.filter((ms) => ms <= 2 * floorPerDelta).reduce((sum, ms) => sum + ms, 0));
      }
      split.webviewJs.push(streamed.result.perDelta.reduce((sum, ms) => sum + ms, 0));
      log(`run ${run + 1}/${runs} done`);
    }
    const pacedKinds = medianKinds(found.paced);
    const floorKinds = medianKinds(found.floor);
    const above = new Map([...new Set([...pacedKinds.keys(), ...floorKinds.keys()])].map((kind) => [kind, (pacedKinds.get(kind) ?? 0) - (floorKinds.get(kind) ?? 0)]));
    log(`${chunks.length} deltas; medians of ${runs} traced runs, self CPU ms by kind`);
    log(line('paced', pacedKinds));
    log(line('floor', floorKinds));
    log(line('paced - floor', above));
    log(line('one-shot', medianKinds(found.oneShot)));
    log(`paced frames over twice the floor: ${median(split.updates)} frames, ${median(split.updateMs).toFixed(0)} ms; the other frames ${median(split.otherMs).toFixed(0)} ms`);
    log(`webview's own callbacks in the paced run (wall): ${median(split.webviewJs).toFixed(0)} ms`);
    if (profiling) await profilePaced(bench, paced());
  } finally {
    await browser.close();
    await server.close();
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Self time by function over one paced run, from a sampling CPU profile (every 100 µs). */
async function profilePaced(bench: Bench, messages: HostToWebview[]): Promise<void> {
  const session = await bench.view.page.context().newCDPSession(bench.view.page);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 100 });
  await session.send('Profiler.start');
  await timedRun(bench, messages, 'stream');
  const { profile } = await session.send('Profiler.stop') as unknown as { profile: { nodes: ProfileNode[]; startTime: number; endTime: number; samples?: number[] } };
  const samples = profile.samples?.length ?? 1;
  const msPerSample = (profile.endTime - profile.startTime) / 1000 / samples;
  const selfMs = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.split('/').at(-1) ?? ''}:${lineNumber + 1}`;
    selfMs.set(key, (selfMs.get(key) ?? 0) + (node.hitCount ?? 0) * msPerSample);
  }
  log('self time by function (one paced run, wall ms of samples):');
  for (const [key, ms] of [...selfMs.entries()].filter(([name]) => !name.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 40)) {
    log(`  ${ms.toFixed(1).padStart(7)}  ${key}`);
  }
  await session.detach();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
