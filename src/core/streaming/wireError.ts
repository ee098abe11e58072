/**
 * What the core's wire parsers found wrong with a response body. It is a PatchbayError, so a
 * plugin may show it as it is; `classifyError` rewrites it with the endpoint's name and URL,
 * which the parsers do not know.
 */
import { PatchbayError } from '../errors';

/**
 * `html`: a web page where the API was expected. `not-json`: a payload that is not JSON.
 * `too-large`: a line or body over the limits below.
 */
export type WireFault = 'html' | 'not-json' | 'too-large';

export class WireFormatError extends PatchbayError {
  constructor(
    readonly fault: WireFault,
    message: string,
    /** Valid payloads came before the fault: the base URL is right, the stream went wrong. */
    readonly afterData: boolean,
    /** The offending text, shortened, for the message. */
    readonly sample = '',
  ) {
    const wrongPlace = !afterData && fault !== 'too-large';
    super(wrongPlace ? 'wrong-endpoint' : 'server', message, {
      hint: wrongPlace
        ? 'Check that the base URL points at the API of the server (OpenAI-compatible servers usually end in /v1).'
        : 'Retry; if it happens again, the server\'s log may say why.',
      actions: wrongPlace ? ['openConfig', 'openSettings'] : ['retry', 'showLogs'],
    });
    this.name = 'WireFormatError';
  }
}

/** Limits that keep a broken or hostile server from filling memory. */
export const wireLimits = {
  /** One line of SSE or NDJSON (a 200-token chunk is a few hundred bytes). */
  maxLineChars: 8 * 1024 * 1024,
  /** One whole response body. */
  maxBodyBytes: 64 * 1024 * 1024,
  /** The arguments of one tool call. */
  maxToolArgumentChars: 1024 * 1024,
};

export function megabytes(count: number): string {
  return `${Math.round(count / (1024 * 1024))} MB`;
}
