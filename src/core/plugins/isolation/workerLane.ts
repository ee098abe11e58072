/**
 * One plugin in a worker (its lane): loads its module with the host's own loader rules, gives
 * it a PluginContext whose registrations, logs and secret reads become messages, and answers
 * the host's calls. Several lanes may share a worker; see pluginWorker.ts.
 */
import type { CallContext, ChatStreamEvent, Disposable, EditProposalReceipt, EndpointConfig, EndpointServices, FetchedPage, ModelManagement, PatchbayPluginModule, PluginContext, PluginLogger, ProposedFileChange } from '../../api';
import { PatchbayError } from '../../errors';
import { ndjson } from '../../streaming/ndjson';
import { sseJson } from '../../streaming/sseJson';
import { loadPluginModule } from '../moduleLoader';
import { EMITS_PER_SECOND } from '../answerEmitter';
import { callSignal } from '../callSignal';
import type { PluginCandidate } from '../pluginCandidate';
import type { KindLoader } from '../pluginRuntimeDeps';
import { toCrossingError } from './crossingErrors';
import { describeDefinition, progressStream, type PluginFunction } from './workerDescriptors';
import { MANAGEMENT, type ContributionKind, type CrossingEmit, type FunctionHandle, type LaneReport, type LaneRequest } from './workerMessages';
import { workspaceReadsInWorker, type WorkspaceReadCall } from './workspaceReads';

/** Streamed events go back in batches: when this many are waiting, or this long after the first. */
const STREAM_BATCH_EVENTS = 256;
const STREAM_BATCH_MS = 4;

/** What the lanes of one worker share: the port, the handles' numbering, the host's answers. */
export interface LaneServices {
  send(lane: number, message: LaneReport): void;
  /** Called before this lane's plugin code runs, so the host knows whom to blame if it never returns. */
  entering(lane: number): void;
  keep(fn: PluginFunction): FunctionHandle;
  handle(handle: number): PluginFunction | undefined;
  newNumber(): number;
  askHost(lane: number, request: { what: 'secret'; key: string } | { what: 'apiKey' | 'headers'; instance: number } | { what: 'gitDiff' } | { what: 'fetchPage'; url: string; accept?: string } | { what: 'proposeEdit'; change: ProposedFileChange } | { what: 'workspaceRead'; call: WorkspaceReadCall }): Promise<unknown>;
  prepareKind(): KindLoader | undefined;
}

type Call = Extract<LaneRequest, { type: 'call' }>;

export class WorkerLane {
  private plugin: PatchbayPluginModule | undefined;
  private readonly runningCalls = new Map<number, AbortController>();
  /** When this lane's plugin last emitted a status line or source (see `emitsOf`). */
  private recentEmits: number[] = [];
  readonly log: PluginLogger;

  constructor(
    private readonly lane: number,
    private readonly services: LaneServices,
  ) {
    const say = (level: 'info' | 'warn' | 'error') => (message: string) => services.send(lane, { type: 'log', level, message: String(message) });
    this.log = { info: say('info'), warn: say('warn'), error: say('error') };
  }

  receive(message: LaneRequest): void {
    switch (message.type) {
      case 'load':
        void this.step(async () => {
          this.plugin = await loadPluginModule(message.entryPath, message.generation, message.fence);
          return this.plugin.configSchema ? { type: 'loaded', configSchema: this.plugin.configSchema } : { type: 'loaded' };
        });
        break;
      case 'prepare':
        void this.step(() => this.prepare(message.candidate));
        break;
      case 'activate':
        void this.step(async () => {
          if (!this.plugin) throw new Error('the plugin was activated before it loaded');
          await this.plugin.activate(this.contextFor(message.pluginId, message.config));
          return { type: 'activated' };
        });
        break;
      case 'call':
        void this.answerCall(message);
        break;
      case 'cancel':
        this.runningCalls.get(message.id)?.abort(Object.assign(new Error(message.reason), { name: 'AbortError' }));
        break;
      case 'deactivate':
        void this.deactivate();
        break;
      case 'reply':
        // Answers to this lane's requests are settled by the worker, which numbered them.
        break;
    }
  }

  private async step(run: () => Promise<LaneReport>): Promise<void> {
    this.services.entering(this.lane);
    try {
      this.services.send(this.lane, await run());
    } catch (error) {
      this.services.send(this.lane, { type: 'stepFailed', error: toCrossingError(error) });
    }
  }

