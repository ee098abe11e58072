/**
 * Runs in the benchmark page before the webview bundle (built for the browser by
 * benchServer.ts). It stands in for VS Code around the webview:
 *  - `acquireVsCodeApi` is a stub that records what the webview posts;
 *  - host messages are sent with `window.postMessage`, so they arrive as real `message` events
 *    (as VS Code's outer frame delivers them), each as its own task;
 * and it times the webview's own work: its `message` listener and its animation-frame callbacks
 * are wrapped with performance.now(). The probe's own frames use the unwrapped
 * requestAnimationFrame, so they are not counted.
 */
import { RUN_MARKS, type BenchProbe, type OpenRunResult, type RunMode, type RunResult } from './probeApi';

const rawRequestFrame = window.requestAnimationFrame.bind(window);
const rawCancelFrame = window.cancelAnimationFrame.bind(window);
const rawAddListener = window.addEventListener.bind(window);
const rawRemoveListener = window.removeEventListener.bind(window);

// --- The host's side of the webview API --------------------------------------------------------

const posted: unknown[] = [];
let uiState: unknown;
(window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
  postMessage: (message: unknown) => posted.push(message),
  getState: () => uiState,
  setState: (state: unknown) => {
    uiState = state;
  },
});

// --- Timing of the webview's callbacks ---------------------------------------------------------

let recording = false;
/** Per delta of the current stream: the webview's main-thread time in ms. */
let perDelta: number[] = [];
/** The delta that work now belongs to (undefined: the turn's first or final message). */
let slot: number | undefined;
let deltasSeen = 0;
let longestCallback = 0;
let messagesPosted = 0;
let messagesHandled = 0;
const pendingFrames = new Set<number>();
let afterMessage: Array<() => void> = [];

// --- Delta to screen -----------------------------------------------------------------------------
// In a latency run, each delta's post time is kept; after each webview frame callback that changed
// an answer's DOM, every delta handled by then and not shown yet counts as shown, at the end of that
// frame (the first task after it: its style, layout, paint and commit are done by then).

let measuringLatency = false;
const deltaPostedAt: number[] = [];
let deltasShown = 0;
let latencies: number[] = [];
const answerChanges = new MutationObserver(() => undefined);

function inAnswer(record: MutationRecord): boolean {
  const node = record.target;
  const element = node instanceof Element ? node : node.parentElement;
  return element?.closest('.turn-answer') !== null && element !== null;
}

function noteShownText(): void {
  const changed = answerChanges.takeRecords().some(inAnswer);
  if (!changed || deltasShown === deltasSeen) return;
  const shown = deltaPostedAt.slice(deltasShown, deltasSeen);
  deltasShown = deltasSeen;
  void nextTask().then(() => {
    const now = performance.now();
    for (const postedAt of shown) latencies.push(now - postedAt);
  });
}

function timed(work: () => void): void {
  const start = performance.now();
  try {
    work();
  } finally {
    const duration = performance.now() - start;
    if (recording) {
      longestCallback = Math.max(longestCallback, duration);
      if (slot !== undefined) perDelta[slot] = (perDelta[slot] ?? 0) + duration;
    }
  }
}

window.requestAnimationFrame = (callback: FrameRequestCallback): number => {
  const id = rawRequestFrame((time) => {
    pendingFrames.delete(id);
    timed(() => callback(time));
    if (measuringLatency) noteShownText();
  });
  pendingFrames.add(id);
  return id;
};

window.cancelAnimationFrame = (id: number): void => {
  pendingFrames.delete(id);
  rawCancelFrame(id);
};

const wrappedListeners = new WeakMap<object, EventListener>();

function wrapMessageListener(listener: EventListenerOrEventListenerObject): EventListener {
  const call = typeof listener === 'function' ? listener : (event: Event) => listener.handleEvent(event);
  const wrapped = (event: Event): void => {
    const type = (event as MessageEvent<{ type?: unknown }>).data?.type;
    slot = recording && type === 'turnDelta' ? deltasSeen++ : undefined;
    timed(() => call.call(window, event));
    messagesHandled++;
    const hooks = afterMessage;
    afterMessage = [];
    for (const hook of hooks) hook();
  };
  wrappedListeners.set(listener, wrapped);
  return wrapped;
}

window.addEventListener = ((type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions) => {
  if (listener === null) return;
  rawAddListener(type, type === 'message' ? wrapMessageListener(listener) : listener, options);
}) as typeof window.addEventListener;

window.removeEventListener = ((type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions) => {
  if (listener === null) return;
  rawRemoveListener(type, (type === 'message' ? wrappedListeners.get(listener) : undefined) ?? listener, options);
}) as typeof window.removeEventListener;

// --- Long tasks and long frames, as Chromium reports them ---------------------------------------

const longTaskEntries: PerformanceEntry[] = [];
const longFrameEntries: PerformanceEntry[] = [];
const observers: PerformanceObserver[] = [];
for (const [type, sink] of [['longtask', longTaskEntries], ['long-animation-frame', longFrameEntries]] as const) {
  if (!PerformanceObserver.supportedEntryTypes.includes(type)) continue;
  const observer = new PerformanceObserver((list) => sink.push(...list.getEntries()));
  observer.observe({ type });
  observers.push(observer);
}

