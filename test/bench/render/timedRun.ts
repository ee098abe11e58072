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
}

export async function timedRun(bench: Bench, messages: readonly HostToWebview[], mode: RunMode, traced: boolean): Promise<TimedRun> {
  const { browser, view, clock } = bench;
  // Each run starts from the same page, with the previous run's garbage already collected.
  await view.post(resetMessage(QUESTION_PAGE));
  await clock.collectGarbage();
  await view.settle();
  await view.stage(messages);
  if (traced) await browser.startTracing(view.page, { categories: TRACE_CATEGORIES });
  let result: RunResult | undefined;
  try {
    const cost = await clock.around(async () => {
      result = await view.page.evaluate((runMode) => window.patchbayBench.runStaged(runMode), mode);
    });
    const trace = traced ? readMarkedTrace(await browser.stopTracing(), RUN_MARK_PREFIX) : undefined;
    if (result === undefined) throw new Error('the run returned nothing');
    return { cost, result, trace };
  } catch (error) {
    if (traced) await browser.stopTracing().catch(() => undefined);
    throw error;
  }
}
