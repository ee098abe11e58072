/**
 * A worker thread holding the plugins of one source (the user's global plugins, or one
 * workspace folder's), each in a lane. Sharing saves the ~7 MB a worker costs; isolation is
 * kept by moving plugins out when one blocks the thread: when the worker stops answering,
 * the plugin whose code ran last stays, alone, until the watchdog stops it; every other plugin moves to another worker and starts again there. When
 * the plugin whose code ran last has already left (failed or unloaded while its code still
 * runs), each moves to a worker of its own and the blocked thread is stopped. A worker that dies takes only its culprit with it.
 */
import { PluginWorkerThread, type WorkerThreadOptions } from './pluginWorkerThread';
import type { LaneReport, LaneRequest, WorkerToHost } from './workerMessages';

/** A plugin in a shared worker, as the worker sees it. */
export interface LaneOwner {
  received(message: LaneReport): void;
  /** The worker stopped with this plugin in it; `failsPlugin` unless it was an unload. */
  stopped(why: Error, failsPlugin: boolean): void;
  /** Another plugin blocked or ended the worker: go on in another one (`alone`: a worker of your own). */
  moved(why: Error, alone: boolean): void;
}

/** One plugin's way into its worker. */
export interface LaneChannel {
  readonly ended: Error | undefined;
  post(message: LaneRequest): void;
  /** The plugin has unloaded: its lane closes, and the worker stops once it has none. */
  leave(): void;
}

export class SharedPluginWorker {
  private readonly thread: PluginWorkerThread;
  private readonly lanes = new Map<number, LaneOwner>();
  private nextLane = 1;
  private stalled = false;

  constructor(
    options: WorkerThreadOptions,
    /** Told once the worker takes no more plugins: it stalled or stopped. */
    private readonly closed: () => void,
  ) {
    this.thread = new PluginWorkerThread(options, {
      received: (message) => this.received(message),
      stopped: (why, failsPlugin) => this.stopped(why, failsPlugin),
      stalled: () => this.stall(),
    });
  }

  /** Whether new plugins may join: not once it has stalled or stopped. */
  get accepting(): boolean {
    return !this.stalled && !this.thread.ended;
  }

  join(owner: LaneOwner): LaneChannel {
    const lane = this.nextLane++;
    this.lanes.set(lane, owner);
    const { thread } = this;
    return {
      get ended() {
        return thread.ended;
      },
      post: (message) => thread.post({ type: 'lane', lane, message }),
      leave: () => this.leave(lane, owner),
    };
  }

  private leave(lane: number, owner: LaneOwner): void {
    if (this.lanes.get(lane) !== owner) return;
    this.lanes.delete(lane);
    if (this.lanes.size === 0) this.thread.stop(new Error('the plugin was unloaded'), false);
  }

  private received(message: WorkerToHost): void {
    switch (message.type) {
      case 'lane':
        this.lanes.get(message.lane)?.received(message.message);
        break;
      case 'lanes':
        for (const envelope of message.envelopes) this.lanes.get(envelope.lane)?.received(envelope.message);
        break;
      case 'pong':
        break;
    }
  }

  /**
   * The lane to blame: the one whose code ran last. Undefined when that plugin has left (its
   * code may still run after it was failed or unloaded): nobody here is to blame.
   */
  private culprit(): number | undefined {
    const lane = this.thread.lane;
    return this.lanes.has(lane) ? lane : undefined;
  }

  private stall(): void {
    const culprit = this.culprit();
    // The one plugin left is to blame: the watchdog decides when to stop it.
    if (this.lanes.size === 0 || (this.lanes.size === 1 && culprit !== undefined)) return;
    this.stalled = true;
    this.closed();
    const why = new Error('another plugin in its worker stopped answering');
    for (const [lane, owner] of [...this.lanes]) {
      if (lane === culprit) continue;
      this.lanes.delete(lane);
      owner.moved(why, culprit === undefined);
    }
    // Nobody to blame and nobody left: the blocked thread goes; each plugin now has its own.
    if (this.lanes.size === 0) this.thread.stop(why, false);
  }

  private stopped(why: Error, failsPlugin: boolean): void {
    this.closed();
    const owners = [...this.lanes];
    const culprit = owners.length === 1 ? owners[0]![0] : this.culprit();
    this.lanes.clear();
    for (const [lane, owner] of owners) {
      if (!failsPlugin || lane === culprit) owner.stopped(why, failsPlugin);
      else owner.moved(new Error(`another plugin's worker ${why.message.replace(/; stopped$/, '')}`), culprit === undefined);
    }
  }
}

/** The open shared worker of each group; a plugin joins its group's, or one of its own. */
export class WorkerGroups {
  private readonly open = new Map<string, SharedPluginWorker>();

  constructor(private readonly options: WorkerThreadOptions) {}

  join(group: string, owner: LaneOwner, alone = false): LaneChannel {
    if (alone) return new SharedPluginWorker(this.options, () => undefined).join(owner);
    let worker = this.open.get(group);
    if (!worker?.accepting) {
      const made: SharedPluginWorker = new SharedPluginWorker(this.options, () => {
        if (this.open.get(group) === made) this.open.delete(group);
      });
      this.open.set(group, made);
      worker = made;
    }
    return worker.join(owner);
  }
}
