/**
 * Webview memory over a long session: one conversation gets 50 long answers, streamed as the
 * host sends them, and the page's heap after a full garbage collection is compared with the
 * heap after the first answer (<= 1.5x). The heap is V8's plus Blink's (the DOM lives there)
 * plus array buffer and external string storage, from the DevTools Runtime domain.
 */
import type { Browser, CDPSession } from 'playwright-core';
import type { BenchResult } from '../benchResult';
import { initMessage, streamedAnswer, userTurn } from './hostMessages';
import { markdownAnswer } from './markdownAnswer';
import { streamChunks } from './streamChunks';
import { QUESTION_PAGE } from './timedRun';
import { WebviewPage } from './webviewPage';

const TARGET = 1.5;
const ANSWERS = 50;
const ANSWER_CHARS = 20_000;

interface HeapSample {
  bytes: number;
  domNodes: number;
}

async function heapAfterGc(session: CDPSession, view: WebviewPage): Promise<HeapSample> {
  await view.settle();
  await session.send('HeapProfiler.collectGarbage');
  const usage = await session.send('Runtime.getHeapUsage');
  const counters = await session.send('Memory.getDOMCounters');
  return { bytes: usage.usedSize + usage.embedderHeapUsedSize + usage.backingStorageSize, domNodes: counters.nodes };
}

async function addAnswer(view: WebviewPage, index: number): Promise<void> {
  const text = markdownAnswer(ANSWER_CHARS, 1000 + index);
  await view.post({ type: 'turnAdded', turn: userTurn(`heap-question-${index}`, `Question ${index}: walk me through it again.`) });
  await view.post(...streamedAnswer(`heap-answer-${index}`, streamChunks(text, 2000 + index).chunks));
}

export async function runHeapGrowth(browser: Browser, url: string, viewport: { width: number; height: number }, log: (line: string) => void): Promise<BenchResult> {
  const context = await browser.newContext({ viewport });
  try {
    const view = await WebviewPage.open(context, url);
    const session = await context.newCDPSession(view.page);
    await view.post(initMessage(QUESTION_PAGE));
    const empty = await heapAfterGc(session, view);
    await addAnswer(view, 1);
    const one = await heapAfterGc(session, view);
    for (let index = 2; index <= ANSWERS; index++) await addAnswer(view, index);
    const all = await heapAfterGc(session, view);
    const turns = await view.page.evaluate(() => document.querySelectorAll('.transcript .turn').length);
    const ratio = all.bytes / one.bytes;
    const mb = (bytes: number): number => Number((bytes / 1024 / 1024).toFixed(1));
    log(`heap: empty conversation ${mb(empty.bytes)} MB, after 1 answer ${mb(one.bytes)} MB, after ${ANSWERS} ${mb(all.bytes)} MB (${turns} turns shown)`);
    return {
      metric: `webview heap after ${ANSWERS} long answers in one conversation (vs after 1)`,
      ours: mb(all.bytes),
      baseline: mb(one.bytes),
      unit: 'MB',
      ratio: Number(ratio.toFixed(2)),
      target: `<= ${TARGET}x`,
      pass: ratio <= TARGET,
      notes: [
        `${ANSWERS} answers of ~${ANSWER_CHARS / 1000} KB markdown each (own seeds), each after a question, streamed as ~80-char deltas; heap after a full GC: V8 + Blink (DOM) + buffers`,
        `empty conversation: ${mb(empty.bytes)} MB; per answer beyond the first: ${fixed((all.bytes - one.bytes) / (ANSWERS - 1) / 1024)} KB`,
        `DOM nodes: ${one.domNodes} after 1, ${all.domNodes} after ${ANSWERS}; turns in the transcript: ${turns}`,
      ].join('; '),
    };
  } finally {
    await context.close();
  }
}

const fixed = (value: number): string => value.toFixed(0);
