/**
 * Opening a long conversation until the input takes a key, end to end:
 *  - host side, in Node: read the saved file, JSON.parse it, take the latest page (the host's
 *    own `latestPage`), serialize the `init` message as postMessage does;
 *  - page side, in Chromium: parse the message, apply it, focus the input (in the same task, so
 *    it must be there and focusable by then), then a real key press (sent once the focus is
 *    reported, one DevTools round trip; it waits behind the frame that renders the turns), up to
 *    the first frame after its `input` event.
 * Each run uses a fresh page, as opening the panel does: the webview boots, says `ready`, and
 * gets `init` with the page. A fresh page also keeps one run's DOM and garbage out of the next.
 * The 500- and 10-message runs alternate.
 */
import { readFileSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { latestPage } from '../../../src/host/conversationPaging';
import type { Conversation } from '../../../src/protocol/messages';
import { median, type BenchResult } from '../benchResult';
import { initMessage } from './hostMessages';
import { MainThreadTime } from './mainThreadTime';
import type { OpenRunResult } from './probeApi';
import { WebviewPage } from './webviewPage';

const TARGET = 2;

export interface OpenCase {
  label: string;
  messages: number;
  file: string;
}

interface OpenRun {
  hostMs: number;
  pageMs: number;
  appliedMs: number;
  inputMs: number;
  /** Main-thread CPU of the page from posting to the frame after the key (DevTools metrics). */
  pageCpuMs: number;
  turnsShown: number;
}

/**
 * What the host does between "open this conversation" and posting `init`. The file is read
 * synchronously (the store reads it asynchronously): the same work, but an await here would also
 * time whatever else this process's event loop (Playwright's traffic) is doing meanwhile.
 */
function hostSide(file: string): { json: string; hostMs: number; turns: number } {
  const start = performance.now();
  const conversation = JSON.parse(readFileSync(file, 'utf8')) as Conversation;
  const { page } = latestPage(conversation);
  const json = JSON.stringify(initMessage(page));
  return { json, hostMs: performance.now() - start, turns: page.conversation.turns.length };
}

async function openOnce(context: BrowserContext, url: string, openCase: OpenCase): Promise<OpenRun> {
  const view = await WebviewPage.open(context, url);
  const clock = await MainThreadTime.attach(view.page);
  try {
    const { json, hostMs, turns } = hostSide(openCase.file);
    let result: OpenRunResult | undefined;
    const cpu = await clock.around(async () => {
      await view.page.evaluate((message) => window.patchbayBench.openConversation(message), json);
      await view.page.keyboard.press('a');
      result = await view.page.evaluate(() => window.patchbayBench.keyTaken());
    });
    if (result === undefined) throw new Error('no result');
    if (!result.focused || result.value !== 'a') throw new Error(`the input did not take the key (focused: ${result.focused}, value: ${JSON.stringify(result.value)})`);
    if (result.turnsShown !== turns) throw new Error(`expected ${turns} turns shown, saw ${result.turnsShown}`);
    return { hostMs, pageMs: result.pageMs, appliedMs: result.appliedMs, inputMs: result.inputMs, pageCpuMs: cpu.taskMs, turnsShown: result.turnsShown };
  } finally {
    await clock.detach();
    await view.close();
  }
}

export async function runConversationOpen(
  context: BrowserContext,
  url: string,
  long: OpenCase,
  short: OpenCase,
  runs: number,
  log: (line: string) => void,
): Promise<BenchResult> {
  // Warm-up (discarded): the first pages of a context load slower than the rest.
  await openOnce(context, url, short);
  await openOnce(context, url, long);
  const longRuns: OpenRun[] = [];
  const shortRuns: OpenRun[] = [];
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? [long, short] : [short, long];
    for (const openCase of order) {
      const run = await openOnce(context, url, openCase);
      (openCase === long ? longRuns : shortRuns).push(run);
      log(`  open ${openCase.label} run ${i + 1}/${runs}: host ${run.hostMs.toFixed(1)} ms + page ${run.pageMs.toFixed(1)} ms `
        + `(applied ${run.appliedMs.toFixed(1)}, key ${run.inputMs.toFixed(1)}; page CPU ${run.pageCpuMs.toFixed(1)} ms)`);
    }
  }
  const total = (run: OpenRun): number => run.hostMs + run.pageMs;
  const ours = median(longRuns.map(total));
  const baseline = median(shortRuns.map(total));
  const ratio = ours / baseline;
  const part = (list: OpenRun[], pick: (run: OpenRun) => number): string => median(list.map(pick)).toFixed(1);
  return {
    metric: `open ${long.label} conversation until the input takes a key (vs ${short.label})`,
    ours: Number(ours.toFixed(1)),
    baseline: Number(baseline.toFixed(1)),
    unit: 'ms (host + page, wall)',
    ratio: Number(ratio.toFixed(2)),
    target: `<= ${TARGET}x`,
    pass: ratio <= TARGET,
    notes: [
      `medians of ${runs} runs each, fresh page per run, interleaved`,
      `host (read + parse + latestPage + serialize): ${part(longRuns, (run) => run.hostMs)} vs ${part(shortRuns, (run) => run.hostMs)} ms`,
      `page (init to first frame after the key): ${part(longRuns, (run) => run.pageMs)} vs ${part(shortRuns, (run) => run.pageMs)} ms, `
        + `of which init applied and input focused after ${part(longRuns, (run) => run.appliedMs)} vs ${part(shortRuns, (run) => run.appliedMs)} ms`,
      `page main-thread CPU: ${part(longRuns, (run) => run.pageCpuMs)} vs ${part(shortRuns, (run) => run.pageCpuMs)} ms `
        + `(${(median(longRuns.map((run) => run.pageCpuMs)) / median(shortRuns.map((run) => run.pageCpuMs))).toFixed(2)}x)`,
      `turns shown: ${longRuns[0]?.turnsShown} of ${long.messages} vs ${shortRuns[0]?.turnsShown} of ${short.messages}`,
      'page time includes one DevTools round trip for the key press, on both sides',
    ].join('; '),
  };
}
