/**
 * The host side of an isolated plugin: a `loadModule` for PluginRuntime that runs the plugin's
 * module in a worker thread of its own (pluginWorker.ts) and hands the host a module whose
 * `activate` registers stand-ins for what the plugin registers there. Each stand-in sends
 * a call and awaits its answer, so the host's rules (timeouts, signals, failing a plugin)
 * apply unchanged, while the plugin's own code can never block the host's thread.
 *
 * The worker is stopped when it stops answering (a synchronous loop), runs out of its heap,
 * or exits; the plugin is then failed alone with a message that says which.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type {
  ActionDefinition,
  ChatRequest,
  ChatStreamEvent,
  CommandDefinition,
  Disposable,
  EndpointConfig,
  EndpointServices,
  FilterDefinition,
  ModelInfo,
  PatchbayPluginModule,
  PluginConfigSchema,
  PluginContext,
  PromptTemplateDefinition,
  ProviderInstance,
  ProviderTypeDefinition,
  StandaloneProviderDefinition,
  ToolDefinition,
} from '../../api';
import type { PluginRuntimeDeps } from '../pluginRuntimeDeps';
import { streamsInBatches } from './batchedStreamFilter';
import { fromCrossingError } from './crossingErrors';
import { isFunctionHandle, type CallPass, type ContributionKind, type FunctionHandle, type HostToWorker, type WorkerToHost } from './workerMessages';

export interface IsolationOptions {
  /** The worker's bundle; by default dist/pluginWorker.js beside the extension's bundle. */
  workerPath?: string;
  /** A plugin whose worker was stopped or died after it loaded: the host marks it failed. */
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

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onEvents?(events: unknown[]): void;
}

interface StepWaiter {
  resolve(message: WorkerToHost): void;
  reject(error: Error): void;
}

class IsolatedPlugin {
  private readonly worker: Worker;
  private readonly heapLimitMb: number;
  private readonly unresponsiveMs: number;
  private readonly pending = new Map<number, PendingCall>();
  private readonly registrations = new Map<number, Disposable>();
  private readonly endpointServices = new Map<number, EndpointServices>();
  private readonly heartbeat: ReturnType<typeof setInterval>;
  private nextId = 1;
  private step: StepWaiter | undefined;
  private context: PluginContext | undefined;
  private activated = false;
  private registrationError: Error | undefined;
  /** Why the worker is gone; set once it is. */
  private ended: Error | undefined;
  private lastHeard = Date.now();

