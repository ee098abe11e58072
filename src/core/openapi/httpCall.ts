/**
 * Sends a tool call's request and turns its response into text for the model. Requests go
 * through the guarded fetch (no link-local or metadata addresses, however the host name
 * resolves; no redirects followed); responses are capped in size and time. Building the
 * request, attaching the secret and reading the response live beside this file.
 */
import { guardedFetch, GuardedFetchError, type GuardedResponse, type HostResolver } from './guardedFetch';
import type { PreparedRequest } from './preparedRequest';
import { contentTypeOf, defaultResponseLimits, isBinary, responseText, type ResponseLimits } from './responseText';
import { displayUrl, ToolCallError } from './toolCallError';

export { prepareRequest, type PreparedRequest } from './preparedRequest';
export { applyAuth, type AuthRequirement } from './requestAuth';
export { defaultResponseLimits, type ResponseLimits } from './responseText';
export { displayUrl, ToolCallError } from './toolCallError';

/** How calls are made: their limits and, for tests, how host names are resolved. */
export interface ToolCallOptions extends ResponseLimits {
  /** Tests give one so they never use real DNS; the system's resolver otherwise. */
  resolveHost?: HostResolver;
}

/** Sends the request and returns what the model should read; throws ToolCallError when it failed. */
export async function sendRequest(request: PreparedRequest, signal: AbortSignal, options: ToolCallOptions = defaultResponseLimits): Promise<string> {
  const { body, headers } = await wireBody(request);
  let response: GuardedResponse;
  try {
    response = await guardedFetch(request.url.href, {
      method: request.method,
      headers,
      ...(body !== undefined ? { body } : {}),
      signal,
      timeoutMs: options.timeoutMs,
      maxBytes: options.maxBytes,
      maxRedirects: 0,
      // A redirect's body is not wanted, nor one that is binary by its declared type.
      readsBody: (status, responseHeaders) => !isRedirect(status) && !isBinary(contentTypeOf(responseHeaders)),
      keepsBodyReadBeforeTimeout: true,
      ...(options.resolveHost ? { resolveHost: options.resolveHost } : {}),
    });
  } catch (error) {
    if (signal.aborted) throw signal.reason ?? error;
    if (error instanceof GuardedFetchError && error.kind === 'timeout') {
      throw new ToolCallError(`${request.method} ${displayUrl(request.url)} did not answer within ${Math.round(options.timeoutMs / 1000)} s`);
    }
    throw new ToolCallError(`${request.method} ${displayUrl(request.url)} failed: ${(error as Error).message}`);
  }
  const text = responseText(response, options);
  const statusLine = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  if (isRedirect(response.status)) {
    throw new ToolCallError(`${statusLine}: the API redirects to ${firstHeader(response.headers.location) ?? 'another address'}, which Patchbay does not follow`, response.status);
  }
  if (response.status < 200 || response.status > 299) throw new ToolCallError(`${statusLine}\n${text}`, response.status);
  return text === '' ? `${statusLine} (empty body)` : text;
}

/** The body as bytes on the wire: a multipart form serialized, its boundary in the content type. */
async function wireBody(request: PreparedRequest): Promise<{ body?: string | Uint8Array; headers: Record<string, string> }> {
  if (!(request.body instanceof FormData)) return { ...(request.body !== undefined ? { body: request.body } : {}), headers: request.headers };
  const serialized = new Response(request.body);
  const body = new Uint8Array(await serialized.arrayBuffer());
  return { body, headers: { ...request.headers, 'content-type': serialized.headers.get('content-type')! } };
}

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
