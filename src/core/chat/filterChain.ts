/**
 * Runs the plugins' filters around one answer, in priority order: inlets change the request
 * before the provider sees it, stream filters see each piece of the answer as it arrives,
 * outlets change the finished answer. A filter that throws or hangs is reported (its plugin
 * is marked failed) and skipped; the answer goes on without it.
 *
 * Stream filters of plugins running in the host's thread run synchronously on each piece.
 * An isolated plugin's stream filter cannot: while one batch of pieces is with it, the next
 * pieces gather, and each batch's results are handed on in the stream's order.
 */
import type { CallContext, ChatRequest, FilterDefinition, FilterStreamEvent, FinishedAnswer } from '../api';
import type { Owned } from '../plugins/contributionRegistry';
import type { EmitsForPlugins } from '../plugins/answerEmitter';
import { batchedStreamOf } from '../plugins/isolation/batchedStreamFilter';
import { ANSWER_PATH_TIMEOUT_MS, PluginCaller, type PluginCallRules } from '../plugins/pluginCalls';

/** An isolated stream filter that keeps a batch longer than this is stuck: it is failed and skipped. */
const STREAM_BATCH_TIMEOUT_MS = 2_000;

/** What the stream filters see: text and reasoning; anything else passes by in its place. */
type StreamItem = FilterStreamEvent | { type: string };

/** Pieces pushed in order, handed on filtered in the same order. */
export interface FilteredPieces<T extends StreamItem> {
  push(item: T): void;
  /** Resolves once every piece pushed so far has been handed on (or dropped after Stop). */
  settled(): Promise<void>;
  /** Hands nothing on any more. */
  close(): void;
}

export interface FilterChainHooks extends PluginCallRules {
  /** The plugin's code failed: the host unloads it and shows the error. */
  fail(pluginId: string, error: unknown): void;
}

export class FilterChain {
  private readonly broken = new Set<string>();
  private readonly caller: PluginCaller;

  constructor(
    private readonly filters: readonly Owned<FilterDefinition>[],
    private readonly hooks: FilterChainHooks,
    /** Where inlets and stream filters send a status line and sources during the answer. */
    private readonly emits?: EmitsForPlugins,
  ) {
    this.caller = new PluginCaller(hooks);
  }

  get isEmpty(): boolean {
    return this.filters.length === 0;
  }

  async inlet(request: ChatRequest, signal: AbortSignal): Promise<ChatRequest> {
    let current = structuredClone(request);
    for (const { owner, definition } of this.usable('inlet')) {
      const inlet = definition.inlet!.bind(definition);
      try {
        const input = current;
        current = await this.call(owner, `the inlet of filter "${definition.id}"`, signal, async (context) => {
          const next = (await inlet(input, this.withEmits(owner, context))) ?? input;
          if (!isRequest(next)) throw new Error(`the inlet of filter "${definition.id}" returned something that is not a request`);
          return next;
        });
      } catch (error) {
        if (signal.aborted) throw error;
        this.broken.add(owner);
      }
    }
    return current;
  }

  /**
   * Filters the pieces of one streamed answer in order, handing each result to `emit`. With
   * only in-thread stream filters every piece is handed on before `push` returns.
   */
  pieces<T extends StreamItem>(emit: (item: T | FilterStreamEvent) => void, signal: AbortSignal): FilteredPieces<T> {
    if (!this.usable('stream').some(({ definition }) => batchedStreamOf(definition))) {
      return {
        push: (item) => {
          if (!isStreamEvent(item)) return emit(item);
          for (const piece of this.stream(item, signal)) emit(piece);
        },
        settled: () => Promise.resolve(),
        close: () => undefined,
      };
    }
    let queue: T[] = [];
    let running: Promise<void> | undefined;
    let closed = false;
    const drain = async () => {
      try {
        while (queue.length > 0 && !closed) {
          const batch = queue;
          queue = [];
          const handedOn = await this.streamBatch(batch, signal);
          if (!closed) for (const item of handedOn) emit(item);
        }
      } catch {
        // Stopped: what is still in the filters is not shown.
        closed = true;
      } finally {
        running = undefined;
      }
    };
    return {
      push: (item) => {
        if (closed) return;
        queue.push(item);
        running ??= drain();
      },
      settled: () => running ?? Promise.resolve(),
      close: () => {
        closed = true;
      },
    };
  }

  /** The pieces to show for one streamed piece (none when a filter dropped it), by the in-thread stream filters. */
  stream(event: FilterStreamEvent, signal: AbortSignal): FilterStreamEvent[] {
    let events = [event];
    for (const { owner, definition } of this.usable('stream')) {
      if (!definition.stream) continue;
      try {
        events = this.applyStream(definition, events, this.streamContext(owner, signal));
      } catch (error) {
        this.report(owner, error);
      }
    }
    return events;
  }

