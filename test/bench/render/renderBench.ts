/**
 * Webview rendering benchmarks, in Debian's Chromium:
 *   render cost (streamed at full speed / one-shot) for a 20 KB and a 50 KB answer, the same
 *   paced at one delta per frame as local servers stream (above the frame floor / one-shot), the
 *   longest task while streaming (full speed and paced), render flatness (cost per delta at the
 *   end / at the start), a delta's time to the screen, opening a 500-message conversation vs a
 *   10-message one, and the heap after 50 long answers vs after one.
 *
 *   npx tsx test/bench/render/renderBench.ts [--no-build] [--runs=N] [--streaming-only]
 *
 * Builds the webview bundle in production mode first (as the .vsix ships it) unless --no-build.
 * --streaming-only leaves out opening a conversation and the heap (for work on streaming).
 * Ends with report(results); progress goes to stderr.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../../e2e/support/workbench';
import { median, report, type BenchResult } from '../benchResult';
import { startBenchServer, type BenchServer } from './benchServer';
import { conversation, saveConversations } from './conversationFixture';
import { runConversationOpen } from './conversationOpen';
import { initMessage } from './hostMessages';
import { MainThreadTime } from './mainThreadTime';
import { markdownAnswer } from './markdownAnswer';
import { streamChunks } from './streamChunks';
import { runHeapGrowth } from './heapGrowth';
import { flatnessRow, latencyRow, longestTaskRow, pacedCostRow, pacedLongestTaskRow, renderCostRow } from './streamingResults';
import { frameFloorCost, runStreaming, type AnswerCase } from './streamingRuns';
import { QUESTION_PAGE } from './timedRun';
import { WebviewPage } from './webviewPage';

const repoRoot = path.resolve(__dirname, '../../..');
/** Far beyond a normal run (about 2 minutes): past it something hangs, and the browser is closed. */
const WATCHDOG_MS = 10 * 60_000;
/** A chat panel in the side bar or an editor column. */
const VIEWPORT = { width: 600, height: 900 };

function option(name: string): string | undefined {
  return process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function build(): void {
  log('building the webview bundle (node esbuild.mjs --production)');
  const result = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`the build failed (exit ${result.status ?? result.signal})`);
}

function answerCase(label: string, chars: number, traced: boolean): AnswerCase {
  const text = markdownAnswer(chars, chars);
  const chunking = streamChunks(text, chars + 1);
  log(`${label} answer: ${text.length} chars, ${(text.match(/^```\w/gm) ?? []).length} code blocks, ${chunking.chunks.length} deltas `
    + `(cuts inside words: ${chunking.cutsInsideWords}, inside code: ${chunking.cutsInsideCode}, inside fence markers: ${chunking.cutsInsideFenceMarkers})`);
  return { label, text, chunking, traced };
}

async function streamingBenchmarks(browser: Browser, server: BenchServer, runs: number): Promise<BenchResult[]> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const view = await WebviewPage.open(context, server.url);
    const clock = await MainThreadTime.attach(view.page);
    await view.post(initMessage(QUESTION_PAGE));
    const bench = { browser, view, clock };
    // Only the 50 KB runs are traced (both sides, so the ratio is not skewed by it): they give
    // the longest task and the per-delta CPU time.
    const small = answerCase('20 KB', 20_000, false);
    const large = answerCase('50 KB', 50_000, true);
    const floor = median(await frameFloorCost(bench, 120, 3));
    log(`frame floor (an ignored delta and its frame): ${floor.toFixed(3)} ms main-thread CPU`);
    const [smallRuns, largeRuns] = await runStreaming(bench, [small, large], runs, log);
    if (smallRuns === undefined || largeRuns === undefined) throw new Error('missing runs');
    return [
      renderCostRow(smallRuns),
      renderCostRow(largeRuns),
      longestTaskRow(largeRuns),
      pacedCostRow(smallRuns, floor),
      pacedCostRow(largeRuns, floor),
      pacedLongestTaskRow(largeRuns),
      flatnessRow(largeRuns),
      latencyRow(largeRuns),
    ];
  } finally {
    await context.close();
  }
}

async function conversationBenchmark(browser: Browser, server: BenchServer, runs: number): Promise<BenchResult> {
  const saved = await saveConversations([conversation('bench-long', 500), conversation('bench-short', 10)]);
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const file = (id: string): string => saved.files.get(id) ?? '';
    return await runConversationOpen(context, server.url,
      { label: '500-message', messages: 500, file: file('bench-long') },
      { label: '10-message', messages: 10, file: file('bench-short') },
      runs, log);
  } finally {
    await context.close();
    await saved.remove();
  }
}

function printTable(results: readonly BenchResult[]): void {
  const rows = results.map((result) => [
    result.metric,
    `${result.ours} ${result.unit}`,
    result.baseline === undefined ? '' : String(result.baseline),
    result.ratio === undefined ? '' : `${result.ratio}x`,
    result.target,
    result.pass ? 'pass' : 'MISS',
  ]);
  const header = ['metric', 'ours', 'baseline', 'ratio', 'target', ''];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  for (const row of [header, ...rows]) log(row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  '));
  for (const result of results) if (result.notes !== undefined) log(`- ${result.metric}: ${result.notes}`);
}

async function main(): Promise<void> {
  const runs = Number(option('runs') ?? 5);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  if (!process.argv.includes('--no-build')) build();
  const started = performance.now();
  const server = await startBenchServer(path.join(repoRoot, 'media', 'build'));
  let browser: Browser | undefined;
  const watchdog = setTimeout(() => {
    log(`render benchmarks: still running after ${WATCHDOG_MS / 60_000} minutes, giving up`);
    void (browser?.close() ?? Promise.resolve()).finally(() => process.exit(1));
  }, WATCHDOG_MS);
  try {
    browser = await launchBrowser();
    log(`Chromium ${browser.version()}, ${runs} runs per figure`);
    const results = await streamingBenchmarks(browser, server, runs);
    if (!process.argv.includes('--streaming-only')) {
      // Opening is quick and its wall times are noisy: more runs for the same time.
      results.push(await conversationBenchmark(browser, server, Math.max(runs, 9)));
      results.push(await runHeapGrowth(browser, server.url, VIEWPORT, log));
    }
    log(`render benchmarks took ${((performance.now() - started) / 1000).toFixed(0)} s`);
    printTable(results);
    report(results);
  } finally {
    clearTimeout(watchdog);
    await browser?.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
