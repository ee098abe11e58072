/**
 * The host side of an isolated plugin: a `loadModule` for PluginRuntime that runs the plugin's
 * module in a worker thread (pluginWorker.ts), shared with the other plugins of its source
 * (sharedPluginWorker.ts), and hands the runtime a module whose `activate` registers stand-ins
 * for what the plugin registers there (standIns.ts). Each stand-in sends a call and awaits its
 * answer (workerCalls.ts), so the runtime's rules (timeouts, signals, failing a plugin) apply
 * unchanged, while the plugin's own code can never block the host's thread.
 *
 * When another plugin blocks or ends the shared worker, this one moves: its calls in flight
 * fail, its registrations go, and it loads and activates again in another worker. When its
 * own code does, it is failed alone with a message that says how.
 */
import path from 'node:path';
import type { Disposable, PatchbayPluginModule, PluginConfigSchema, PluginContext } from '../../api';
import type { PluginCandidate } from '../pluginCandidate';
import type { KindLoader, PluginRuntimeDeps } from '../pluginRuntimeDeps';
import { fromCrossingError } from './crossingErrors';
import { WorkerGroups, type LaneChannel, type LaneOwner } from './sharedPluginWorker';
import { StandIns } from './standIns';
import { TimeSlicedQueue } from './timeSlicedQueue';
import { WorkerCalls } from './workerCalls';
import type { ContributionKind, LaneReport, LaneRequest } from './workerMessages';
import { answerWorkspaceRead } from './workspaceReads';

export interface IsolationOptions {
  /** The worker's bundle; by default dist/pluginWorker.js beside the extension's bundle. */
  workerPath?: string;
  /** A plugin whose worker was stopped or died after it loaded: the runtime marks it failed. */
  onFailure(pluginId: string, error: Error): void;
  /** The worker's heap limit (default 256 MB). */
  heapLimitMb?: number;
  /** A worker silent this long (busy in synchronous code) is stopped (default 30 s). */
  unresponsiveMs?: number;
  /** A shared worker silent this long moves its other plugins out (default 2 s). */
  stallMs?: number;
  /** How long `deactivate` may take before the plugin leaves its worker anyway (default 2 s). */
  deactivateWithinMs?: number;
  /** The workers plugins share; loaders given the same one share them (default: one per loader). */
  workers?: WorkerGroups;
  /** Each plugin in a worker of its own (for measurements against sharing). */
  workerPerPlugin?: boolean;
  /** Where the requests of a provider instance's `services.fetch` are logged, as the host's own are. */
  logRequest?(line: string): void;
}

type LoadModule = NonNullable<PluginRuntimeDeps['loadModule']>;

export function isolatedModuleLoader(options: IsolationOptions): LoadModule {
  const workers = options.workers ?? workerGroups(options);
  return (entryPath, generation, fence, candidate) => new IsolatedPlugin(options, workers, groupOf(candidate, options)).load(entryPath, generation, fence);
}

/**
 * OpenAPI plugins: the spec is read, parsed and turned into tools in a worker, so a big or
 * hostile spec never blocks the host; the host keeps each tool's name, description, schema and
 * call shape, and the calls run in the worker.
 */
export function isolatedKindLoader(options: IsolationOptions): KindLoader {
  const workers = options.workers ?? workerGroups(options);
  return (candidate) => new IsolatedPlugin(options, workers, groupOf(candidate, options)).prepare(candidate);
}

export function workerGroups(options: Omit<IsolationOptions, 'onFailure'>): WorkerGroups {
  return new WorkerGroups({
    ...(options.workerPath !== undefined ? { workerPath: options.workerPath } : {}),
    heapLimitMb: options.heapLimitMb ?? 256,
    unresponsiveMs: options.unresponsiveMs ?? 30_000,
    stallMs: options.stallMs ?? 2_000,
  });
}

let unshared = 0;

/**
 * Plugins share a worker with those of the same source only: the user's global plugins, or one
 * workspace folder's (a repository's code never shares a thread, and so memory, with the user's).
 */
function groupOf(candidate: PluginCandidate | undefined, options: IsolationOptions): string {
  if (!candidate || options.workerPerPlugin) return `alone:${++unshared}`;
  if (candidate.source !== 'workspace') return candidate.source;
  const marker = `${path.sep}.patchbay${path.sep}`;
  const at = candidate.location.indexOf(marker);
  return `workspace:${at === -1 ? candidate.location : candidate.location.slice(0, at)}`;
}

