/**
 * The life of a plugin worker's thread: starting it with a heap limit, a watchdog
 * that stops it when it stops answering (a synchronous loop), and turning its exit, running
 * out of heap or crashing into one reason it stopped, reported once.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HostToWorker, WorkerToHost } from './workerMessages';

export interface WorkerThreadOptions {
  /** The worker's bundle; by default dist/pluginWorker.js beside the extension's bundle. */
  workerPath?: string;
  heapLimitMb: number;
  /** A worker silent this long (busy in synchronous code) is stopped. */
  unresponsiveMs: number;
  /** A worker silent this long is reported stalled (once per silence), so its other plugins can move. */
  stallMs?: number;
}

export interface WorkerThreadListener {
  received(message: WorkerToHost): void;
  /** The worker has been silent for `stallMs`: it runs synchronous code that may never return. */
  stalled?(): void;
  /** Called once, when the worker is stopped for whatever reason; `failsPlugin` is false for an unload. */
  stopped(why: Error, failsPlugin: boolean): void;
}

export class PluginWorkerThread {
  private readonly worker: Worker;
  private readonly heartbeat: ReturnType<typeof setInterval>;
  private lastHeard = Date.now();
  private stallReported = false;
  /** The lane whose code the worker runs now (pluginWorker.ts writes it): readable while the worker is blocked. */
  private readonly runningLane = new Int32Array(new SharedArrayBuffer(4));
  /** Why the worker is gone; set once it is. */
  private whyEnded: Error | undefined;

  constructor(
    private readonly options: WorkerThreadOptions,
    private readonly listener: WorkerThreadListener,
  ) {
    this.worker = new Worker(options.workerPath ?? defaultWorkerPath(), {
      resourceLimits: { maxOldGenerationSizeMb: options.heapLimitMb },
      workerData: { runningLane: this.runningLane.buffer },
      // The extension host's own flags (an inspector port, say) are not the plugin's.
      execArgv: [],
    });
    this.worker.on('message', (message: WorkerToHost) => {
      this.lastHeard = Date.now();
      this.stallReported = false;
      listener.received(message);
    });
    this.worker.on('error', (error: Error & { code?: string }) => {
      this.stop(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new Error(`ran out of memory (its limit is ${options.heapLimitMb} MB); stopped`)
          : new Error(`crashed: ${error.message}; stopped`),
      );
    });
    this.worker.on('exit', (code) => this.stop(new Error(`its worker exited (code ${code}); stopped`)));
    // A plugin's worker never keeps the process alive (after its listeners: adding one refs it again).
    this.worker.unref();
    const shortest = Math.min(options.unresponsiveMs, options.stallMs ?? Infinity);
    this.heartbeat = setInterval(() => this.checkAlive(), Math.min(1_000, Math.max(20, shortest / 4)));
    this.heartbeat.unref();
  }

  /** The lane whose plugin code the worker runs (or ran last); 0 before any. */
  get lane(): number {
    return Atomics.load(this.runningLane, 0);
  }

  /** Why the worker stopped, once it has. */
  get ended(): Error | undefined {
    return this.whyEnded;
  }

  /** Throws what cannot be copied to the worker (a function, say); does nothing once it stopped. */
  post(message: HostToWorker): void {
    if (!this.whyEnded) this.worker.postMessage(message);
  }

  /** Stops the worker (if it still runs) and tells the listener why. */
  stop(why: Error, failsPlugin = true): void {
    if (this.whyEnded) return;
    this.whyEnded = why;
    clearInterval(this.heartbeat);
    void this.worker.terminate();
    this.listener.stopped(why, failsPlugin);
  }

  private checkAlive(): void {
    if (this.whyEnded) return;
    const silentMs = Date.now() - this.lastHeard;
    if (silentMs > this.options.unresponsiveMs) {
      this.stop(new Error(`did not answer for ${Math.round(this.options.unresponsiveMs / 1000)} s; stopped`));
      return;
    }
    if (this.options.stallMs !== undefined && silentMs > this.options.stallMs && !this.stallReported) {
      this.stallReported = true;
      this.listener.stalled?.();
    }
    this.post({ type: 'ping' });
  }
}

/**
 * dist/pluginWorker.js beside the extension's bundle; run from source (the unit tests, under
 * tsx) this file is in src/core/plugins/isolation and the worker is built into dist/ too.
 */
function defaultWorkerPath(): string {
  const besideBundle = path.join(__dirname, 'pluginWorker.js');
  return existsSync(besideBundle) ? besideBundle : path.resolve(__dirname, '../../../../dist/pluginWorker.js');
}
