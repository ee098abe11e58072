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
  /** For traced answers, per extra paced run that recorded it: each delta's time to the screen, ms. */
  latencies: number[][];
  /** For traced answers, where one extra paced run's main-thread CPU went (see timeBreakdown.ts). */
  pacedBreakdown: Map<string, number> | undefined;
}

/**
 * A delta for a turn the webview does not show: it is parsed and applied (to nothing), and its
 * frame is requested and runs, but nothing is rendered.
 */
const EMPTY_DELTA: HostToWebview = { type: 'turnDelta', turnId: 'bench-no-such-turn', content: 'x' };

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
  const runs: CaseRuns[] = answers.map((answer) => ({ answer, fullSpeed: [], paced: [], oneShot: [], fullSpeedLongestCpu: [], tracedStreams: [], oneShotLongestCpu: [], latencies: [], pacedBreakdown: undefined }));
  // Warm-up (discarded): the first render compiles marked, DOMPurify and highlight.js.
  const warmUp = answers[0];
  if (warmUp !== undefined) {
    for (const mode of ['paced', 'fullSpeed', 'oneShot'] as const) await timedRun(bench, messagesFor(warmUp, mode), mode === 'paced' ? 'stream' : 'once');
  }
  const orders: Mode[][] = [['fullSpeed', 'paced', 'oneShot'], ['oneShot', 'paced', 'fullSpeed'], ['paced', 'oneShot', 'fullSpeed']];
  for (let repetition = 0; repetition < repetitions; repetition++) {
    for (const caseRuns of runs) {
      const { answer } = caseRuns;
      // Rotate which goes first, so a slow spell of the machine does not favour one side.
      for (const mode of orders[repetition % orders.length] ?? []) {
        const run = await timedRun(bench, messagesFor(answer, mode), mode === 'paced' ? 'stream' : 'once', { traced: answer.traced });
        caseRuns[mode].push(run);
        if (answer.traced) {
          if (mode === 'paced') caseRuns.tracedStreams.push(tracedStream(run));
          else (mode === 'fullSpeed' ? caseRuns.fullSpeedLongestCpu : caseRuns.oneShotLongestCpu).push(longestTaskCpu(run));
        }
        log(`  ${answer.label} ${mode} run ${repetition + 1}/${repetitions}: ${run.cost.taskMs.toFixed(0)} ms main-thread CPU`);
      }
    }
  }
  // Extra paced runs, not in the figures above: observing the DOM for the latency, and the
  // breakdown's trace categories, cost main-thread time of their own.
  for (const caseRuns of runs.filter((candidate) => candidate.answer.traced)) {
    for (let repetition = 0; repetition < Math.min(repetitions, LATENCY_RUNS); repetition++) {
      const run = await timedRun(bench, messagesFor(caseRuns.answer, 'paced'), 'stream', { latency: true });
      caseRuns.latencies.push(run.result.latencies);
      log(`  ${caseRuns.answer.label} paced latency run ${repetition + 1}: ${run.result.latencies.length} deltas timed`);
    }
    caseRuns.pacedBreakdown = (await timedRun(bench, messagesFor(caseRuns.answer, 'paced'), 'stream', { breakdown: true })).breakdown;
  }
  return runs;
}

const LATENCY_RUNS = 3;

/**
 * Main-thread CPU of a delta that costs nothing to render: the probe posts, once per frame, a
 * delta for a turn that is not shown. What a streamed run spends per frame before any rendering
 * (frame production, message delivery and parsing, the probe's own bit), to tell it apart from
 * the rendering.
 */
export async function frameFloorCost(bench: Bench, frames: number, repetitions: number): Promise<number[]> {
  const perFrame: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const run = await timedRun(bench, Array.from({ length: frames + 1 }, () => EMPTY_DELTA), 'stream');
    perFrame.push(run.cost.taskMs / frames);
  }
  return perFrame;
}
