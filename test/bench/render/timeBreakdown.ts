/**
 * Where a traced run's main-thread CPU goes: the self time (CPU, `tdur`) of the trace events
 * inside the marked thread's tasks, summed by kind — script, style, layout, paint and
 * compositing, garbage collection, HTML parsing — from the `devtools.timeline` category. Nested
 * events are charged to the innermost one (a layout forced by script counts as layout).
 */

import type { TraceEvent } from './traceAnalysis';

/** Trace categories that give the breakdown (on top of the run's own). */
export const BREAKDOWN_CATEGORIES = ['devtools.timeline', 'v8'];

const KINDS: ReadonlyArray<[kind: string, names: readonly string[]]> = [
  ['script', ['FunctionCall', 'EvaluateScript', 'v8.compile', 'v8.run', 'v8.callFunction', 'EventDispatch', 'FireAnimationFrame', 'TimerFire', 'RunMicrotasks', 'V8.Execute', 'BlinkScheduler_PerformMicrotaskCheckpoint']],
  ['style', ['UpdateLayoutTree', 'RecalculateStyles', 'ScheduleStyleRecalculation', 'ParseAuthorStyleSheet']],
  ['layout', ['Layout', 'UpdateLayout', 'ScrollLayer', 'HitTest']],
  ['paint & composite', ['Paint', 'PrePaint', 'Layerize', 'UpdateLayer', 'UpdateLayerTree', 'CompositeLayers', 'Commit', 'PaintImage', 'RasterTask', 'ProxyMain::BeginMainFrame::commit']],
  ['content-visibility', ['IntersectionObserverController::computeIntersections']],
  ['message delivery', ['HandlePostMessage']],
  ['gc', ['MinorGC', 'MajorGC', 'BlinkGC.AtomicPhase', 'ThreadState::performIdleLazySweep', 'CppGC.IncrementalSweep', 'BlinkGC.IncrementalMarkingStep', 'BlinkGC.LazySweepInIdle']],
  ['html parsing', ['ParseHTML']],
];

function kindOf(name: string): string {
  for (const [kind, names] of KINDS) if (names.includes(name)) return kind;
  if (name.startsWith('V8.GC')) return 'gc';
  // The task itself, less the events inside it: scheduling, the frame's bookkeeping, IPC.
  return 'other';
}

interface Span {
  name: string;
  start: number;
  end: number;
  cpu: number;
}

/**
 * Self CPU ms by kind, for the events of the thread that left the marks `${prefix}start` and
 * `${prefix}end`, between them. Task time not inside any timeline event is 'other'.
 */
export function cpuBreakdown(buffer: Buffer, prefix: string): Map<string, number> {
  const parsed = JSON.parse(buffer.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const start = events.find((event) => event.name === `${prefix}start` && event.cat === 'blink.user_timing');
  const end = events.findLast((event) => event.name === `${prefix}end` && event.cat === 'blink.user_timing');
  if (start?.ts === undefined || end?.ts === undefined) throw new Error(`the trace has no ${prefix}start/end marks`);
  const thread = { pid: start.pid, tid: start.tid };
  const from = start.ts;
  const to = end.ts;
  const spans: Span[] = [];
  const open = new Map<string, TraceEvent[]>();
  for (const event of events) {
    if (event.pid !== thread.pid || event.tid !== thread.tid || event.ts === undefined || event.name === undefined) continue;
    if (event.ph === 'X') {
      if (event.ts < from || event.ts > to) continue;
      spans.push({ name: event.name, start: event.ts, end: event.ts + (event.dur ?? 0), cpu: (event.tdur ?? event.dur ?? 0) / 1000 });
    } else if (event.ph === 'B') {
      const stack = open.get(event.name) ?? [];
      stack.push(event);
      open.set(event.name, stack);
    } else if (event.ph === 'E') {
      const begin = open.get(event.name)?.pop();
      if (begin?.ts === undefined || begin.ts < from || begin.ts > to) continue;
      const cpu = begin.tts !== undefined && event.tts !== undefined ? (event.tts - begin.tts) / 1000 : (event.ts - begin.ts) / 1000;
      spans.push({ name: event.name, start: begin.ts, end: event.ts, cpu });
    }
  }
  // Outer spans first; a span's self time is its CPU less that of the spans directly inside it.
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const self = spans.map((span) => span.cpu);
  const stack: number[] = [];
  for (let index = 0; index < spans.length; index++) {
    const span = spans[index] as Span;
    while (stack.length > 0 && (spans[stack.at(-1) as number] as Span).end <= span.start) stack.pop();
    const parent = stack.at(-1);
    if (parent !== undefined) self[parent] = (self[parent] ?? 0) - span.cpu;
    stack.push(index);
  }
  const totals = new Map<string, number>();
  spans.forEach((span, index) => {
    // The task events themselves: their self time is what no timeline event covers.
    const kind = kindOf(span.name);
    totals.set(kind, (totals.get(kind) ?? 0) + Math.max(0, self[index] ?? 0));
  });
  return totals;
}

/** "script 40% · style 20% · …", largest first. */
export function breakdownText(totals: ReadonlyMap<string, number>): string {
  const sum = [...totals.values()].reduce((total, value) => total + value, 0);
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .filter(([, value]) => value / sum >= 0.01)
    .map(([kind, value]) => `${kind} ${((value / sum) * 100).toFixed(0)}%`)
    .join(' · ');
}