  /** One batch through every stream filter, in order; items that are not text or reasoning keep their place. */
  private async streamBatch<T extends StreamItem>(batch: readonly T[], signal: AbortSignal): Promise<(T | FilterStreamEvent)[]> {
    let slots: (T | FilterStreamEvent[])[] = batch.map((item) => (isStreamEvent(item) ? [item] : item));
    for (const { owner, definition } of this.usable('stream')) {
      const batched = batchedStreamOf(definition);
      try {
        if (!batched) {
          const context = this.streamContext(owner, signal);
          slots = slots.map((slot) => (Array.isArray(slot) ? this.applyStream(definition, slot, context) : slot));
          continue;
        }
        const pieces = slots.filter((slot): slot is FilterStreamEvent[] => Array.isArray(slot)).flat();
        const results = await this.caller.call(owner, `the stream filter "${definition.id}"`, (context) => batched(pieces, this.withEmits(owner, context)), {
          signal,
          timeoutMs: STREAM_BATCH_TIMEOUT_MS,
          failsPluginOn: 'hang-or-throw',
        });
        if (!Array.isArray(results) || results.length !== pieces.length) throw new Error(`the stream filter "${definition.id}" answered a batch with the wrong number of results`);
        const made = results.map((produced) => {
          if (!Array.isArray(produced) || !produced.every(isStreamEvent)) throw new Error(`the stream filter "${definition.id}" returned something that is not a text or reasoning event`);
          return produced;
        });
        let next = 0;
        slots = slots.map((slot) => (Array.isArray(slot) ? slot.flatMap(() => made[next++]!) : slot));
      } catch (error) {
        if (signal.aborted) throw error;
        // The caller has already failed an isolated filter's plugin; an in-thread one is reported here.
        if (batched) this.broken.add(owner);
        else this.report(owner, error);
      }
    }
    return slots.flatMap((slot): (T | FilterStreamEvent)[] => (Array.isArray(slot) ? slot : [slot]));
  }

  /** An in-thread stream filter's CallContext: the answer's signal (it runs synchronously, so no timeout of its own). */
  private streamContext(owner: string, signal: AbortSignal): CallContext {
    return this.withEmits(owner, { signal, log: this.hooks.loggerFor(owner) });
  }

  /** Inlets and stream filters may show a status line and cite sources (outlets run after the answer). */
  private withEmits(owner: string, context: CallContext): CallContext {
    return this.emits ? { ...context, ...this.emits.for(owner) } : context;
  }

  private applyStream(definition: FilterDefinition, events: readonly FilterStreamEvent[], context: CallContext): FilterStreamEvent[] {
    const next: FilterStreamEvent[] = [];
    for (const item of events) {
      const result = definition.stream!(item, context);
      if (result === null) continue;
      for (const produced of result === undefined ? [item] : Array.isArray(result) ? result : [result]) {
        if (!isStreamEvent(produced)) throw new Error(`the stream filter "${definition.id}" returned something that is not a text or reasoning event`);
        next.push(produced);
      }
    }
    return next;
  }

  async outlet(answer: FinishedAnswer, signal: AbortSignal): Promise<FinishedAnswer> {
    let current = { ...answer };
    for (const { owner, definition } of this.usable('outlet')) {
      const outlet = definition.outlet!.bind(definition);
      try {
        const input = current;
        const next = await this.call(owner, `the outlet of filter "${definition.id}"`, signal, async (context) => {
          const result = (await outlet(input, context)) ?? input;
          if (typeof result.content !== 'string' || typeof result.reasoning !== 'string') {
            throw new Error(`the outlet of filter "${definition.id}" returned an answer without content and reasoning text`);
          }
          return result;
        });
        current = { ...next, model: answer.model };
      } catch (error) {
        if (signal.aborted) throw error;
        this.broken.add(owner);
      }
    }
    return current;
  }

  private usable(stage: 'inlet' | 'stream' | 'outlet'): Owned<FilterDefinition>[] {
    const runs = (definition: FilterDefinition) => typeof definition[stage] === 'function' || (stage === 'stream' && batchedStreamOf(definition) !== undefined);
    return this.filters.filter((filter) => runs(filter.definition) && !this.broken.has(filter.owner));
  }

  /** A filter that throws or hangs is skipped and its plugin marked failed (README, Filters). */
  private call<T>(owner: string, what: string, signal: AbortSignal, run: (context: CallContext) => Promise<T>): Promise<T> {
    return this.caller.call(owner, what, run, { signal, timeoutMs: ANSWER_PATH_TIMEOUT_MS, failsPluginOn: 'hang-or-throw' });
  }

  private report(owner: string, error: unknown): void {
    this.broken.add(owner);
    this.caller.fail(owner, error);
  }
}

function isRequest(value: unknown): value is ChatRequest {
  const request = value as ChatRequest | null;
  return typeof request?.model === 'string' && Array.isArray(request.messages) && typeof request.options === 'object' && request.options !== null;
}

function isStreamEvent(value: unknown): value is FilterStreamEvent {
  const event = value as FilterStreamEvent | null;
  return (event?.type === 'text' || event?.type === 'reasoning') && typeof event.text === 'string';
}
