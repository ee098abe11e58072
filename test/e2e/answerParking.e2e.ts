/**
 * The chat webview in Chromium (the bundle as built for the .vsix, without VS Code around it: the
 * render benchmark's page and probe): long answers far off screen give their DOM up and get it
 * back when scrolled to, with what a user touches there still working.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, BrowserContext } from 'playwright-core';
import { startBenchServer, type BenchServer } from '../bench/render/benchServer';
import { initMessage, streamedAnswer, userTurn } from '../bench/render/hostMessages';
import { markdownAnswer } from '../bench/render/markdownAnswer';
import { streamChunks } from '../bench/render/streamChunks';
import { QUESTION_PAGE } from '../bench/render/timedRun';
import { WebviewPage } from '../bench/render/webviewPage';
import { launchBrowser } from './support/workbench';

const repoRoot = path.resolve(__dirname, '../..');

async function buildWebview(outdir: string): Promise<void> {
  await esbuild.build({
    entryPoints: { webview: path.join(repoRoot, 'src/webview/main.ts'), highlight: path.join(repoRoot, 'src/webview/highlighter.ts') },
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    outdir,
    loader: { '.ttf': 'file' },
    assetNames: '[name]',
    logLevel: 'warning',
  });
}

/** A question and its ~20 KB answer with code blocks, streamed in ~80-character deltas. */
async function addAnswer(view: WebviewPage, index: number): Promise<void> {
  await view.post({ type: 'turnAdded', turn: userTurn(`question-${index}`, `Question ${index}`) });
  await view.post(...streamedAnswer(`answer-${index}`, streamChunks(markdownAnswer(20_000, 500 + index), 700 + index).chunks));
}

interface AnswerState {
  blocks: number;
  text: string;
  minHeight: string;
}

function answerState(view: WebviewPage, turnId: string): Promise<AnswerState> {
  return view.page.evaluate((id) => {
    const answer = document.querySelector<HTMLElement>(`.turn[data-turn-id="${id}"] .turn-answer`);
    if (answer === null) throw new Error(`no answer ${id}`);
    return { blocks: answer.childElementCount, text: answer.textContent ?? '', minHeight: answer.style.minHeight };
  }, turnId);
}

describe('Answers far off screen (webview in Chromium)', function () {
  let browser: Browser;
  let server: BenchServer;
  let buildDir: string;
  let context: BrowserContext;
  let view: WebviewPage;

  before(async () => {
    buildDir = await mkdtemp(path.join(tmpdir(), 'patchbay-webview-'));
    await buildWebview(buildDir);
    server = await startBenchServer(buildDir);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await rm(buildDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 600, height: 900 } });
    view = await WebviewPage.open(context, server.url);
    await view.post(initMessage(QUESTION_PAGE));
  });

  afterEach(async () => {
    await context?.close();
  });

  it('drop their rendered markdown and show the same text again, with working code buttons, when scrolled back to', async () => {
    await addAnswer(view, 1);
    const shown = await answerState(view, 'answer-1');
    for (let index = 2; index <= 4; index++) await addAnswer(view, index);
    await view.settle();

    const parked = await answerState(view, 'answer-1');
    assert.equal(parked.blocks, 0, 'the first answer, three long answers up, still holds its DOM');
    assert.notEqual(parked.minHeight, '', 'a parked answer keeps its height');

    await view.page.evaluate(() => {
      const transcript = document.querySelector<HTMLElement>('.transcript');
      if (transcript !== null) transcript.scrollTop = 0;
    });
    await view.page.waitForFunction(() => {
      const answer = document.querySelector<HTMLElement>('.turn[data-turn-id="answer-1"] .turn-answer');
      return answer !== null && answer.childElementCount > 0 && answer.style.minHeight === '';
    });
    const restored = await answerState(view, 'answer-1');
    assert.equal(restored.text, shown.text);
    assert.equal(restored.blocks, shown.blocks);

    const copy = view.page.locator('.turn[data-turn-id="answer-1"] .code-block button[aria-label="Copy"]').first();
    const code = await copy.evaluate((button) => button.closest('.code-block')?.querySelector('pre')?.textContent ?? '');
    await copy.click();
    const posted = await view.page.evaluate(() => window.patchbayBench.posted.at(-1));
    assert.deepEqual(posted, { type: 'codeAction', action: 'copy', code, language: await copy.evaluate((button) => button.closest<HTMLElement>('.code-block')?.dataset.language) });
    assert.notEqual(code, '');
  });

  it('keep an answer that holds keyboard focus, however far it is', async () => {
    await addAnswer(view, 1);
    await view.page.locator('.turn[data-turn-id="answer-1"] .code-block button[aria-label="Copy"]').first().focus();
    for (let index = 2; index <= 4; index++) await addAnswer(view, index);
    await view.settle();

    assert.notEqual((await answerState(view, 'answer-1')).blocks, 0);
    const focused = await view.page.evaluate(() => document.activeElement?.closest<HTMLElement>('.turn')?.dataset.turnId);
    assert.equal(focused, 'answer-1');
  });
});
