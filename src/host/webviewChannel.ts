/**
 * The host's side of one chat webview. Posts wait until the webview says it is ready, and
 * streamed text is merged and sent at most every half frame: a fast server produces hundreds
 * of deltas a second, and each postMessage costs a structured clone and a wake-up. The
 * first message after a quiet frame goes out at once, so a slow stream gains no latency.
 */
import type * as vscode from 'vscode';
import type { HostToWebview } from '../protocol/messages';

/**
 * Half a display frame: the webview renders once per frame anyway, so merging within 8 ms
 * costs no visible smoothness, and a token waits here at most 8 ms on its way to the screen.
 */
const FRAME_MS = 8;

export class WebviewChannel {
  private ready = false;
  private queue: HostToWebview[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFlush = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly webview: Pick<vscode.Webview, 'postMessage'>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The webview (re)loaded: it needs a fresh `init`, so nothing queued before matters. */
  markReady(init: HostToWebview): void {
    this.ready = true;
    this.queue = [];
    void this.webview.postMessage(init);
  }

  markNotReady(): void {
    this.ready = false;
    this.queue = [];
  }

  post(message: HostToWebview): void {
    if (!this.ready) return;
    const last = this.queue[this.queue.length - 1];
    if (message.type === 'turnDelta' && last?.type === 'turnDelta' && last.turnId === message.turnId) {
      this.queue[this.queue.length - 1] = mergeDeltas(last, message);
    } else {
      // A snapshot now: the session keeps changing the turn it refers to, and text added
      // before the flush would otherwise arrive both inside it and again as a delta.
      this.queue.push(message.type === 'turnDelta' ? message : structuredClone(message));
    }
    if (this.timer) return;
    const wait = this.lastFlush + FRAME_MS - this.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastFlush = this.now();
    const batch = this.queue;
    this.queue = [];
    for (const message of batch) void this.webview.postMessage(message);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.queue = [];
  }
}

type Delta = Extract<HostToWebview, { type: 'turnDelta' }>;

export function mergeDeltas(first: Delta, second: Delta): Delta {
  const merged: Delta = { type: 'turnDelta', turnId: first.turnId };
  const content = (first.content ?? '') + (second.content ?? '');
  const reasoning = (first.reasoning ?? '') + (second.reasoning ?? '');
  if (content !== '') merged.content = content;
  if (reasoning !== '') merged.reasoning = reasoning;
  return merged;
}