  private async prepare(candidate: PluginCandidate): Promise<LaneReport> {
    const prepareKind = this.services.prepareKind();
    if (!prepareKind) throw new Error(`${candidate.kind} plugins cannot be prepared in this worker`);
    const prepared = await prepareKind(candidate);
    if (prepared.baseUrl === undefined || prepared.configSchema === undefined) throw new Error('the prepared plugin has no API address or settings');
    this.plugin = { activate: (context) => prepared.activate(context) };
    return { type: 'prepared', configSchema: prepared.configSchema, baseUrl: prepared.baseUrl };
  }

  private async deactivate(): Promise<void> {
    this.services.entering(this.lane);
    try {
      await this.plugin?.deactivate?.();
    } catch (error) {
      this.log.warn(`deactivate failed: ${toCrossingError(error).message}`);
    }
    this.services.send(this.lane, { type: 'deactivated' });
  }

  private contextFor(pluginId: string, config: Record<string, unknown>): PluginContext {
    const { services, lane } = this;
    const register = (kind: ContributionKind) => (definition: object): Disposable => {
      const registration = services.newNumber();
      services.send(lane, { type: 'register', registration, kind, descriptor: describeDefinition(kind, definition, (fn) => services.keep(fn)) });
      return { dispose: () => services.send(lane, { type: 'unregister', registration }) };
    };
    return {
      pluginId,
      log: this.log,
      config: Object.freeze({ ...config }),
      secrets: { get: (key) => services.askHost(lane, { what: 'secret', key }) as Promise<string | undefined> },
      wire: { sseJson, ndjson },
      registerProviderType: register('providerType'),
      registerProvider: register('provider'),
      registerTool: register('tool'),
      registerFilter: register('filter'),
      registerAction: register('action'),
      registerCommand: register('command'),
      registerPromptTemplate: register('promptTemplate'),
      registerContextProvider: register('contextProvider'),
      services: {
        workspace: {
          gitDiff: () => services.askHost(lane, { what: 'gitDiff' }) as Promise<string>,
          // Plain data only: whatever else the plugin hands over stays behind.
          proposeEdit: (change) => services.askHost(lane, { what: 'proposeEdit', change: structuredClone(change) }) as Promise<EditProposalReceipt>,
          ...workspaceReadsInWorker((call) => services.askHost(lane, { what: 'workspaceRead', call }), untilAborted),
        },
        // The signal cannot cross: the plugin stops waiting when it aborts, the host's fetch has its own time limit.
        web: { fetchPage: (url, options) => untilAborted(services.askHost(lane, { what: 'fetchPage', url: String(url), ...(options?.accept ? { accept: options.accept } : {}) }) as Promise<FetchedPage>, options?.signal) },
      },
      registerTemplateLoader: register('templateLoader'),
      problem: (kind, message, details) => new PatchbayError(kind, message, details),
    };
  }

  private async answerCall(message: Call): Promise<void> {
    const controller = new AbortController();
    this.runningCalls.set(message.id, controller);
    this.services.entering(this.lane);
    try {
      const fn = this.services.handle(message.handle);
      if (!fn) throw new Error('the plugin no longer has this function (it was unregistered)');
      const emits = message.emits ? this.emitsOf(message.id) : undefined;
      const context: CallContext = { signal: controller.signal, log: this.log, ...emits };
      const extra = message.pass === 'context' ? [context] : message.pass === 'signal' ? [callSignal(controller.signal, this.log, emits)] : [];
      let value: unknown;
      if (message.instance !== undefined) value = this.createInstance(fn, message.args[0] as EndpointConfig, message.instance);
      else if (message.eachOf) value = applyToEach(fn, message.args[0] as unknown[], context);
      else if (message.stream) await this.streamBack(message.id, fn(...message.args, ...extra) as AsyncIterable<ChatStreamEvent>, controller.signal);
      else value = await fn(...message.args, ...extra);
      // An inlet or outlet may edit its argument in place: the host's copy is not that object.
      if (value === undefined && message.editsArgument) value = message.args[0];
      this.services.send(this.lane, { type: 'result', id: message.id, ok: true, value });
    } catch (error) {
      this.services.send(this.lane, { type: 'result', id: message.id, ok: false, error: toCrossingError(error) });
    } finally {
      this.runningCalls.delete(message.id);
    }
  }

