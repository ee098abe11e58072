/**
 * The worker side of an isolated plugin (the entry of its `worker_threads` Worker, bundled
 * as dist/pluginWorker.js). It loads one plugin's module with the host's own loader rules,
 * gives it a PluginContext whose registrations, logs and secret reads become messages, and
 * answers the host's calls. The plugin may compute, block or crash here: only this thread
 * stops, never the extension host's.
 */
import { parentPort } from 'node:worker_threads';
import type { CallContext, ChatStreamEvent, Disposable, EndpointConfig, EndpointServices, ModelManagement, PatchbayPluginModule, PluginContext, PluginLogger, ToolDefinition } from '../../api';
import { PatchbayError } from '../../errors';
import { ndjson } from '../../streaming/ndjson';
import { sseJson } from '../../streaming/sseJson';
import { loadPluginModule } from '../moduleLoader';
import type { PluginCandidate } from '../pluginCandidate';
import type { KindLoader } from '../pluginRuntimeDeps';
import { toCrossingError } from './crossingErrors';
import { MANAGEMENT, SCHEMA_TEXT, type CallShape, type ContributionKind, type FunctionHandle, type HostToWorker, type RegistrationMessage, type WorkerToHost } from './workerMessages';

/** Streamed events go back in batches: when this many are waiting, or this long after the first. */
const STREAM_BATCH_EVENTS = 256;
const STREAM_BATCH_MS = 4;

type PluginFunction = (...args: unknown[]) => unknown;

const port = parentPort;
if (!port) throw new Error('pluginWorker.ts runs only as a worker thread');

/**
 * Registrations travel in batches: each message costs the host's thread a few microseconds
 * to receive, all of them in one go, so a spec's thousand tools sent one by one would block
 * it for tens of milliseconds. Any other message sends the batch first, to keep the order.
 */
const REGISTRATION_BATCH = 200;
let pendingRegistrations: RegistrationMessage[] = [];

function postRegistration(message: RegistrationMessage): void {
  pendingRegistrations.push(message);
  if (pendingRegistrations.length >= REGISTRATION_BATCH) sendRegistrations();
  else if (pendingRegistrations.length === 1) queueMicrotask(sendRegistrations);
}

function sendRegistrations(): void {
  if (pendingRegistrations.length === 0) return;
  const messages = pendingRegistrations;
  pendingRegistrations = [];
  port?.postMessage({ type: 'registrations', messages } satisfies WorkerToHost);
}

const post = (message: WorkerToHost): void => {
  sendRegistrations();
  port.postMessage(message);
};

const handles = new Map<number, PluginFunction>();
const runningCalls = new Map<number, AbortController>();
const hostRequests = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
let nextNumber = 1;
let plugin: PatchbayPluginModule | undefined;

const log: PluginLogger = {
  info: (message) => post({ type: 'log', level: 'info', message: String(message) }),
  warn: (message) => post({ type: 'log', level: 'warn', message: String(message) }),
  error: (message) => post({ type: 'log', level: 'error', message: String(message) }),
};

// The extension host logs what a plugin leaves unhandled and carries on; so does its worker.
process.on('unhandledRejection', (reason) => log.error(`unhandled rejection: ${toCrossingError(reason).message}`));
process.on('uncaughtException', (error) => log.error(`uncaught exception: ${toCrossingError(error).message}`));

port.on('message', (message: HostToWorker) => {
  switch (message.type) {
    case 'load':
      void answerLoad(message.entryPath, message.generation, message.fence);
      break;
    case 'prepare':
      void answerPrepare(message.candidate);
      break;
    case 'activate':
      void answerActivate(message.pluginId, message.config);
      break;
    case 'call':
      void answerCall(message);
      break;
    case 'cancel':
      runningCalls.get(message.id)?.abort(Object.assign(new Error(message.reason), { name: 'AbortError' }));
      break;
    case 'reply': {
      const waiting = hostRequests.get(message.id);
      hostRequests.delete(message.id);
      if (message.ok) waiting?.resolve(message.value);
      else waiting?.reject(new Error(message.error.message));
      break;
    }
    case 'deactivate':
      void answerDeactivate();
      break;
    case 'ping':
      post({ type: 'pong' });
      break;
  }
});

async function answerLoad(entryPath: string, generation: number, fence: string | undefined): Promise<void> {
  try {
    plugin = await loadPluginModule(entryPath, generation, fence);
    post(plugin.configSchema ? { type: 'loaded', configSchema: plugin.configSchema } : { type: 'loaded' });
  } catch (error) {
    post({ type: 'stepFailed', error: toCrossingError(error) });
  }
}