  constructor(private readonly options: IsolationOptions) {
    this.heapLimitMb = options.heapLimitMb ?? 256;
    this.unresponsiveMs = options.unresponsiveMs ?? 30_000;
    this.worker = new Worker(options.workerPath ?? defaultWorkerPath(), {
      resourceLimits: { maxOldGenerationSizeMb: this.heapLimitMb },
      // The extension host's own flags (an inspector port, say) are not the plugin's.
      execArgv: [],
    });
    this.worker.on('message', (message: WorkerToHost) => this.receive(message));
    this.worker.on('error', (error: Error & { code?: string }) => {
      this.end(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new Error(`ran out of memory (its limit is ${this.heapLimitMb} MB); stopped`)
          : new Error(`crashed: ${error.message}; stopped`),
      );
    });
    this.worker.on('exit', (code) => this.end(new Error(`its worker exited (code ${code}); stopped`)));
    // A plugin's worker never keeps the process alive (after its listeners: adding one refs it again).
    this.worker.unref();
    this.heartbeat = setInterval(() => this.checkAlive(), Math.min(1_000, Math.max(20, this.unresponsiveMs / 4)));
    this.heartbeat.unref();
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

  private async activate(context: PluginContext): Promise<void> {
    this.context = context;
    await this.runStep({ type: 'activate', pluginId: context.pluginId, config: { ...context.config } });
    if (this.registrationError) throw this.registrationError;
    this.activated = true;
  }

  private async deactivate(): Promise<void> {
    if (!this.ended) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.deactivateWithinMs ?? 2_000)));
      await Promise.race([this.runStep({ type: 'deactivate' }).catch(() => undefined), giveUp]);
      clearTimeout(timer);
    }
    this.end(new Error('the plugin was unloaded'), false);
  }

  private runStep(message: HostToWorker): Promise<WorkerToHost> {
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => {
      this.step = { resolve, reject };
      this.post(message);
    });
  }

  private checkAlive(): void {
    if (this.ended) return;
    if (Date.now() - this.lastHeard > this.unresponsiveMs) {
      this.end(new Error(`did not answer for ${Math.round(this.unresponsiveMs / 1000)} s; stopped`));
      return;
    }
    this.post({ type: 'ping' });
  }

  /** Stops the worker (if it still runs) and fails whatever waits on it. */
  private end(why: Error, failsPlugin = true): void {
    if (this.ended) return;
    this.ended = why;
    clearInterval(this.heartbeat);
    void this.worker.terminate();
    this.step?.reject(why);
    this.step = undefined;
    for (const call of this.pending.values()) call.reject(why);
    this.pending.clear();
    this.endpointServices.clear();
    // On the next turn, so the calls that waited learn why before the host unloads the plugin.
    const { context } = this;
    if (failsPlugin && this.activated && context) setImmediate(() => this.options.onFailure(context.pluginId, why));
  }

  private post(message: HostToWorker): void {
    if (!this.ended) this.worker.postMessage(message);
  }

  private receive(message: WorkerToHost): void {
    this.lastHeard = Date.now();
    switch (message.type) {
      case 'loaded':
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
      case 'result': {
        const call = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.ok) call?.resolve(message.value);
        else call?.reject(fromCrossingError(message.error));
        break;
      }
      case 'events':
        this.pending.get(message.id)?.onEvents?.(message.events);
        break;
      case 'log':
        this.context?.log[message.level](message.message);
        break;
      case 'request':
        void this.answerRequest(message);
        break;
      case 'pong':
        break;
    }
  }

  private async answerRequest(request: Extract<WorkerToHost, { type: 'request' }>): Promise<void> {
    try {
      const value =
        request.what === 'secret' ? await this.context?.secrets.get(request.key) : await this.endpointServices.get(request.instance)?.getApiKey();
      this.post({ type: 'reply', id: request.id, ok: true, value });
    } catch (error) {
      this.post({ type: 'reply', id: request.id, ok: false, error: { name: 'Error', message: error instanceof Error ? error.message : String(error) } });
    }
  }

  private register(registration: number, kind: ContributionKind, descriptor: Record<string, unknown>): void {
    const context = this.context;
    if (!context) return;
    try {
      const disposable = this.registerOn(context, kind, descriptor);
      this.registrations.set(registration, disposable);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      if (this.activated) context.log.error(`registering a ${kind} failed: ${failure.message}`);
      else this.registrationError ??= failure;
    }
  }

  /** Registers on the real context a stand-in whose functions call the worker's. */
  private registerOn(context: PluginContext, kind: ContributionKind, descriptor: Record<string, unknown>): Disposable {
    const handle = (name: string): number | undefined => {
      const value = descriptor[name];
      return isFunctionHandle(value) ? value.handle : undefined;
    };
    const data = Object.fromEntries(Object.entries(descriptor).filter(([, value]) => !isFunctionHandle(value)));
    const required = (name: string): number => {
      const found = handle(name);
      if (found === undefined) throw new Error(`the ${kind} has no "${name}" function`);
      return found;
    };
    switch (kind) {
      case 'tool': {
        const invoke = required('invoke');
        // `describeCall` answers synchronously, which a worker cannot: its calls are described by name.
        return context.registerTool({ ...data, invoke: (args, call) => this.call(invoke, [args], 'context', call.signal) } as ToolDefinition);
      }
      case 'filter': {
        const [inlet, stream, outlet] = [handle('inlet'), handle('stream'), handle('outlet')];
        return context.registerFilter({
          ...data,
          ...(inlet !== undefined ? { inlet: (request: unknown, call: { signal: AbortSignal }) => this.call(inlet, [request], 'context', call.signal, { editsArgument: true }) } : {}),
          ...(outlet !== undefined ? { outlet: (answer: unknown, call: { signal: AbortSignal }) => this.call(outlet, [answer], 'context', call.signal, { editsArgument: true }) } : {}),
          ...(stream !== undefined
            ? { [streamsInBatches]: (pieces: readonly unknown[], call: { signal: AbortSignal }) => this.call(stream, [pieces], 'none', call.signal, { eachOf: true }) as Promise<unknown[][]> }
            : {}),
          // The data came from the worker and is checked by the registry, like any definition.
        } as unknown as FilterDefinition);
      }
      case 'action': {
        const run = required('run');
        return context.registerAction({ ...data, run: (message, call) => this.call(run, [message], 'context', call.signal) } as ActionDefinition);
      }
      case 'command': {
        const run = required('run');
        return context.registerCommand({ ...data, run: (call) => this.call(run, [], 'context', call.signal) } as CommandDefinition);
      }
      case 'promptTemplate': {
        const template = handle('template');
        return context.registerPromptTemplate({
          ...data,
          ...(template !== undefined ? { template: (input: string) => this.call(template, [input], 'none') as Promise<string> } : {}),
        } as PromptTemplateDefinition);
      }
      case 'provider': {
        const [listModels, chat] = [required('listModels'), required('chat')];
        return context.registerProvider({
          ...data,
          id: data.id as string,
          label: data.label as string,
          listModels: async (signal: AbortSignal) => (await this.call(listModels, [], 'signal', signal)) as ModelInfo[],
          chat: (request: ChatRequest, signal: AbortSignal) => this.stream(Promise.resolve(chat), [request], signal),
        } as StandaloneProviderDefinition);
      }
      case 'providerType': {
        const create = required('create');
        return context.registerProviderType({
          ...data,
          create: (endpoint: EndpointConfig, services: EndpointServices) => this.instance(create, endpoint, services),
        } as ProviderTypeDefinition);
      }
    }
  }

  /** A provider instance made in the worker; the host's `create` is synchronous, so it answers once the worker has made it. */
  private instance(create: number, endpoint: unknown, services: EndpointServices): ProviderInstance {
    const instance = this.nextId++;
    this.endpointServices.set(instance, services);
    const made = this.call(create, [endpoint], 'none', undefined, { instance }) as Promise<Record<string, FunctionHandle | undefined>>;
    made.catch(() => undefined);
    const handleOf = async (name: string): Promise<number> => {
      const found = (await made)[name];
      if (!found) throw new Error(`the provider instance has no "${name}" function`);
      return found.handle;
    };
    return {
      listModels: async (signal) => (await this.call(await handleOf('listModels'), [], 'signal', signal)) as ModelInfo[],
      chat: (request, signal) => this.stream(handleOf('chat'), [request], signal),
      dispose: () => {
        this.endpointServices.delete(instance);
        void made.then((handles) => handles.dispose && this.call(handles.dispose.handle, [], 'none')).catch(() => undefined);
      },
    };
  }

  private call(handle: number, args: unknown[], pass: CallPass, signal?: AbortSignal, extra: { eachOf?: boolean; instance?: number; editsArgument?: boolean } = {}): Promise<unknown> {
    if (this.ended) return Promise.reject(this.ended);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const cancel = () => this.post({ type: 'cancel', id, reason: describeReason(signal?.reason) });
      const settle = () => signal?.removeEventListener('abort', cancel);
      this.pending.set(id, {
        resolve: (value) => (settle(), resolve(value)),
        reject: (error) => (settle(), reject(error)),
      });
      signal?.addEventListener('abort', cancel, { once: true });
      this.send(id, { type: 'call', id, handle, args, pass, ...extra });
    });
  }

  private async *stream(handle: Promise<number>, args: unknown[], signal: AbortSignal): AsyncGenerator<ChatStreamEvent> {
    const chat = await handle;
    if (this.ended) throw this.ended;
    const id = this.nextId++;
    let queue: ChatStreamEvent[] = [];
    let finished = false;
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    const cancel = () => this.post({ type: 'cancel', id, reason: describeReason(signal.reason) });
    this.pending.set(id, {
      resolve: () => ((finished = true), wake?.()),
      reject: (error) => ((failure = error), (finished = true), wake?.()),
      onEvents: (events) => (queue.push(...(events as ChatStreamEvent[])), wake?.()),
    });
    signal.addEventListener('abort', cancel, { once: true });
    this.send(id, { type: 'call', id, handle: chat, args, pass: 'signal', stream: true });
    try {
      for (;;) {
        const ready = queue;
        queue = [];
        yield* ready;
        if (finished && queue.length === 0) {
          if (failure) throw failure;
          return;
        }
        if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      signal.removeEventListener('abort', cancel);
      // The consumer stopped reading: the plugin stops producing too.
      if (!finished) cancel();
      this.pending.delete(id);
    }
  }

  private send(id: number, message: HostToWorker): void {
    try {
      this.post(message);
    } catch (error) {
      // What cannot be copied to the worker (a function in the arguments, say) fails that call alone.
      const call = this.pending.get(id);
      this.pending.delete(id);
      call?.reject(error instanceof Error ? error : new Error(String(error)));
    }
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

function describeReason(reason: unknown): string {
  return reason instanceof Error ? reason.message : reason === undefined ? 'cancelled' : String(reason);
}
