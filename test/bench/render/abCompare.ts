/**
 * Two builds of the webview side by side, for work on streaming: each build in a page of its
 * own, their runs alternated (so a slow spell of this shared machine hits both), main-thread CPU
 * of the 20 KB and 50 KB answers paced at one delta per frame, one-shot, and the frame floor.
 * Prints medians per build and B/A.
 *
 *   node esbuild.mjs --production && cp -r media/build /tmp/build-a   (then change, build again)
 *   npx tsx test/bench/render/abCompare.ts --a=/tmp/build-a --b=media/build [--runs=N]
 */
import path from 'node:path';
import type { HostToWebview } from '../../../src/protocol/messages';
import { launchBrowser } from '../../e2e/support/workbench';
import { median } from '../benchResult';
import { startBenchServer, type BenchServer } from './benchServer';
import { finishedAnswer, initMessage, streamedAnswer } from './hostMessages';
import { MainThreadTime } from './mainThreadTime';
import { markdownAnswer } from './markdownAnswer';
import { streamChunks } from './streamChunks';
import { QUESTION_PAGE, timedRun, type Bench } from './timedRun';
import { WebviewPage } from './webviewPage';

const option = (name: string): string | undefined => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

interface Side {
  name: string;
  server: BenchServer;
  bench: Bench;
  figures: Map<string, number[]>;
}

async function main(): Promise<void> {
  const dirs = { A: option('a'), B: option('b') };
  if (dirs.A === undefined || dirs.B === undefined) throw new Error('usage: --a=<build dir> --b=<build dir> [--runs=N]');
  const runs = Number(option('runs') ?? 5);
  const browser = await launchBrowser();
  const sides: Side[] = [];
  try {
    for (const [name, dir] of Object.entries(dirs)) {
      const server = await startBenchServer(path.resolve(dir as string));
      const context = await browser.newContext({ viewport: { width: 600, height: 900 } });
      const view = await WebviewPage.open(context, server.url);
      const bench: Bench = { browser, view, clock: await MainThreadTime.attach(view.page) };
      await view.post(initMessage(QUESTION_PAGE));
      sides.push({ name, server, bench, figures: new Map() });
    }
    const answers = [20_000, 50_000].map((chars) => ({ label: `${chars / 1000} KB`, text: markdownAnswer(chars, chars), chunks: streamChunks(markdownAnswer(chars, chars), chars + 1).chunks }));
    let turn = 0;
    const cases: Array<[string, (answer: (typeof answers)[number]) => HostToWebview[], 'stream' | 'once']> = [
      ['paced', (answer) => streamedAnswer(`ab-${++turn}`, answer.chunks), 'stream'],
      ['one-shot', (answer) => finishedAnswer(`ab-${++turn}`, answer.text), 'once'],
      ['floor', (answer) => Array.from({ length: answer.chunks.length + 1 }, (): HostToWebview => ({ type: 'turnDelta', turnId: 'no-such-turn', content: 'x' })), 'stream'],
    ];
    // Warm-up (discarded): the first render compiles marked, DOMPurify and highlight.js.
    for (const side of sides) for (const [, messages, mode] of cases) await timedRun(side.bench, messages(answers[0] as (typeof answers)[number]), mode);
    for (let run = 0; run < runs; run++) {
      for (const answer of answers) {
        for (const [label, messages, mode] of cases) {
          // Alternate which side goes first.
          for (const side of run % 2 === 0 ? sides : [...sides].reverse()) {
            const cost = (await timedRun(side.bench, messages(answer), mode)).cost.taskMs;
            const key = `${answer.label} ${label}`;
            side.figures.set(key, [...(side.figures.get(key) ?? []), cost]);
          }
        }
      }
      log(`run ${run + 1}/${runs} done`);
    }
    const [a, b] = sides as [Side, Side];
    log(`medians of ${runs} runs, main-thread CPU ms; A = ${dirs.A}, B = ${dirs.B}`);
    for (const answer of answers) {
      const figure = (side: Side, label: string): number => median(side.figures.get(`${answer.label} ${label}`) ?? []);
      for (const side of [a, b]) {
        const above = figure(side, 'paced') - figure(side, 'floor');
        log(`${answer.label} ${side.name}: paced ${figure(side, 'paced').toFixed(0)}, floor ${figure(side, 'floor').toFixed(0)}, above the floor ${above.toFixed(0)}, one-shot ${figure(side, 'one-shot').toFixed(0)}, ratio ${(above / figure(side, 'one-shot')).toFixed(2)}x`);
      }
      log(`${answer.label} B/A: paced ${(figure(b, 'paced') / figure(a, 'paced')).toFixed(3)}, floor ${(figure(b, 'floor') / figure(a, 'floor')).toFixed(3)}, one-shot ${(figure(b, 'one-shot') / figure(a, 'one-shot')).toFixed(3)}`);
    }
  } finally {
    await browser.close();
    for (const side of sides) await side.server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