/** How this worker prepares a plugin of another kind than code (an OpenAPI spec); set by the bundle's entry. */
let prepareKind: KindLoader | undefined;

export function preparesKind(loader: KindLoader): void {
  prepareKind = loader;
}

async function answerPrepare(candidate: PluginCandidate): Promise<void> {
  try {
    if (!prepareKind) throw new Error(`${candidate.kind} plugins cannot be prepared in this worker`);
    const prepared = await prepareKind(candidate);
    if (prepared.baseUrl === undefined || prepared.configSchema === undefined) throw new Error('the prepared plugin has no API address or settings');
    plugin = { activate: (context) => prepared.activate(context) };
    post({ type: 'prepared', configSchema: prepared.configSchema, baseUrl: prepared.baseUrl });
  } catch (error) {
    post({ type: 'stepFailed', error: toCrossingError(error) });
  }
}

async function answerActivate(pluginId: string, config: Record<string, unknown>): Promise<void> {
  try {
    if (!plugin) throw new Error('the plugin was activated before it loaded');
    await plugin.activate(contextFor(pluginId, config));
    post({ type: 'activated' });
  } catch (error) {
    post({ type: 'stepFailed', error: toCrossingError(error) });
  }
}

async function answerDeactivate(): Promise<void> {
  try {
    await plugin?.deactivate?.();
  } catch (error) {
    log.warn(`deactivate failed: ${toCrossingError(error).message}`);
  }
  post({ type: 'deactivated' });
}

function contextFor(pluginId: string, config: Record<string, unknown>): PluginContext {
  const register = (kind: ContributionKind) => (definition: object): Disposable => {
    const registration = nextNumber++;
    const descriptor = describe(definition);
    if (kind === 'tool') {
      const callShape = shapeOf(definition as ToolDefinition);
      if (callShape) descriptor.callShape = callShape;
      sendSchemaAsText(descriptor);
    }
    postRegistration({ type: 'register', registration, kind, descriptor });
    return { dispose: () => postRegistration({ type: 'unregister', registration }) };
  };
  return {
    pluginId,
    log,
    config: Object.freeze({ ...config }),
    secrets: { get: (key) => askHost({ what: 'secret', key }) as Promise<string | undefined> },
    wire: { sseJson, ndjson },
    registerProviderType: register('providerType'),
    registerProvider: register('provider'),
    registerTool: register('tool'),
    registerFilter: register('filter'),
    registerAction: register('action'),
    registerCommand: register('command'),
    registerPromptTemplate: register('promptTemplate'),
    problem: (kind, message, details) => new PatchbayError(kind, message, details),
  };
}

/** A definition's data as it is, each of its functions (own or inherited) as a handle. */
function describe(definition: object): Record<string, unknown> {
  const descriptor: Record<string, unknown> = {};
  const keys = new Set<string>();
  for (let level: object | null = definition; level && level !== Object.prototype; level = Object.getPrototypeOf(level) as object | null) {
    for (const key of Object.getOwnPropertyNames(level)) if (key !== 'constructor') keys.add(key);
  }
  for (const key of keys) {
    const value = (definition as Record<string, unknown>)[key];
    if (typeof value === 'function') descriptor[key] = keep((value as PluginFunction).bind(definition));
    else if (value !== undefined) descriptor[key] = value;
  }
  return descriptor;
}

/**
 * A tool's schema crosses as JSON text, which the host copies in one piece and parses only
 * when the tool is offered: a spec's thousand schemas as objects cost the host's thread tens
 * of milliseconds to receive. A schema the host would refuse is sent as it is, so the host's
 * check fails the plugin with its usual message.
 */
function sendSchemaAsText(descriptor: Record<string, unknown>): void {
  const { parameters } = descriptor;
  if (typeof parameters !== 'object' || parameters === null || (parameters as { type?: unknown }).type !== 'object') return;
  try {
    descriptor[SCHEMA_TEXT] = JSON.stringify(parameters);
    delete descriptor.parameters;
  } catch {
    // Not JSON (a cycle, a BigInt): the host receives it as an object and judges it.
  }
}

/** What a tool's `describeCall` says for no arguments: the host fills the URL template in per call. */
function shapeOf(tool: ToolDefinition): CallShape | undefined {
  try {
    const shape = tool.describeCall?.({});
    return shape && typeof shape.method === 'string' && typeof shape.url === 'string' ? { method: shape.method, url: shape.url } : undefined;
  } catch {
    return undefined;
  }
}

function keep(fn: PluginFunction): FunctionHandle {
  const handle = nextNumber++;
  handles.set(handle, fn);
  return { handle };
}

