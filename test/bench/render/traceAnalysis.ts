/**
 * Reads a Chromium trace (categories `toplevel` and `blink.user_timing`) for the tasks of the
 * webview's main thread: the thread is the one that emitted the probe's performance marks, and
 * a task is a top-level `ThreadControllerImpl::RunTask` event.
 *
 * Each task has a wall duration and a thread (CPU) duration. On a shared machine the wall
 * duration of a frame task is often mostly waiting: the main thread blocks in the commit until
 * the compositor thread, starved of a CPU, has taken the frame. The CPU duration is the work the
 * webview's code and its frame really cost, so it is what the targets are judged on.
 */

export interface TraceEvent {
  name?: string;
  cat?: string;
  ph?: string;
  pid?: number;
  tid?: number;
  ts?: number;
  dur?: number;
  tdur?: number;
  tts?: number;
}

export interface MainThreadTask {
  /** Start, µs on the trace clock. */
  start: number;
  wallMs: number;
  cpuMs: number;
}

export interface MarkedTrace {
  /** Tasks of the marked thread that started between the first and the last mark named `window`. */
  tasks: MainThreadTask[];
  /** Times of the marks, by name, µs on the trace clock, in order. */
  marks: Map<string, number[]>;
}

const TASK_EVENT = 'ThreadControllerImpl::RunTask';

function eventsOf(buffer: Buffer): TraceEvent[] {
  const parsed = JSON.parse(buffer.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  return Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
}

/**
 * The main-thread tasks between the marks `${prefix}start` and `${prefix}end`, and every mark
 * whose name starts with `prefix`.
 */
export function readMarkedTrace(buffer: Buffer, prefix: string): MarkedTrace {
  const events = eventsOf(buffer);
  const marks = new Map<string, number[]>();
  let thread: { pid: number; tid: number } | undefined;
  for (const event of events) {
    if (event.cat !== 'blink.user_timing' || !event.name?.startsWith(prefix) || event.ts === undefined) continue;
    thread ??= { pid: event.pid ?? -1, tid: event.tid ?? -1 };
    const times = marks.get(event.name) ?? [];
    times.push(event.ts);
    marks.set(event.name, times);
  }
  const from = marks.get(`${prefix}start`)?.[0];
  const to = marks.get(`${prefix}end`)?.at(-1);
  if (thread === undefined || from === undefined || to === undefined) throw new Error(`the trace has no ${prefix}start/end marks`);
  for (const times of marks.values()) times.sort((a, b) => a - b);

  const all = events
    .filter((event) => event.name === TASK_EVENT && event.ph === 'X' && event.pid === thread.pid && event.tid === thread.tid)
    .sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0));
  const tasks: MainThreadTask[] = [];
  let coveredUntil = Number.NEGATIVE_INFINITY;
  for (const event of all) {
    const start = event.ts ?? 0;
    const end = start + (event.dur ?? 0);
    // A task run inside another (a nested run loop) is already part of the outer one.
    if (start < coveredUntil) continue;
    coveredUntil = end;
    // The task that emitted the start mark began before it; it belongs to the window too.
    if (end < from || start > to) continue;
    tasks.push({ start, wallMs: (event.dur ?? 0) / 1000, cpuMs: (event.tdur ?? event.dur ?? 0) / 1000 });
  }
  return { tasks, marks };
}

/**
 * CPU time of the tasks that started in each interval between consecutive marks `boundaries`
 * (the last interval runs to `end`).
 */
export function cpuPerInterval(tasks: readonly MainThreadTask[], boundaries: readonly number[], end: number): number[] {
  const sums = boundaries.map(() => 0);
  let interval = 0;
  for (const task of tasks) {
    if (task.start < (boundaries[0] ?? Number.POSITIVE_INFINITY) || task.start > end) continue;
    while (interval + 1 < boundaries.length && task.start >= (boundaries[interval + 1] as number)) interval++;
    sums[interval] = (sums[interval] ?? 0) + task.cpuMs;
  }
  return sums;
}