/** What the worker sends whose order matters: steps' answers and registrations. */
type OrderedMessage = Extract<LaneReport, { type: 'loaded' | 'prepared' | 'activated' | 'deactivated' | 'stepFailed' | 'register' | 'unregister' }>;

interface StepWaiter {
  resolve(message: LaneReport): void;
  reject(error: Error): void;
}

class IsolatedPlugin implements LaneOwner {
  private channel: LaneChannel;
  private readonly calls: WorkerCalls;
  private readonly standIns: StandIns;
  private readonly registrations = new Map<number, Disposable>();
  /**
   * Registrations and step answers, handled in the order they came in slices of a few
   * milliseconds: a spec's thousand tools arrive at once and must not block the host's thread.
   */
  private readonly inOrder = new TimeSlicedQueue<OrderedMessage>((message) => this.receiveInOrder(message));
  private step: (StepWaiter & { message: LaneRequest }) | undefined;
  /** The steps done so far (load or prepare, activate): what moving to another worker repeats. */
  private readonly stepsDone: LaneRequest[] = [];
  private context: PluginContext | undefined;
  private activated = false;
  private registrationError: Error | undefined;

  constructor(
    private readonly options: IsolationOptions,
    private readonly workers: WorkerGroups,
    private readonly group: string,
  ) {
    this.channel = workers.join(group, this);
    // The calls follow the plugin when it moves to another worker.
    const channel = (): LaneChannel => this.channel;
    this.calls = new WorkerCalls({
      get ended() {
        return channel().ended;
      },
      post: (message) => channel().post(message),
    });
    this.standIns = new StandIns(this.calls);
  }

  async load(entryPath: string, generation: number, fence: string | undefined): Promise<PatchbayPluginModule> {
    let loaded: LaneReport;
    try {
      loaded = await this.runStep({ type: 'load', entryPath, generation, ...(fence !== undefined ? { fence } : {}) });
    } catch (error) {
      // A plugin that did not load is never deactivated: it leaves its worker now.
      this.channel.leave();
      throw error;
    }
    const configSchema = loaded.type === 'loaded' ? loaded.configSchema : undefined;
    return {
      ...(configSchema ? { configSchema: configSchema as PluginConfigSchema } : {}),
      activate: (context) => this.activate(context),
      deactivate: () => this.deactivate(),
    };
  }

  async prepare(candidate: PluginCandidate): Promise<Awaited<ReturnType<KindLoader>>> {
    try {
      const prepared = await this.runStep({ type: 'prepare', candidate });
      if (prepared.type !== 'prepared') throw new Error(`the worker answered "${prepared.type}" to "prepare"`);
      return {
        configSchema: prepared.configSchema,
        baseUrl: prepared.baseUrl,
        activate: (context) => this.activate(context),
        deactivate: () => this.deactivate(),
      };
    } catch (error) {
      this.channel.leave();
      throw error;
    }
  }

  private async activate(context: PluginContext): Promise<void> {
    this.context = context;
    await this.runStep({ type: 'activate', pluginId: context.pluginId, config: { ...context.config } });
    if (this.registrationError) throw this.registrationError;
    this.activated = true;
  }

