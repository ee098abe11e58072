/**
 * Reads what a provider's failure carries, whatever threw it: fetch, undici, the OpenAI SDK,
 * Ollama's client or a user's plugin each put the status code, headers, server message and
 * socket error code in a different place. Kept apart so classifyError.ts reads as the rules
 * (which failure means what), not as the digging.
 */
import type { HeaderSource } from './retryAfter';

/** The user's Stop, as fetch (`AbortError`) or the OpenAI SDK (`APIUserAbortError`, by class when the name is not set) reports it. */
export function isAbort(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'AbortError' || error.name === 'APIUserAbortError' || error.constructor?.name === 'APIUserAbortError';
}

/** The HTTP status, under whichever name the client library gives it. */
export function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const record = error as { status?: unknown; status_code?: unknown; statusCode?: unknown };
  for (const candidate of [record.status, record.status_code, record.statusCode]) {
    if (typeof candidate === 'number' && candidate >= 100 && candidate < 600) return candidate;
  }
  return undefined;
}

export function headersOf(error: unknown): HeaderSource | undefined {
  const headers = (error as { headers?: unknown }).headers;
  return typeof headers === 'object' && headers !== null ? (headers as HeaderSource) : undefined;
}

/** The server's own words: OpenAI's `{error:{message}}`, Ollama's `{error}`, or the message. */
export function serverMessageOf(error: unknown): string {
  const record = error as { error?: unknown; message?: unknown };
  const body = record.error;
  if (typeof body === 'string') return body;
  if (typeof body === 'object' && body !== null) {
    const nested = (body as { message?: unknown; error?: unknown }).message ?? (body as { error?: unknown }).error;
    if (typeof nested === 'string') return nested;
    if (typeof nested === 'object' && nested !== null && typeof (nested as { message?: unknown }).message === 'string') {
      return (nested as { message: string }).message;
    }
  }
  return typeof record.message === 'string' ? record.message.replace(/^\d{3}\s+(status code \(no body\))?/, '').trim() : '';
}

/** Node's socket error code, which undici nests in `cause` and a multi-address connect in an AggregateError's `errors`. */
export function socketErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) current = errors[0];
    else current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
