/**
 * One timed run of the webview in a page: a fresh conversation holding one question, a full
 * garbage collection, then the staged messages, with the main thread's CPU time read from the
 * DevTools Performance domain around it and, optionally, a trace of its tasks.
 */
import type { Browser } from 'playwright-core';
import type { ConversationPage, HostToWebview } from '../../../src/protocol/messages';
import { resetMessage, userTurn } from './hostMessages';
import type { MainThreadSample, MainThreadTime } from './mainThreadTime';
import { RUN_MARK_PREFIX, type RunMode, type RunResult } from './probeApi';
import { BREAKDOWN_CATEGORIES, cpuBreakdown } from './timeBreakdown';
import { readMarkedTrace, type MarkedTrace } from './traceAnalysis';
import type { WebviewPage } from './webviewPage';

/** `toplevel` has every task with its CPU time; `blink.user_timing` has the probe's marks. */
const TRACE_CATEGORIES = ['toplevel', 'blink.user_timing'];

export const QUESTION_PAGE: ConversationPage = {
  conversation: {
    id: 'bench-render',
    title: 'Render benchmark',
    turns: [userTurn('bench-question', 'Walk me through the whole service, with code for each step.')],
    createdAt: 0,
    updatedAt: 0,
  },
  earlier: 0,
};

export interface Bench {
  browser: Browser;
  view: WebviewPage;
  clock: MainThreadTime;
}

export interface TimedRun {
  cost: MainThreadSample;
  result: RunResult;
  trace: MarkedTrace | undefined;
  /** Self CPU ms by kind (see timeBreakdown.ts), for a run with `breakdown`. */
  breakdown: Map<string, number> | undefined;
}

export interface RunOptions {
  /** Trace the run (see traceAnalysis.ts); `breakdown` adds the categories of timeBreakdown.ts. */
  traced?: boolean;
  breakdown?: boolean;
  /** Record each delta's time to the screen (see probeApi.ts). */
  latency?: boolean;
}

export async function timedRun(bench: Bench, messages: readonly HostToWebview[], mode: RunMode, options: RunOptions = {}): Promise<TimedRun> {
  const traced = options.traced === true || options.breakdown === true;
  const { browser, view, clock } = bench;
  // Each run starts from the same page, with the previous run's garbage already collected.
  await view.post(resetMessage(QUESTION_PAGE));
  await clock.collectGarbage();
  await view.settle();
  await view.stage(messages);
  if (traced) await browser.startTracing(view.page, { categories: options.breakdown === true ? [...TRACE_CATEGORIES, ...BREAKDOWN_CATEGORIES] : TRACE_CATEGORIES });
  let result: RunResult | undefined;
  try {
    const cost = await clock.around(async () => {
      result = await view.page.evaluate(([runMode, latency]) => window.patchbayBench.runStaged(runMode, latency), [mode, options.latency === true] as const);
    });
    const buffer = traced ? await browser.stopTracing() : undefined;
    const trace = buffer === undefined ? undefined : readMarkedTrace(buffer, RUN_MARK_PREFIX);
    const breakdown = buffer !== undefined && options.breakdown === true ? cpuBreakdown(buffer, RUN_MARK_PREFIX) : undefined;
    if (result === undefined) throw new Error('the run returned nothing');
    return { cost, result, trace, breakdown };
  } catch (error) {
    if (traced) await browser.stopTracing().catch(() => undefined);
    throw error;
  }
}