function askHost(request: { what: 'secret'; key: string } | { what: 'apiKey'; instance: number }): Promise<unknown> {
  const id = nextNumber++;
  return new Promise((resolve, reject) => {
    hostRequests.set(id, { resolve, reject });
    post({ type: 'request', id, ...request });
  });
}

async function answerCall(message: Extract<HostToWorker, { type: 'call' }>): Promise<void> {
  const controller = new AbortController();
  runningCalls.set(message.id, controller);
  try {
    const fn = handles.get(message.handle);
    if (!fn) throw new Error('the plugin no longer has this function (it was unregistered)');
    const context: CallContext = { signal: controller.signal, log };
    const extra = message.pass === 'context' ? [context] : message.pass === 'signal' ? [controller.signal] : [];
    let value: unknown;
    if (message.instance !== undefined) value = createInstance(fn, message.args[0] as EndpointConfig, message.instance);
    else if (message.eachOf) value = applyToEach(fn, message.args[0] as unknown[]);
    else if (message.stream) await streamBack(message.id, fn(...message.args, ...extra) as AsyncIterable<ChatStreamEvent>, controller.signal);
    else value = await fn(...message.args, ...extra);
    // An inlet or outlet may edit its argument in place: the host's copy is not that object.
    if (value === undefined && message.editsArgument) value = message.args[0];
    post({ type: 'result', id: message.id, ok: true, value });
  } catch (error) {
    post({ type: 'result', id: message.id, ok: false, error: toCrossingError(error) });
  } finally {
    runningCalls.delete(message.id);
  }
}

/** A stream filter over a batch of pieces: for each, in order, what it became (kept, changed, split or dropped). */
function applyToEach(stream: PluginFunction, pieces: unknown[]): unknown[][] {
  return pieces.map((piece) => {
    const result = stream(piece);
    return result === null ? [] : result === undefined ? [piece] : Array.isArray(result) ? (result as unknown[]) : [result];
  });
}

async function streamBack(id: number, events: AsyncIterable<ChatStreamEvent>, signal: AbortSignal): Promise<void> {
  let batch: ChatStreamEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (batch.length === 0) return;
    post({ type: 'events', id, events: batch });
    batch = [];
  };
  const iterator = events[Symbol.asyncIterator]();
  try {
    for (;;) {
      const step = await iterator.next();
      if (step.done || signal.aborted) break;
      batch.push(step.value);
      if (batch.length >= STREAM_BATCH_EVENTS) flush();
      else timer ??= setTimeout(flush, STREAM_BATCH_MS);
    }
  } finally {
    flush();
    if (signal.aborted) void iterator.return?.()?.catch(() => undefined);
  }
}

/** The items `run` reports through its callback, as an async iterable that ends when `run` settles. */
async function* progressStream<T>(run: (report: (item: T) => void) => Promise<void>): AsyncGenerator<T> {
  let queue: T[] = [];
  let settled: { error?: unknown } | undefined;
  let wake: (() => void) | undefined;
  run((item) => (queue.push(item), wake?.())).then(
    () => ((settled = {}), wake?.()),
    (error: unknown) => ((settled = { error }), wake?.()),
  );
  for (;;) {
    const ready = queue;
    queue = [];
    yield* ready;
    if (settled && queue.length === 0) {
      if ('error' in settled) throw settled.error;
      return;
    }
    if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
}

/** A provider type's instance: its functions stay here, the host gets their handles. */
function createInstance(create: PluginFunction, endpoint: EndpointConfig, instance: number): Record<string, FunctionHandle> {
  const services: EndpointServices = {
    getApiKey: () => askHost({ what: 'apiKey', instance }) as Promise<string | undefined>,
    fetch: globalThis.fetch,
    log,
  };
  const created = create(endpoint, services) as Record<string, unknown>;
  const described: Record<string, FunctionHandle> = {};
  for (const name of ['listModels', 'chat', 'dispose'] as const) {
    const fn = created[name];
    if (typeof fn === 'function') described[name] = keep((fn as PluginFunction).bind(created));
  }
  const management = created.modelManagement as Partial<ModelManagement> | undefined;
  if (typeof management?.pull === 'function' && typeof management.delete === 'function' && typeof management.details === 'function') {
    const { pull } = management;
    // Its progress callback cannot cross: the pull becomes a stream of progress events.
    described[MANAGEMENT.pull] = keep(((name: string, signal: AbortSignal) => progressStream((report) => pull.call(management, name, report, signal))) as PluginFunction);
    described[MANAGEMENT.delete] = keep(management.delete.bind(management) as PluginFunction);
    described[MANAGEMENT.details] = keep(management.details.bind(management) as PluginFunction);
  } else if (management !== undefined) {
    log.warn('modelManagement needs pull, delete and details functions; the provider is offered without it');
  }
  return described;
}
