/**
 * The rows of the streaming benchmarks, from the runs of streamingRuns.ts:
 *  - render cost: main-thread CPU of the run streamed at full speed / of the one-shot render
 *    (<= 3x);
 *  - paced render cost: the same answer at one delta per frame, as local servers stream, less
 *    the frame floor (what a delta that renders nothing costs with its frame) / the one-shot
 *    render (<= 3x);
 *  - longest task while streaming, at full speed (< 50 ms) and paced (< 16 ms, one frame);
 *  - render flatness: CPU per delta over the last tenth of the answer / over the first tenth,
 *    from the paced runs (<= 1.2x);
 *  - delta to screen: from a delta's post to the end of the frame that shows it (p50, p99).
 * Every figure is a median over runs; `notes` say what else was seen.
 */
import { median, percentile, type BenchResult } from '../benchResult';
import type { CaseRuns } from './streamingRuns';
import { breakdownText } from './timeBreakdown';

const COST_TARGET = 3;
const PACED_COST_TARGET = 3;
const LONG_TASK_TARGET_MS = 50;
const PACED_LONG_TASK_TARGET_MS = 16;
const FLATNESS_TARGET = 1.2;

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
const fixed = (value: number, digits = 1): string => value.toFixed(digits);

/** The first and the last tenth of a series. */
function tenths(series: readonly number[]): { start: number[]; end: number[] } {
  const size = Math.max(1, Math.floor(series.length / 10));
  return { start: series.slice(0, size), end: series.slice(-size) };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Median over runs of a per-run figure. */
function medianOf<T>(runs: readonly T[], figure: (run: T) => number): number {
  return median(runs.map(figure));
}

export function renderCostRow(runs: CaseRuns): BenchResult {
  const fullSpeed = medianOf(runs.fullSpeed, (run) => run.cost.taskMs);
  const oneShot = medianOf(runs.oneShot, (run) => run.cost.taskMs);
  const ratio = fullSpeed / oneShot;
  const scriptRatio = medianOf(runs.fullSpeed, (run) => run.cost.scriptMs) / medianOf(runs.oneShot, (run) => run.cost.scriptMs);
  const deltas = runs.answer.chunking.chunks.length;
  const finalText = runs.oneShot[0]?.result.renderedChars;
  const sameText = runs.fullSpeed.every((run) => run.result.renderedChars === finalText);
  return {
    metric: `render cost ${runs.answer.label} (streamed at full speed / one-shot)`,
    ours: round(fullSpeed, 1),
    baseline: round(oneShot, 1),
    unit: 'ms main-thread CPU',
    ratio: round(ratio),
    target: `<= ${COST_TARGET}x`,
    pass: ratio <= COST_TARGET,
    notes: [
      `${deltas} deltas of ~80 chars posted back to back, each its own message event; medians of ${runs.fullSpeed.length} runs each, interleaved`,
      `script only (ScriptDuration): ${fixed(scriptRatio, 2)}x`,
      sameText ? 'streamed and one-shot transcripts have the same text' : 'WARNING: a streamed transcript text differs from the one-shot one',
    ].join('; '),
  };
}

/** Paced at one delta per frame: what rendering the stream costs above the frames themselves. */
export function pacedCostRow(runs: CaseRuns, floorMsPerFrame: number): BenchResult {
  const deltas = runs.answer.chunking.chunks.length;
  const floor = floorMsPerFrame * deltas;
  const paced = medianOf(runs.paced, (run) => run.cost.taskMs);
  const rendering = paced - floor;
  const oneShot = medianOf(runs.oneShot, (run) => run.cost.taskMs);
  const ratio = rendering / oneShot;
  const webviewJs = medianOf(runs.paced, (run) => run.result.perDelta.reduce((sum, ms) => sum + ms, 0));
  const finalText = runs.oneShot[0]?.result.renderedChars;
  const sameText = runs.paced.every((run) => run.result.renderedChars === finalText);
  return {
    metric: `paced render cost ${runs.answer.label} (one delta per frame, above the frame floor / one-shot)`,
    ours: round(rendering, 1),
    baseline: round(oneShot, 1),
    unit: 'ms main-thread CPU',
    ratio: round(ratio),
    target: `<= ${PACED_COST_TARGET}x`,
    pass: ratio <= PACED_COST_TARGET,
    notes: [
      `${deltas} deltas of ~80 chars, one per animation frame (a server ${fixed((deltas / 60), 0)} s long at 60 frames/s); medians of ${runs.paced.length} runs each, interleaved with the one-shot runs`,
      `whole paced run: ${fixed(paced, 0)} ms = ${fixed(paced / oneShot, 1)}x the one-shot render, of which the frame floor `
        + `(${deltas} deltas for a turn that is not shown, with their frames: ${fixed(floorMsPerFrame, 3)} ms each) ${fixed(floor, 0)} ms = ${fixed(floor / oneShot, 1)}x`,
      `the webview's own callbacks (message handler and frame callbacks, wall): ${fixed(webviewJs, 0)} ms`,
      ...(runs.pacedBreakdown === undefined ? [] : [`where one extra traced run's main-thread CPU went: ${breakdownText(runs.pacedBreakdown)}`]),
      sameText ? 'paced and one-shot transcripts have the same text' : 'WARNING: a paced transcript text differs from the one-shot one',
    ].join('; '),
  };
}

/** While a paced answer streams, no main-thread task may take longer than a frame. */
export function pacedLongestTaskRow(runs: CaseRuns): BenchResult {
  const longest = runs.tracedStreams.map((run) => run.longestTaskCpu);
  const ours = median(longest);
  const worst = Math.max(...longest);
  const worstWall = runs.tracedStreams.reduce((found, run) => (run.longestTaskWall > found.longestTaskWall ? run : found));
  return {
    metric: `longest task while streaming ${runs.answer.label} paced (one delta per frame)`,
    ours: round(ours, 1),
    unit: 'ms main-thread CPU',
    target: `< ${PACED_LONG_TASK_TARGET_MS} ms`,
    pass: worst < PACED_LONG_TASK_TARGET_MS,
    notes: [
      `median over ${longest.length} traced runs of each run's longest task, CPU time (worst run: ${fixed(worst)} ms), judged on the worst`,
      `longest by the wall clock: ${fixed(worstWall.longestTaskWall)} ms, of which ${fixed(worstWall.longestWallTaskCpu)} ms CPU (the rest is waiting for a CPU on this shared machine)`,
    ].join('; '),
  };
}

/** From a delta's post to the end of the frame that puts its text on screen, over all latency runs. */
export function latencyRow(runs: CaseRuns): BenchResult {
  const all = runs.latencies.flat();
  const p50 = percentile(all, 50);
  const p99 = percentile(all, 99);
  const shownPerRun = runs.latencies.map((run) => run.length);
  return {
    metric: `delta to screen ${runs.answer.label} paced (p50; p99 in the notes)`,
    ours: round(p50, 1),
    unit: 'ms wall',
    target: 'reported (no target)',
    pass: true,
    notes: [
      `p50 ${fixed(p50)} ms, p99 ${fixed(p99)} ms, max ${fixed(Math.max(...all))} ms over ${all.length} deltas of ${runs.latencies.length} paced runs (deltas timed per run: ${shownPerRun.join(', ')})`,
      'from the probe posting the delta (as the host posts it) to the first task after the first frame whose webview callback changed the answer\'s DOM once the delta was handled (its style, layout, paint and commit are done by then)',
      'wall time on a shared machine: includes waiting for a CPU; a frame is 16.7 ms',
    ].join('; '),
  };
}

export function longestTaskRow(runs: CaseRuns): BenchResult {
  const ours = median(runs.fullSpeedLongestCpu);
  const worst = Math.max(...runs.fullSpeedLongestCpu);
  const paced = runs.tracedStreams;
  const pacedLongest = median(paced.map((run) => run.longestTaskCpu));
  const worstWall = paced.reduce((longest, run) => (run.longestTaskWall > longest.longestTaskWall ? run : longest));
  const streamed = [...runs.fullSpeed, ...runs.paced];
  const longTasks = streamed.flatMap((run) => run.result.longTasks);
  const longestCallback = Math.max(...streamed.map((run) => run.result.longestCallback));
  const oneShot = runs.oneShotLongestCpu.length > 0 ? median(runs.oneShotLongestCpu) : Number.NaN;
  return {
    metric: `longest task while streaming ${runs.answer.label} at full speed`,
    ours: round(ours, 1),
    unit: 'ms main-thread CPU',
    target: `< ${LONG_TASK_TARGET_MS} ms`,
    pass: worst < LONG_TASK_TARGET_MS && pacedLongest < LONG_TASK_TARGET_MS,
    notes: [
      `median over ${runs.fullSpeedLongestCpu.length} traced runs of each run's longest task (worst run: ${fixed(worst)} ms CPU)`,
      `paced at one delta per frame: ${fixed(pacedLongest)} ms; longest by the wall clock: ${fixed(worstWall.longestTaskWall)} ms, of which ${fixed(worstWall.longestWallTaskCpu)} ms CPU `
        + '(the rest is waiting, e.g. in the commit for a compositor thread short of CPU on this shared machine)',
      `longtask entries > 50 ms wall: ${longTasks.length} over ${streamed.length} streamed runs; longest webview callback (wall): ${fixed(longestCallback)} ms`,
      `for comparison, the one-shot render is one task of ~${fixed(oneShot)} ms CPU`,
    ].join('; '),
  };
}

export function flatnessRow(runs: CaseRuns): BenchResult {
  const traced = runs.tracedStreams;
  const windows = traced.map((run) => tenths(run.perDeltaCpu));
  const start = median(windows.map((window) => median(window.start)));
  const end = median(windows.map((window) => median(window.end)));
  const ratio = end / start;
  const meanRatio = median(windows.map((window) => mean(window.end))) / median(windows.map((window) => mean(window.start)));
  const jsWindows = runs.paced.map((run) => tenths(run.result.perDelta));
  const jsRatio = median(jsWindows.map((window) => median(window.end))) / median(jsWindows.map((window) => median(window.start)));
  const deltasPerWindow = windows[0]?.start.length ?? 0;
  // Whether the growth goes on, or was only the first tenth being cheap (a short page paints little).
  const second = median(traced.map((run) => median(run.perDeltaCpu.slice(deltasPerWindow, 2 * deltasPerWindow))));
  return {
    metric: `render flatness ${runs.answer.label} (cost per delta, last 10% / first 10%)`,
    ours: round(end, 3),
    baseline: round(start, 3),
    unit: 'ms main-thread CPU per delta',
    ratio: round(ratio),
    target: `<= ${FLATNESS_TARGET}x`,
    pass: ratio <= FLATNESS_TARGET,
    notes: [
      `paced at one delta per frame, so each delta's cost is its own`,
      `per delta: CPU of every main-thread task from its post to the next delta's (handler, render, style, layout, paint, commit, GC), from traces`,
      `median per window of ${deltasPerWindow} deltas, then median of ${traced.length} runs`,
      `second tenth: ${fixed(second, 3)} ms (last / second tenth: ${fixed(end / second, 2)}x)`,
      `with means per window instead: ${fixed(meanRatio, 2)}x`,
      `webview's own callbacks only (medians): ${fixed(jsRatio, 2)}x`,
    ].join('; '),
  };
}
