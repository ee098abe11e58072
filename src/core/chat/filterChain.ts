/**
 * Runs the plugins' filters around one answer, in priority order: inlets change the request
 * before the provider sees it, stream filters see each piece of the answer as it arrives,
 * outlets change the finished answer. A filter that throws or hangs is reported (its plugin
 * is marked failed) and skipped; the answer goes on without it.
 */
import type { CallContext, ChatRequest, FilterDefinition, FilterStreamEvent, FinishedAnswer } from '../api';
import type { Owned } from '../plugins/contributionRegistry';
import { PluginCaller, type PluginCallRules } from '../plugins/pluginCalls';

export interface FilterChainHooks extends PluginCallRules {
  /** The plugin's code failed: the host unloads it and shows the error. */
  fail(pluginId: string, error: unknown): void;
}

export class FilterChain {
  private readonly broken = new Set<string>();
  private readonly caller: PluginCaller;

  constructor(
    private readonly filters: readonly Owned<FilterDefinition>[],
    hooks: FilterChainHooks,
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
          const next = (await inlet(input, context)) ?? input;
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

  /** The pieces to show for one streamed piece (none when a filter dropped it). */
  stream(event: FilterStreamEvent): FilterStreamEvent[] {
    let events = [event];
    for (const { owner, definition } of this.usable('stream')) {
      const next: FilterStreamEvent[] = [];
      try {
        for (const item of events) {
          const result = definition.stream!(item);
          if (result === null) continue;
          for (const produced of result === undefined ? [item] : Array.isArray(result) ? result : [result]) {
            if (!isStreamEvent(produced)) throw new Error(`the stream filter "${definition.id}" returned something that is not a text or reasoning event`);
            next.push(produced);
          }
        }
        events = next;
      } catch (error) {
        this.report(owner, error);
      }
    }
    return events;
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
    return this.filters.filter((filter) => typeof filter.definition[stage] === 'function' && !this.broken.has(filter.owner));
  }

  /** A filter that throws or hangs is skipped and its plugin marked failed (README, Filters). */
  private call<T>(owner: string, what: string, signal: AbortSignal, run: (context: CallContext) => Promise<T>): Promise<T> {
    return this.caller.call(owner, what, run, { signal, failsPluginOn: 'hang-or-throw' });
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
