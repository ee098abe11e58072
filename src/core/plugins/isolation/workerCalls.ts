/**
 * The bookkeeping of calls into an isolated plugin's worker: each call gets an id and waits
 * for its `result` (a stream for its `events` batches too), an aborted signal sends `cancel`,
 * and when the worker stops every waiting call learns why.
 */
import type { CallContext, ChatStreamEvent, Citation } from '../../api';
import { fromCrossingError } from './crossingErrors';
import type { CallPass, LaneReport, LaneRequest } from './workerMessages';

/** What a host call may show while it runs in the worker: status lines, sources, a tool's proposal. */
type CallEmits = Pick<CallContext, 'status' | 'cite' | 'showProposal'>;

/** The worker as the calls see it: why it stopped, if it did, and how to send it a message. */
export interface WorkerChannel {
  readonly ended: Error | undefined;
  post(message: LaneRequest): void;
}

export interface CallOptions {
  /** A stream filter: the function is applied to each item of the first argument. */
  eachOf?: boolean;
  /** A provider type's `create`: the number the new instance is known by. */
  instance?: number;
  /** The function may change its first argument in place (a filter's inlet or outlet). */
  editsArgument?: boolean;
  /** The host call's `status` and `cite` (during an answer): what the plugin emits in the worker reaches them. */
  emits?: CallEmits;
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onEvents?(events: unknown[]): void;
  emits?: CallEmits;
}

export class WorkerCalls {
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 1;

  constructor(private readonly worker: WorkerChannel) {}

  /** A fresh number, shared by calls and provider instances so none is ever reused. */
  newId(): number {
    return this.nextId++;
  }

  call(handle: number, args: unknown[], pass: CallPass, signal?: AbortSignal, extra: CallOptions = {}): Promise<unknown> {
    if (this.worker.ended) return Promise.reject(this.worker.ended);
    const id = this.newId();
    const { emits, ...sent } = extra;
    const emitting = hasEmits(emits);
    return new Promise((resolve, reject) => {
      const cancel = () => this.worker.post({ type: 'cancel', id, reason: describeReason(signal?.reason) });
      const settle = () => signal?.removeEventListener('abort', cancel);
      this.pending.set(id, {
        resolve: (value) => (settle(), resolve(value)),
        reject: (error) => (settle(), reject(error)),
        ...(emitting ? { emits } : {}),
      });
      signal?.addEventListener('abort', cancel, { once: true });
      this.send(id, { type: 'call', id, handle, args, pass, ...sent, ...(emitting ? { emits: true } : {}) });
    });
  }

  async *stream(handle: Promise<number>, args: unknown[], signal: AbortSignal, emits?: CallEmits): AsyncGenerator<ChatStreamEvent> {
    const chat = await handle;
    if (this.worker.ended) throw this.worker.ended;
    const id = this.newId();
    let queue: ChatStreamEvent[] = [];
    let finished = false;
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    const cancel = () => this.worker.post({ type: 'cancel', id, reason: describeReason(signal.reason) });
    this.pending.set(id, {
      resolve: () => ((finished = true), wake?.()),
      reject: (error) => ((failure = error), (finished = true), wake?.()),
      onEvents: (events) => (queue.push(...(events as ChatStreamEvent[])), wake?.()),
      ...(hasEmits(emits) ? { emits } : {}),
    });
    signal.addEventListener('abort', cancel, { once: true });
    this.send(id, { type: 'call', id, handle: chat, args, pass: 'signal', stream: true, ...(hasEmits(emits) ? { emits: true } : {}) });
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

  /** A call's answer from the worker. */
  settle(result: Extract<LaneReport, { type: 'result' }>): void {
    const call = this.pending.get(result.id);
    this.pending.delete(result.id);
    if (result.ok) call?.resolve(result.value);
    else call?.reject(fromCrossingError(result.error));
  }

  /** A batch of a streaming call's items. */
  deliver(batch: Extract<LaneReport, { type: 'events' }>): void {
    this.pending.get(batch.id)?.onEvents?.(batch.events);
  }

  /** A call's status line or source, to the host call it belongs to (none after the call ended). */
  emit(report: Extract<LaneReport, { type: 'emit' }>): void {
    const emits = this.pending.get(report.id)?.emits;
    const { emit } = report;
    if (emit.kind === 'status') emits?.status?.(emit.text as string, { done: emit.done });
    else if (emit.kind === 'proposal') emits?.showProposal?.(emit.proposalId);
    else emits?.cite?.(emit.citation as Citation);
  }

  /** The worker stopped: every call still waiting fails with the reason. */
  failAll(why: Error): void {
    for (const call of this.pending.values()) call.reject(why);
    this.pending.clear();
  }

  private send(id: number, message: LaneRequest): void {
    try {
      this.worker.post(message);
    } catch (error) {
      // What cannot be copied to the worker (a function in the arguments, say) fails that call alone.
      const call = this.pending.get(id);
      this.pending.delete(id);
      call?.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

function hasEmits(emits: CallEmits | undefined): emits is CallEmits {
  return typeof emits?.status === 'function' || typeof emits?.cite === 'function' || typeof emits?.showProposal === 'function';
}

function describeReason(reason: unknown): string {
  return reason instanceof Error ? reason.message : reason === undefined ? 'cancelled' : String(reason);
}
