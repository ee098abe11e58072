/**
 * Runs each answer streamed at full speed (every delta posted back to back), paced (one delta
 * per frame) and one-shot (arriving finished), repeatedly, interleaved, and keeps every run's
 * figures. The benchmarks' rows are computed from these in
 * streamingResults.ts.
 */
import type { HostToWebview } from '../../../src/protocol/messages';
import { finishedAnswer, streamedAnswer } from './hostMessages';
import { RUN_MARKS } from './probeApi';
import type { Chunking } from './streamChunks';
import { timedRun, type Bench, type TimedRun } from './timedRun';
import { cpuPerInterval } from './traceAnalysis';

export interface AnswerCase {
  label: string;
  text: string;
  chunking: Chunking;
  /** Trace its runs (for the longest task and the per-delta CPU time). */
  traced: boolean;
}

export interface TracedStream {
  /** CPU ms of the main thread from each delta's post to the next one's (its handler and its frame). */
  perDeltaCpu: number[];
  longestTaskCpu: number;
  longestTaskWall: number;
  /** CPU time of the task that was longest by the wall clock. */
  longestWallTaskCpu: number;
}

export interface CaseRuns {
  answer: AnswerCase;
  /** Every delta posted back to back: the renderer's cost to keep up with a fast server. */
  fullSpeed: TimedRun[];
  /** One delta per frame: isolates each delta's cost (for flatness). */
  paced: TimedRun[];
  oneShot: TimedRun[];
  /** For traced answers, per full-speed run: its longest task. */
  fullSpeedLongestCpu: number[];
  /** For traced answers, per paced run. */
  tracedStreams: TracedStream[];
  /** For traced answers, the longest task of each one-shot run. */
  oneShotLongestCpu: number[];
}

/** A message type the webview does not know: it ignores it. */
const NOOP: HostToWebview = { type: 'benchNoop' } as unknown as HostToWebview;

let runNumber = 0;

type Mode = 'fullSpeed' | 'paced' | 'oneShot';

function messagesFor(answer: AnswerCase, mode: Mode): HostToWebview[] {
  const turnId = `bench-answer-${++runNumber}`;
  return mode === 'oneShot' ? finishedAnswer(turnId, answer.text) : streamedAnswer(turnId, answer.chunking.chunks);
}

const longestTaskCpu = (run: TimedRun): number => Math.max(...(run.trace?.tasks.map((task) => task.cpuMs) ?? [Number.NaN]));

function tracedStream(run: TimedRun): TracedStream {
  if (run.trace === undefined) throw new Error('the run was not traced');
  const { tasks, marks } = run.trace;
  const deltas = marks.get(RUN_MARKS.delta) ?? [];
  const end = marks.get(RUN_MARKS.end)?.at(-1) ?? Number.POSITIVE_INFINITY;
  // The last interval also holds the finished turn's render and the settling frames: left out.
  const perDeltaCpu = cpuPerInterval(tasks, deltas, end).slice(0, -1);
  const longestWall = tasks.reduce((longest, task) => (task.wallMs > longest.wallMs ? task : longest));
  return {
    perDeltaCpu,
    longestTaskCpu: longestTaskCpu(run),
    longestTaskWall: longestWall.wallMs,
    longestWallTaskCpu: longestWall.cpuMs,
  };
}

export async function runStreaming(bench: Bench, answers: readonly AnswerCase[], repetitions: number, log: (line: string) => void): Promise<CaseRuns[]> {
  const runs: CaseRuns[] = answers.map((answer) => ({ answer, fullSpeed: [], paced: [], oneShot: [], fullSpeedLongestCpu: [], tracedStreams: [], oneShotLongestCpu: [] }));
  // Warm-up (discarded): the first render compiles marked, DOMPurify and highlight.js.
  const warmUp = answers[0];
  if (warmUp !== undefined) {
    for (const mode of ['paced', 'fullSpeed', 'oneShot'] as const) await timedRun(bench, messagesFor(warmUp, mode), mode === 'paced' ? 'stream' : 'once', false);
  }
  const orders: Mode[][] = [['fullSpeed', 'paced', 'oneShot'], ['oneShot', 'paced', 'fullSpeed'], ['paced', 'oneShot', 'fullSpeed']];
  for (let repetition = 0; repetition < repetitions; repetition++) {
    for (const caseRuns of runs) {
      const { answer } = caseRuns;
      // Rotate which goes first, so a slow spell of the machine does not favour one side.
      for (const mode of orders[repetition % orders.length] ?? []) {
        const run = await timedRun(bench, messagesFor(answer, mode), mode === 'paced' ? 'stream' : 'once', answer.traced);
        caseRuns[mode].push(run);
        if (answer.traced) {
          if (mode === 'paced') caseRuns.tracedStreams.push(tracedStream(run));
          else (mode === 'fullSpeed' ? caseRuns.fullSpeedLongestCpu : caseRuns.oneShotLongestCpu).push(longestTaskCpu(run));
        }
        log(`  ${answer.label} ${mode} run ${repetition + 1}/${repetitions}: ${run.cost.taskMs.toFixed(0)} ms main-thread CPU`);
      }
    }
  }
  return runs;
}

/**
 * Main-thread CPU of a delta that costs nothing to render: the probe posts a message the webview
 * ignores, once per frame. What a streamed run spends per frame before any rendering (frame
 * production, message delivery, the probe's own bit), to tell it apart from the webview's work.
 */
export async function frameFloorCost(bench: Bench, frames: number, repetitions: number): Promise<number[]> {
  const perFrame: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const run = await timedRun(bench, Array.from({ length: frames + 1 }, () => NOOP), 'stream', false);
    perFrame.push(run.cost.taskMs / frames);
  }
  return perFrame;
}