function entriesBetween(entries: readonly PerformanceEntry[], start: number, end: number): number[] {
  return entries.filter((entry) => entry.startTime >= start && entry.startTime <= end).map((entry) => entry.duration);
}

// --- Driving ------------------------------------------------------------------------------------

function post(message: unknown): void {
  messagesPosted++;
  if (measuringLatency && (message as { type?: unknown }).type === 'turnDelta') deltaPostedAt.push(performance.now());
  window.postMessage(message, '*');
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => rawRequestFrame(() => resolve()));
}

/** A new task (not a `window` message, which the webview would see). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(undefined);
  });
}

/** A run that has not settled by then is stuck: fail it rather than hang the benchmark. */
const SETTLE_LIMIT_MS = 60_000;
const KEY_LIMIT_MS = 15_000;

async function settle(): Promise<void> {
  const deadline = performance.now() + SETTLE_LIMIT_MS;
  do {
    await nextFrame();
    if (performance.now() > deadline) throw new Error('the webview did not settle (a frame or a message stays pending)');
  } while (pendingFrames.size > 0 || messagesHandled < messagesPosted);
  // The frame that ran the last render is painted before this one starts.
  await nextFrame();
  await nextTask();
}

let staged: unknown[] = [];

function takeStaged(): unknown[] {
  const messages = staged;
  staged = [];
  return messages;
}

/** Posts the first message now and the others one per animation frame. */
function postOnePerFrame(messages: readonly unknown[]): Promise<void> {
  const [first, ...rest] = messages;
  post(first);
  return new Promise<void>((resolve) => {
    let next = 0;
    const tick = (): void => {
      if (next === rest.length) {
        resolve();
        return;
      }
      // The mark goes into a trace too: per-delta CPU time is read between these marks.
      performance.mark(RUN_MARKS.delta);
      post(rest[next++]);
      rawRequestFrame(tick);
    };
    rawRequestFrame(tick);
  });
}

async function runStaged(mode: RunMode, latency: boolean): Promise<RunResult> {
  const messages = takeStaged();
  perDelta = [];
  deltasSeen = 0;
  longestCallback = 0;
  deltaPostedAt.length = 0;
  deltasShown = 0;
  latencies = [];
  measuringLatency = latency;
  if (latency) answerChanges.observe(document.body, { subtree: true, childList: true, characterData: true });
  recording = true;
  const start = performance.now();
  performance.mark(RUN_MARKS.start);
  if (mode === 'stream') await postOnePerFrame(messages);
  else messages.forEach(post);
  await settle();
  performance.mark(RUN_MARKS.end);
  const end = performance.now();
  recording = false;
  measuringLatency = false;
  answerChanges.disconnect();
  slot = undefined;
  performance.clearMarks();
  for (const observer of observers) {
    for (const entry of observer.takeRecords()) (entry.entryType === 'longtask' ? longTaskEntries : longFrameEntries).push(entry);
  }
  return {
    perDelta,
    longestCallback,
    longTasks: entriesBetween(longTaskEntries, start, end),
    longFrames: entriesBetween(longFrameEntries, start, end),
    renderedChars: document.querySelector('.transcript')?.textContent?.length ?? 0,
    latencies,
  };
}

let keyResult: Promise<OpenRunResult> | undefined;

function messageInput(): HTMLTextAreaElement {
  const input = document.querySelector<HTMLTextAreaElement>('textarea[aria-label="Message"]');
  if (input === null) throw new Error('the webview has no message input');
  return input;
}

function openConversation(json: string): Promise<void> {
  const start = performance.now();
  let appliedAt = Number.NaN;
  // The host's message arrives serialized; reading it is part of opening the conversation.
  const message: unknown = JSON.parse(json);
  keyResult = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the message input never received the key')), KEY_LIMIT_MS);
    document.addEventListener('input', () => {
      const inputAt = performance.now();
      rawRequestFrame(() => {
        clearTimeout(timer);
        const input = messageInput();
        resolve({
          pageMs: performance.now() - start,
          appliedMs: appliedAt - start,
          inputMs: inputAt - start,
          value: input.value,
          focused: document.activeElement === input,
          turnsShown: document.querySelectorAll('.transcript .turn').length,
        });
      });
    }, { once: true, capture: true });
  });
  // Right after the webview applied the message, in the same task: the input must be there and
  // take focus (not hidden, disabled or inert under something). The caller types only then, so
  // the key cannot overtake the message and land outside the input.
  const focused = new Promise<void>((resolve) => {
    afterMessage.push(() => {
      const input = messageInput();
      if (input.checkVisibility() && !input.disabled) input.focus();
      appliedAt = performance.now();
      resolve();
    });
  });
  post(message);
  return focused;
}

const probe: BenchProbe = {
  posted,
  stage(messages) {
    staged = messages;
  },
  async postStaged() {
    for (const message of takeStaged()) post(message);
    await settle();
  },
  runStaged,
  settle,
  openConversation,
  keyTaken() {
    if (keyResult === undefined) return Promise.reject(new Error('no conversation was opened'));
    return keyResult;
  },
};
window.patchbayBench = probe;
