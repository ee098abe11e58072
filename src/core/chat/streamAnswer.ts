/**
 * Runs one answer from a provider to its end: splits inline reasoning from the answer,
 * retries a rate-limited request a bounded number of times, gives up on a server that goes
 * quiet, and turns every failure into a PatchbayError. However the provider behaves, this
 * returns promptly when the user presses Stop or the idle timeout passes, so the UI never
 * stays locked waiting for a plugin.
 */
import type { ChatRequest, ChatStreamEvent, ToolCall } from '../api';
import type { ProviderCalls } from '../providers/providerCalls';
import { withPartialAnswerNote, type PatchbayError } from '../errors';
import type { Clock } from '../ports';
import { wireLimits } from '../streaming/wireError';
import { classifyError, type FailureContext } from '../providers/classifyError';
import type { AnswerStatus, UsageFigures } from './conversation';
import { ToolCallTextExtractor } from '../tools/promptToolCalls';
import { ThinkTagSplitter } from './thinkTagSplitter';
import { endedEarly, stalled, toolCallTooLong, withWaitHint } from './answerProblems';
import { abortableSleep, nextWithin } from './stoppableWaits';
import type { EmitsForPlugins } from '../plugins/answerEmitter';
import type { FilteredPieces } from './filterChain';

// Importable from here as before the split.
export { abortableSleep };

export type AnswerEvent =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  /** The model declined; shown apart from the answer, marked as a refusal. */
  | { type: 'refusal'; text: string }
  | { type: 'reclassify' }
  | { type: 'toolCall'; call: ToolCall }
  | { type: 'status'; text: string | undefined };

export interface AnswerOutcome {
  status: Exclude<AnswerStatus, 'streaming'>;
  problem?: PatchbayError;
  usage?: UsageFigures;
  finishReason?: string;
}

export interface RateLimitPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Waits longer than this are not made: the error is shown instead. */
  maxWaitMs: number;
  /** Wait when the server did not say how long (doubled on each retry). */
  defaultWaitMs: number;
}

export const defaultRateLimitPolicy: RateLimitPolicy = { maxRetries: 3, maxWaitMs: 60_000, defaultWaitMs: 2_000 };

export interface StreamAnswerOptions {
  provider: Pick<ProviderCalls, 'chat'>;
  request: ChatRequest;
  failureContext: FailureContext;
  /** The user's Stop. */
  signal: AbortSignal;
  /** Longest silence allowed between two events from the provider. */
  idleTimeoutMs: number;
  rateLimit?: RateLimitPolicy;
  onEvent(event: AnswerEvent): void;
  /** Take `<tool_call>` blocks out of the text as tool calls (ids start with the prefix). */
  extractToolCalls?: { idPrefix: string };
  /**
   * Plugins' stream filters: every event passes through them in order, and each piece of text
   * or reasoning becomes zero or more pieces, handed to `emit`.
   */
  filterPieces?(emit: (event: AnswerEvent) => void): FilteredPieces<AnswerEvent>;
  /** What the idle timeout and rate-limit waits wait on; the real clock unless a test gives its own. */
  clock?: Clock;
  /** The provider's status line and sources during the answer. */
  emits?: EmitsForPlugins;
}

export async function streamAnswer(options: StreamAnswerOptions): Promise<AnswerOutcome> {
  const policy = options.rateLimit ?? defaultRateLimitPolicy;
  for (let attempt = 0; ; attempt++) {
    const result = await streamOnce(options);
    if (result.status !== 'failed' || result.problem?.kind !== 'rate-limited' || attempt >= policy.maxRetries) {
      return result;
    }
    const waitMs = result.problem.retryAfterMs ?? policy.defaultWaitMs * 2 ** attempt;
    if (waitMs > policy.maxWaitMs) {
      return { ...result, problem: withWaitHint(result.problem, waitMs) };
    }
    options.onEvent({
      type: 'status',
      text: `${options.failureContext.endpointLabel} is rate limiting; retrying in ${Math.ceil(waitMs / 1000)} s (retry ${attempt + 1} of ${policy.maxRetries}).`,
    });
    try {
      await abortableSleep(waitMs, options.signal, options.clock);
    } catch {
      return { status: 'stopped' };
    } finally {
      options.onEvent({ type: 'status', text: undefined });
    }
  }
}

async function streamOnce(options: StreamAnswerOptions): Promise<AnswerOutcome> {
  const filtered = options.filterPieces?.((event) => options.onEvent(event));
  if (!filtered) return streamPieces(options, options.onEvent);
  try {
    const outcome = await streamPieces(options, (event) => filtered.push(event));
    // An isolated plugin's stream filter may still hold the last pieces.
    await filtered.settled();
    return outcome;
  } finally {
    filtered.close();
  }
}

