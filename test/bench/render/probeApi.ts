/**
 * What the page-side probe (pageProbe.ts, loaded before the webview bundle) offers the Node
 * side, and the names of the marks it leaves. Both sides import it.
 */

/** Marks the probe leaves in the performance timeline (and so in a trace) around a timed run. */
export const RUN_MARK_PREFIX = 'patchbay-run-';
/** `${RUN_MARK_PREFIX}start`, then one `${RUN_MARK_PREFIX}delta` as each delta is posted, then `${RUN_MARK_PREFIX}end`. */
export const RUN_MARKS = { start: `${RUN_MARK_PREFIX}start`, delta: `${RUN_MARK_PREFIX}delta`, end: `${RUN_MARK_PREFIX}end` } as const;

/**
 * How a timed run posts its staged messages: `stream` posts the first at once (`turnAdded`),
 * then one per animation frame (a server whose deltas arrive a frame apart); `once` posts them
 * all back to back: the finished answer's two messages, or every delta of a stream arriving at
 * full speed, each as its own message event (more events than the host would ever send: it
 * merges the deltas of each 8 ms).
 */
export type RunMode = 'stream' | 'once';

/** One timed run. */
export interface RunResult {
  /**
   * Main-thread time of the webview's own work per delta (empty for `once`), in ms: its message
   * handler for the delta plus the frame callbacks that ran before the next delta (the render,
   * including the layout it forces when it keeps the view scrolled to the bottom).
   */
  perDelta: number[];
  /** The longest single webview callback (message handler or frame callback), wall ms. */
  longestCallback: number;
  /** Durations of the `longtask` entries reported during the run, ms. */
  longTasks: number[];
  /** Durations of the `long-animation-frame` entries reported during the run, ms. */
  longFrames: number[];
  /** Length of the text the transcript shows at the end (a check that the answer arrived). */
  renderedChars: number;
  /**
   * In a latency run, per delta shown: ms from its post to the end of the first frame that
   * changed the answer's DOM after the webview handled it (empty otherwise).
   */
  latencies: number[];
}

/** Opening a conversation until the input takes a typed key. */
export interface OpenRunResult {
  /** From the serialized `init` arriving in the page to the first frame after the key's input event, ms. */
  pageMs: number;
  /** From the same start to: the message applied and the input focused; the key's `input` event. */
  appliedMs: number;
  inputMs: number;
  /** The input's value after the key, and whether it had focus then. */
  value: string;
  focused: boolean;
  turnsShown: number;
}

export interface BenchProbe {
  /** Messages the webview posted to the host (the stub `acquireVsCodeApi` collects them). */
  readonly posted: unknown[];
  /** Keeps messages for the next run, so moving them into the page is not part of what is timed. */
  stage(messages: unknown[]): void;
  /** Posts the staged messages at once and waits until the webview has rendered them (untimed setup). */
  postStaged(): Promise<void>;
  /**
   * A timed run of the staged messages (see RunMode), until the webview has rendered the last;
   * `latency` also records each delta's time to the screen (it observes the DOM, so its CPU
   * figures are not the webview's alone).
   */
  runStaged(mode: RunMode, latency: boolean): Promise<RunResult>;
  /** Waits until the webview has no frame or message pending, then for one more frame. */
  settle(): Promise<void>;
  /**
   * Posts `json` (a serialized `init`) and resolves once the webview has applied it and the
   * message input has taken focus (in that same task); `keyTaken` then resolves at the first
   * frame after the next input event.
   */
  openConversation(json: string): Promise<void>;
  keyTaken(): Promise<OpenRunResult>;
}

declare global {
  interface Window {
    patchbayBench: BenchProbe;
  }
}
