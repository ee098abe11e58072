/**
 * A clock for unit tests that moves only when the test moves it: timers run in the order they
 * fall due, each with `now()` at its own due time. A test of a timeout waits until the code
 * under test has set its timer, then advances past it: no real sleep, and the same result on
 * a busy machine as on an idle one.
 */
import type { Clock, TimerHandle } from '../../src/core/ports';

interface Timer {
  handle: TimerHandle;
  dueAt: number;
  /** Breaks ties between timers due at the same time: the one set first runs first. */
  order: number;
  run(): void;
}

/** How long (real time) a test waits for the code under test to set a timer before failing. */
const REAL_WAIT_LIMIT_MS = 5_000;

export class ManualClock implements Clock {
  private time: number;
  private timers: Timer[] = [];
  private setCount = 0;

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(run: () => void, ms: number): TimerHandle {
    const handle = {};
    this.timers.push({ handle, dueAt: this.time + Math.max(0, ms), order: this.setCount++, run });
    return handle;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    this.timers = this.timers.filter((timer) => timer.handle !== handle);
  }

  /** Delays of the timers still pending, from now, soonest first. */
  pendingDelays(): number[] {
    return this.sorted().map((timer) => timer.dueAt - this.time);
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way, in order (also those they set). */
  advance(ms: number): void {
    const target = this.time + ms;
    for (let due = this.nextDue(target); due; due = this.nextDue(target)) {
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = due.dueAt;
      due.run();
    }
    this.time = target;
  }

  /**
   * Waits (in real time, letting promises and I/O go on) until the code under test has set a
   * timer due within `ms`, then advances `ms`: "the timeout passes once the code waits on it".
   */
  async advanceWhenDue(ms: number): Promise<void> {
    await this.waitUntil(() => this.timers.some((timer) => timer.dueAt <= this.time + ms), `timer due within ${ms} ms`);
    this.advance(ms);
  }

  /**
   * Lets time run as fast as the code waits on it until `work` settles: whenever nothing but a
   * timer is left to wait for, jumps to the next one. Only for code that waits on nothing but
   * this clock and promises (no I/O), where "nothing else to do" is certain.
   */
  async runUntilSettled<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const done = work.finally(() => (settled = true));
    done.catch(() => undefined);
    for (;;) {
      await afterPendingPromises();
      if (settled) return done;
      const next = this.sorted()[0];
      if (!next) return done;
      this.advance(next.dueAt - this.time);
    }
  }

  private nextDue(target: number): Timer | undefined {
    return this.sorted().find((timer) => timer.dueAt <= target);
  }

  private sorted(): Timer[] {
    return [...this.timers].sort((a, b) => a.dueAt - b.dueAt || a.order - b.order);
  }

  private async waitUntil(condition: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + REAL_WAIT_LIMIT_MS;
    for (;;) {
      await afterPendingPromises();
      if (condition()) return;
      if (Date.now() > deadline) throw new Error(`the code under test set no ${what} (pending timers: ${JSON.stringify(this.pendingDelays())} ms)`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
}

/** Resolves once the promise jobs queued so far (and those they queue) have run. */
function afterPendingPromises(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
