/**
 * The host side of an isolated plugin: a `loadModule` for PluginRuntime that runs the plugin's
 * module in a worker thread of its own (pluginWorker.ts) and hands the runtime a module whose
 * `activate` registers stand-ins for what the plugin registers there (standIns.ts). Each
 * stand-in sends a call and awaits its answer (workerCalls.ts), so the runtime's rules
 * (timeouts, signals, failing a plugin) apply unchanged, while the plugin's own code can never
 * block the host's thread.
 *
 * The worker is stopped when it stops answering (a synchronous loop), runs out of its heap,
 * or exits (pluginWorkerThread.ts); the plugin is then failed alone with a message that says which.
 */
import type { Disposable, PatchbayPluginModule, PluginConfigSchema, PluginContext } from '../../api';
import type { PluginCandidate } from '../pluginCandidate';
import type { KindLoader, PluginRuntimeDeps } from '../pluginRuntimeDeps';
import { fromCrossingError } from './crossingErrors';
import { PluginWorkerThread } from './pluginWorkerThread';
import { StandIns } from './standIns';
import { TimeSlicedQueue } from './timeSlicedQueue';
import { WorkerCalls } from './workerCalls';
import type { ContributionKind, HostToWorker, WorkerToHost } from './workerMessages';

export interface IsolationOptions {
  /** The worker's bundle; by default dist/pluginWorker.js beside the extension's bundle. */
  workerPath?: string;
  /** A plugin whose worker was stopped or died after it loaded: the runtime marks it failed. */
  onFailure(pluginId: string, error: Error): void;
  /** The worker's heap limit (default 256 MB). */
  heapLimitMb?: number;
  /** A worker silent this long (busy in synchronous code) is stopped (default 30 s). */
  unresponsiveMs?: number;
  /** How long `deactivate` may take before the worker is stopped anyway (default 2 s). */
  deactivateWithinMs?: number;
}

type LoadModule = NonNullable<PluginRuntimeDeps['loadModule']>;

export function isolatedModuleLoader(options: IsolationOptions): LoadModule {
  return (entryPath, generation, fence) => new IsolatedPlugin(options).load(entryPath, generation, fence);
}

/**
 * OpenAPI plugins: the spec is read, parsed and turned into tools in a worker of the plugin's
 * own, so a big or hostile spec never blocks the host; the host keeps each tool's name,
 * description, schema and call shape, and the calls run in the worker.
 */
export function isolatedKindLoader(options: IsolationOptions): KindLoader {
  return (candidate) => new IsolatedPlugin(options).prepare(candidate);
}

/** What the worker sends whose order matters: steps' answers and registrations. */
type OrderedMessage = Extract<WorkerToHost, { type: 'loaded' | 'prepared' | 'activated' | 'deactivated' | 'stepFailed' | 'register' | 'unregister' }>;

interface StepWaiter {
  resolve(message: WorkerToHost): void;
  reject(error: Error): void;
}

class IsolatedPlugin {
  private readonly worker: PluginWorkerThread;
  private readonly calls: WorkerCalls;
  private readonly standIns: StandIns;
  private readonly registrations = new Map<number, Disposable>();
  /**
   * Registrations and step answers, handled in the order they came in slices of a few
   * milliseconds: a spec's thousand tools arrive at once and must not block the host's thread.
   */
  private readonly inOrder = new TimeSlicedQueue<OrderedMessage>((message) => this.receiveInOrder(message));
  private step: StepWaiter | undefined;
  private context: PluginContext | undefined;
  private activated = false;
  private registrationError: Error | undefined;

  constructor(private readonly options: IsolationOptions) {
    this.worker = new PluginWorkerThread(
      {
        ...(options.workerPath !== undefined ? { workerPath: options.workerPath } : {}),
        heapLimitMb: options.heapLimitMb ?? 256,
        unresponsiveMs: options.unresponsiveMs ?? 30_000,
      },
      { received: (message) => this.receive(message), stopped: (why, failsPlugin) => this.stopped(why, failsPlugin) },
    );
    this.calls = new WorkerCalls(this.worker);
    this.standIns = new StandIns(this.calls);
  }

  async load(entryPath: string, generation: number, fence: string | undefined): Promise<PatchbayPluginModule> {
    const loaded = await this.runStep({ type: 'load', entryPath, generation, ...(fence !== undefined ? { fence } : {}) });
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
      // A spec that failed to load leaves no worker behind.
      this.worker.stop(new Error('the plugin did not load'), false);
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
    if (!this.worker.ended) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.deactivateWithinMs ?? 2_000)));
      await Promise.race([this.runStep({ type: 'deactivate' }).catch(() => undefined), giveUp]);
      clearTimeout(timer);
    }
    this.worker.stop(new Error('the plugin was unloaded'), false);
  }

  private runStep(message: HostToWorker): Promise<WorkerToHost> {
    if (this.worker.ended) return Promise.reject(this.worker.ended);
    return new Promise((resolve, reject) => {
      this.step = { resolve, reject };
      this.worker.post(message);
    });
  }

  /** The worker stopped: whatever waits on it fails, and the plugin too unless it was unloaded. */
  private stopped(why: Error, failsPlugin: boolean): void {
    this.inOrder.clear();
    this.step?.reject(why);
    this.step = undefined;
    this.calls.failAll(why);
    this.standIns.forgetEndpoints();
    // On the next turn, so the calls that waited learn why before the runtime unloads the plugin.
    const { context } = this;
    if (failsPlugin && this.activated && context) setImmediate(() => this.options.onFailure(context.pluginId, why));
  }

  private receive(message: WorkerToHost): void {
    switch (message.type) {
      case 'result':
        this.calls.settle(message);
        break;
      case 'events':
        this.calls.deliver(message);
        break;
      case 'log':
        this.context?.log[message.level](message.message);
        break;
      case 'request':
        void this.answerRequest(message);
        break;
      case 'pong':
        break;
      case 'registrations':
        for (const registration of message.messages) this.inOrder.push(registration);
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

  private async answerRequest(request: Extract<WorkerToHost, { type: 'request' }>): Promise<void> {
    try {
      const value =
        request.what === 'secret' ? await this.context?.secrets.get(request.key) : await this.standIns.endpointOf(request.instance)?.getApiKey();
      this.worker.post({ type: 'reply', id: request.id, ok: true, value });
    } catch (error) {
      this.worker.post({ type: 'reply', id: request.id, ok: false, error: { name: 'Error', message: error instanceof Error ? error.message : String(error) } });
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
