/**
 * The errors an answer's stream produces itself, rather than the provider throwing them: an
 * answer cut short by its finish reason, a tool call too long to run, a server gone quiet,
 * and a rate limit that asks for a longer wait than Patchbay retries after. Kept apart from
 * streamAnswer.ts so the wording users read sits in one place, away from the stream control.
 */
import { PatchbayError } from '../errors';
import type { FailureContext } from '../providers/classifyError';
import { megabytes, wireLimits } from '../streaming/wireError';

/**
 * A finish reason that means the answer is not whole although the stream ended properly:
 * the token limit (`length`; `max_tokens` on some servers) or the server's content filter.
 */
export function endedEarly(reason: string | undefined, context: FailureContext, maxTokens: number | undefined): PatchbayError | undefined {
  if (reason === 'length' || reason === 'max_tokens') {
    const limit = maxTokens === undefined ? 'the token limit' : `the token limit (patchbay.maxTokens is ${maxTokens})`;
    return new PatchbayError('token-limit', `The answer was cut off by ${limit}.`, {
      url: context.baseUrl,
      hint: 'Continue the answer, or raise "patchbay.maxTokens" (or the model\'s context window) and retry.',
      actions: ['continue', 'openSettings'],
    });
  }
  if (reason === 'content_filter') {
    return new PatchbayError('server', `${context.endpointLabel} stopped the answer with its content filter.`, {
      url: context.baseUrl,
      hint: 'The partial answer is kept. Rephrase the question, or ask another model.',
      actions: ['retry'],
    });
  }
  return undefined;
}

/** A call whose arguments exceed the wire limit is refused instead of run. */
export function toolCallTooLong(name: string): PatchbayError {
  return new PatchbayError('bad-request', `The model's call of ${name || 'a tool'} has arguments longer than ${megabytes(wireLimits.maxToolArgumentChars)}, so Patchbay did not run it.`, {
    hint: 'Ask for a smaller change, or retry.',
    actions: ['retry'],
  });
}

/** The provider sent nothing within the idle timeout. */
export function stalled(context: FailureContext, idleTimeoutMs: number): PatchbayError {
  const seconds = Math.round(idleTimeoutMs / 1000);
  return new PatchbayError('stalled', `${context.endpointLabel} sent nothing for ${seconds} s, so Patchbay stopped waiting.`, {
    url: context.baseUrl,
    hint: 'The server may be overloaded or stuck loading the model. Retry, or raise "patchbay.streamIdleTimeoutSeconds" for slow models.',
    actions: ['retry', 'openSettings'],
  });
}

/** The rate-limit error, saying how long the server asks to wait, since Patchbay will not wait that long. */
export function withWaitHint(problem: PatchbayError, waitMs: number): PatchbayError {
  return new PatchbayError(problem.kind, problem.message, {
    hint: `The server asks to wait ${Math.ceil(waitMs / 1000)} s before the next request. Retry later, or pick a model on another server.`,
    actions: [...problem.actions],
    ...(problem.status === undefined ? {} : { status: problem.status }),
    ...(problem.url === undefined ? {} : { url: problem.url }),
    retryAfterMs: waitMs,
  });
}