  private async deactivate(): Promise<void> {
    if (!this.channel.ended) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.deactivateWithinMs ?? 2_000)));
      await Promise.race([this.runStep({ type: 'deactivate' }).catch(() => undefined), giveUp]);
      clearTimeout(timer);
    }
    this.activated = false;
    this.channel.leave();
  }

  private async runStep(message: LaneRequest): Promise<LaneReport> {
    if (this.channel.ended) throw this.channel.ended;
    const answer = await new Promise<LaneReport>((resolve, reject) => {
      this.step = { resolve, reject, message };
      this.channel.post(message);
    });
    if (message.type !== 'deactivate') this.stepsDone.push(message);
    return answer;
  }

  /** The worker stopped: whatever waits on it fails, and the plugin too unless it was unloaded. */
  stopped(why: Error, failsPlugin: boolean): void {
    this.inOrder.clear();
    this.step?.reject(why);
    this.step = undefined;
    this.calls.failAll(why);
    this.standIns.forgetEndpoints();
    // On the next turn, so the calls that waited learn why before the runtime unloads the plugin.
    const { context } = this;
    if (failsPlugin && this.activated && context) setImmediate(() => this.options.onFailure(context.pluginId, why));
  }

  /** Another plugin blocked or ended the worker: start again in another, as if reloaded. */
  moved(why: Error, alone: boolean): void {
    this.inOrder.clear();
    const interrupted = this.step;
    this.step = undefined;
    this.calls.failAll(new Error(`the plugin was restarted in another worker: ${why.message}`));
    this.standIns.forgetEndpoints();
    for (const registration of this.registrations.values()) registration.dispose();
    this.registrations.clear();
    // A plugin that was unloading has nothing to start again.
    if (interrupted?.message.type === 'deactivate') return interrupted.resolve({ type: 'deactivated' });
    this.channel = this.workers.join(this.group, this, alone);
    void this.repeatSteps(interrupted);
  }

  private async repeatSteps(interrupted: (StepWaiter & { message: LaneRequest }) | undefined): Promise<void> {
    const done = this.stepsDone.splice(0);
    try {
      for (const message of done) await this.runStep(message);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      if (interrupted) interrupted.reject(failure);
      else if (this.activated && this.context) this.options.onFailure(this.context.pluginId, failure);
      return;
    }
    // The step that was under way goes on in the new worker; whoever waited on it still waits.
    if (interrupted) {
      this.step = interrupted;
      this.channel.post(interrupted.message);
    }
  }

  received(message: LaneReport): void {
    switch (message.type) {
      case 'result':
        this.calls.settle(message);
        break;
      case 'events':
        this.calls.deliver(message);
        break;
      case 'emit':
        this.calls.emit(message);
        break;
      case 'log':
        this.context?.log[message.level](message.message);
        break;
      case 'fetched':
        this.options.logRequest?.(`${this.context?.pluginId ?? 'a plugin'}: ${message.line}`);
        break;
      case 'request':
        void this.answerRequest(message);
        break;
      case 'loaded':
      case 'prepared':
      case 'activated':
      case 'deactivated':
      case 'stepFailed':
      case 'register':
      case 'unregister':
        this.inOrder.push(message);
        break;
    }
  }

  /** The messages whose order matters: a step is answered only after what the plugin registered in it. */
  private receiveInOrder(message: OrderedMessage): void {
    switch (message.type) {
      case 'loaded':
      case 'prepared':
      case 'activated':
      case 'deactivated': {
        const step = this.step;
        this.step = undefined;
        step?.resolve(message);
        break;
      }
      case 'stepFailed': {
        const step = this.step;
        this.step = undefined;
        step?.reject(fromCrossingError(message.error));
        break;
      }
      case 'register':
        this.register(message.registration, message.kind, message.descriptor);
        break;
      case 'unregister':
        this.registrations.get(message.registration)?.dispose();
        this.registrations.delete(message.registration);
        break;
    }
  }

  private async answerRequest(request: Extract<LaneReport, { type: 'request' }>): Promise<void> {
    try {
      const value =
        request.what === 'secret'
          ? await this.context?.secrets.get(request.key)
          : request.what === 'gitDiff'
            ? await this.context?.services.workspace.gitDiff()
          : request.what === 'fetchPage'
            ? await this.context?.services.web.fetchPage(request.url, request.accept ? { accept: request.accept } : {})
          : request.what === 'proposeEdit'
            ? await this.context?.services.workspace.proposeEdit(request.change)
          : request.what === 'workspaceRead'
            ? await answerWorkspaceRead(this.context?.services.workspace, request.call)
          : request.what === 'headers'
            ? await this.standIns.endpointOf(request.instance)?.headers()
            : await this.standIns.endpointOf(request.instance)?.getApiKey();
      this.channel.post({ type: 'reply', id: request.id, ok: true, value });
    } catch (error) {
      this.channel.post({ type: 'reply', id: request.id, ok: false, error: { name: 'Error', message: error instanceof Error ? error.message : String(error) } });
    }
  }

  private register(registration: number, kind: ContributionKind, descriptor: Record<string, unknown>): void {
    const context = this.context;
    if (!context) return;
    try {
      const disposable = this.standIns.registerOn(context, kind, descriptor);
      this.registrations.set(registration, disposable);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      if (this.activated) context.log.error(`registering a ${kind} failed: ${failure.message}`);
      else this.registrationError ??= failure;
    }
  }
}