  /**
   * A call's `status` and `cite`: plain data to the host, which checks, caps and shows it. What
   * the host would drop for the rate is not sent at all, so a plugin emitting in a loop cannot
   * flood the host's thread with messages (a `done` always goes: it only clears).
   */
  private emitsOf(id: number): Required<Pick<CallContext, 'status' | 'cite' | 'showProposal'>> {
    const send = (emit: CrossingEmit) => {
      const now = Date.now();
      this.recentEmits = this.recentEmits.filter((at) => now - at < 1_000);
      if (!(emit.kind === 'status' && emit.done)) {
        // One more than the host lets through, so the host still sees (and logs) the excess.
        if (this.recentEmits.length > EMITS_PER_SECOND) return;
        this.recentEmits.push(now);
      }
      this.services.send(this.lane, { type: 'emit', id, emit });
    };
    const textOrAbsent = (value: unknown) => (typeof value === 'string' ? value : undefined);
    return {
      status: (text, options) => send({ kind: 'status', text: typeof text === 'string' ? text : null, done: options?.done === true }),
      cite: (citation) => {
        const given = (typeof citation === 'object' && citation !== null ? citation : {}) as Partial<Record<'title' | 'url' | 'snippet', unknown>>;
        const [title, url, snippet] = [textOrAbsent(given.title), textOrAbsent(given.url), textOrAbsent(given.snippet)];
        send({ kind: 'cite', citation: { ...(title !== undefined ? { title } : {}), ...(url !== undefined ? { url } : {}), ...(snippet !== undefined ? { snippet } : {}) } });
      },
      showProposal: (proposalId) => send({ kind: 'proposal', proposalId: String(proposalId) }),
    };
  }

  private async streamBack(id: number, events: AsyncIterable<ChatStreamEvent>, signal: AbortSignal): Promise<void> {
    let batch: ChatStreamEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      if (batch.length === 0) return;
      this.services.send(this.lane, { type: 'events', id, events: batch });
      batch = [];
    };
    const iterator = events[Symbol.asyncIterator]();
    try {
      for (;;) {
        this.services.entering(this.lane);
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

  /** `fetch` that tells the host each request's method, URL and outcome (never headers), as the host's own does. */
  private loggedFetch(): typeof fetch {
    const tell = (line: string) => this.services.send(this.lane, { type: 'fetched', line });
    return async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
      try {
        const response = await globalThis.fetch(input, init);
        tell(`${method} ${url} -> ${response.status}`);
        return response;
      } catch (error) {
        tell(`${method} ${url} -> ${toCrossingError(error).message}`);
        throw error;
      }
    };
  }

  /** A provider type's instance: its functions stay here, the host gets their handles. */
  private createInstance(create: PluginFunction, endpoint: EndpointConfig, instance: number): Record<string, FunctionHandle> {
    const { services, lane } = this;
    const endpointServices: EndpointServices = {
      getApiKey: () => services.askHost(lane, { what: 'apiKey', instance }) as Promise<string | undefined>,
      headers: () => services.askHost(lane, { what: 'headers', instance }) as Promise<Record<string, string>>,
      fetch: this.loggedFetch(),
      log: this.log,
    };
    const created = create(endpoint, endpointServices) as Record<string, unknown>;
    const described: Record<string, FunctionHandle> = {};
    for (const name of ['listModels', 'chat', 'dispose'] as const) {
      const fn = created[name];
      if (typeof fn === 'function') described[name] = services.keep((fn as PluginFunction).bind(created));
    }
    const management = created.modelManagement as Partial<ModelManagement> | undefined;
    if (typeof management?.pull === 'function' && typeof management.delete === 'function' && typeof management.details === 'function') {
      const { pull } = management;
      // Its progress callback cannot cross: the pull becomes a stream of progress events.
      described[MANAGEMENT.pull] = services.keep(((name: string, signal: AbortSignal) => progressStream((report) => pull.call(management, name, report, signal))) as PluginFunction);
      described[MANAGEMENT.delete] = services.keep(management.delete.bind(management) as PluginFunction);
      described[MANAGEMENT.details] = services.keep(management.details.bind(management) as PluginFunction);
    } else if (management !== undefined) {
      this.log.warn('modelManagement needs pull, delete and details functions; the provider is offered without it');
    }
    return described;
  }
}

/** The answer, or the signal's reason once it aborts first. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A stream filter over a batch of pieces: for each, in order, what it became (kept, changed, split or dropped). */
function applyToEach(stream: PluginFunction, pieces: unknown[], context: CallContext): unknown[][] {
  return pieces.map((piece) => {
    const result = stream(piece, context);
    return result === null ? [] : result === undefined ? [piece] : Array.isArray(result) ? (result as unknown[]) : [result];
  });
}