async function streamPieces(options: StreamAnswerOptions, onEvent: (event: AnswerEvent) => void): Promise<AnswerOutcome> {
  const { failureContext, signal, idleTimeoutMs } = options;
  if (signal.aborted) return { status: 'stopped' };
  const attempt = new AbortController();
  const forwardStop = () => attempt.abort(signal.reason);
  signal.addEventListener('abort', forwardStop, { once: true });
  const splitter = new ThinkTagSplitter();
  const extractor = options.extractToolCalls ? new ToolCallTextExtractor(options.extractToolCalls.idPrefix) : undefined;
  let receivedAnswer = false;
  let usage: UsageFigures | undefined;
  let finishReason: string | undefined;
  const show = (event: { type: 'text' | 'reasoning'; text: string }) => {
    if (event.text !== '') onEvent(event);
  };
  const deliver = (event: AnswerEvent) => {
    if (event.type === 'toolCall') receivedAnswer = true;
    if (event.type !== 'text' && event.type !== 'reasoning') return onEvent(event);
    receivedAnswer = true;
    if (event.type === 'text' && extractor) {
      const { text, calls, problem } = extractor.push(event.text);
      show({ type: 'text', text });
      for (const call of calls) onEvent({ type: 'toolCall', call });
      if (problem) throw problem;
    } else {
      show(event);
    }
  };
  const flushText = () => {
    for (const piece of splitter.flush()) deliver(piece);
    if (!extractor) return;
    const { text, calls } = extractor.flush();
    show({ type: 'text', text });
    for (const call of calls) onEvent({ type: 'toolCall', call });
  };
  let iterator: AsyncIterator<ChatStreamEvent> | undefined;
  try {
    iterator = options.provider.chat(options.request, attempt.signal, options.emits)[Symbol.asyncIterator]();
    for (;;) {
      const step = await nextWithin(iterator, idleTimeoutMs, signal, options.clock);
      if (step === 'stopped') return { status: 'stopped', ...extras(usage, finishReason) };
      if (step === 'idle') {
        attempt.abort(new Error('idle timeout'));
        return {
          status: receivedAnswer ? 'incomplete' : 'failed',
          problem: withPartialAnswerNote(stalled(failureContext, idleTimeoutMs), receivedAnswer),
          ...extras(usage, finishReason),
        };
      }
      if (step.done) break;
      const event = step.value;
      switch (event.type) {
        case 'text':
          for (const piece of splitter.push(event.text)) deliver(piece);
          break;
        case 'reasoning':
          splitter.disableReclassify();
          deliver(event);
          break;
        case 'usage':
          usage = mergeUsage(usage, event);
          break;
        case 'finish':
          finishReason = event.reason;
          break;
        case 'refusal':
          receivedAnswer = true;
          if (event.text !== '') onEvent(event);
          break;
        case 'toolCall':
          if (event.call.arguments.length > wireLimits.maxToolArgumentChars) throw toolCallTooLong(event.call.name);
          deliver(event);
          break;
      }
    }
    flushText();
    const cutShort = endedEarly(finishReason, failureContext, options.request.options.maxTokens);
    if (cutShort?.kind === 'token-limit') return { status: 'incomplete', problem: cutShort, ...extras(usage, finishReason) };
    if (cutShort) return { status: receivedAnswer ? 'incomplete' : 'failed', problem: withPartialAnswerNote(cutShort, receivedAnswer), ...extras(usage, finishReason) };
    return { status: 'complete', ...extras(usage, finishReason) };
  } catch (error) {
    flushText();
    if (signal.aborted) return { status: 'stopped', ...extras(usage, finishReason) };
    const problem = classifyError(error, failureContext);
    if (problem.kind === 'cancelled') return { status: 'stopped', ...extras(usage, finishReason) };
    return { status: receivedAnswer ? 'incomplete' : 'failed', problem: withPartialAnswerNote(problem, receivedAnswer), ...extras(usage, finishReason) };
  } finally {
    signal.removeEventListener('abort', forwardStop);
    if (!attempt.signal.aborted) attempt.abort(new Error('answer finished'));
    // Let the provider close its request, without waiting on a provider that hangs.
    void iterator?.return?.().catch(() => undefined);
  }
}

function extras(usage: UsageFigures | undefined, finishReason: string | undefined): Partial<AnswerOutcome> {
  const result: Partial<AnswerOutcome> = {};
  if (usage) result.usage = usage;
  if (finishReason !== undefined) result.finishReason = finishReason;
  return result;
}

function mergeUsage(current: UsageFigures | undefined, event: { inputTokens?: number; outputTokens?: number }): UsageFigures {
  const merged: UsageFigures = { ...current };
  if (event.inputTokens !== undefined) merged.inputTokens = event.inputTokens;
  if (event.outputTokens !== undefined) merged.outputTokens = event.outputTokens;
  return merged;
}
