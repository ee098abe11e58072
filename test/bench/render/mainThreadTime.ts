/**
 * Main-thread time of a page's renderer, from the DevTools Performance domain: the growth of
 * `TaskDuration` (every task the main thread ran: script, style, layout, paint, GC) and of
 * `ScriptDuration` across a window.
 *
 * Counted in thread time ('threadTicks'), i.e. time the thread was actually on a CPU: on a shared
 * machine a thread that is preempted mid-task would otherwise be charged for someone else's work.
 */
import type { CDPSession, Page } from 'playwright-core';

export interface MainThreadSample {
  taskMs: number;
  scriptMs: number;
}

export class MainThreadTime {
  private constructor(private readonly session: CDPSession) {}

  static async attach(page: Page): Promise<MainThreadTime> {
    const session = await page.context().newCDPSession(page);
    await session.send('Performance.enable', { timeDomain: 'threadTicks' });
    return new MainThreadTime(session);
  }

  async sample(): Promise<MainThreadSample> {
    const { metrics } = await this.session.send('Performance.getMetrics');
    const seconds = (name: string): number => metrics.find((metric) => metric.name === name)?.value ?? Number.NaN;
    return { taskMs: seconds('TaskDuration') * 1000, scriptMs: seconds('ScriptDuration') * 1000 };
  }

  /** Main-thread time spent while `work` runs. */
  async around(work: () => Promise<void>): Promise<MainThreadSample> {
    const before = await this.sample();
    await work();
    const after = await this.sample();
    return { taskMs: after.taskMs - before.taskMs, scriptMs: after.scriptMs - before.scriptMs };
  }

  /** A full garbage collection, so one run's garbage is not collected during the next. */
  async collectGarbage(): Promise<void> {
    await this.session.send('HeapProfiler.collectGarbage');
  }

  async detach(): Promise<void> {
    await this.session.detach();
  }
}
