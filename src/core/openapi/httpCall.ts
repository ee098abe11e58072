/**
 * Turns a tool call into an HTTP request for its operation and its response into text for
 * the model. Responses are capped in size and time; binary ones are described, not
 * inlined; a secret is attached only when the request goes to the API's own origin.
 */
import type { ArgumentBinding, HttpMethod } from './operations';

export interface PreparedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export interface AuthRequirement {
  kind: 'bearer' | 'basic' | 'apiKey';
  /** For apiKey: where the key goes and under what name. */
  in?: 'header' | 'query' | 'cookie';
  name?: string;
  /** The plugin's secret setting holding the value. */
  secretField: string;
}

export interface ResponseLimits {
  timeoutMs: number;
  /** Bytes read from the response at most. */
  maxBytes: number;
  /** Characters of it the model is given at most. */
  maxChars: number;
}

// Below the tool runner's own cap for the model, so the note saying how much was cut survives.
export const defaultResponseLimits: ResponseLimits = { timeoutMs: 30_000, maxBytes: 1_000_000, maxChars: 12_000 };

/** An HTTP failure the model is told about (the call ran; the API said no). */
export class ToolCallError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'ToolCallError';
  }
}

export function prepareRequest(
  method: HttpMethod,
  baseUrl: string,
  pathTemplate: string,
  bindings: readonly ArgumentBinding[],
  args: Record<string, unknown>,
  bodyContentType: string | undefined,
): PreparedRequest {
  let path = pathTemplate;
  const query: [string, string][] = [];
  const headers: Record<string, string> = { accept: 'application/json, text/plain;q=0.9, */*;q=0.5' };
  const cookies: string[] = [];
  const bodyFields: Record<string, unknown> = {};
  let body: unknown;
  let hasBody = false;
  for (const binding of bindings) {
    const value = args[binding.argument];
    if (value === undefined) continue;
    switch (binding.place) {
      case 'path':
        path = path.replaceAll(`{${binding.name}}`, encodeURIComponent(scalar(value)));
        break;
      case 'query':
        for (const item of Array.isArray(value) ? value : [value]) query.push([binding.name, scalar(item)]);
        break;
      case 'header':
        headers[binding.name.toLowerCase()] = scalar(value);
        break;
      case 'cookie':
        cookies.push(`${binding.name}=${encodeURIComponent(scalar(value))}`);
        break;
      case 'bodyField':
      case 'formData':
        bodyFields[binding.name] = value;
        hasBody = true;
        break;
      case 'body':
        body = value;
        hasBody = true;
        break;
    }
  }
  const unfilled = /\{([^}]+)\}/.exec(path);
  if (unfilled) throw new ToolCallError(`the path parameter "${unfilled[1]}" is missing`);
  const url = new URL(baseUrl.replace(/\/+$/, '') + path);
  for (const [name, value] of query) url.searchParams.append(name, value);
  if (cookies.length > 0) headers['cookie'] = cookies.join('; ');
  const request: PreparedRequest = { method: method.toUpperCase(), url, headers };
  if (hasBody) {
    const payload = body !== undefined ? body : bodyFields;
    if (bodyContentType === 'application/x-www-form-urlencoded' || bindings.some((binding) => binding.place === 'formData')) {
      request.headers['content-type'] = 'application/x-www-form-urlencoded';
      request.body = new URLSearchParams(Object.entries(payload as Record<string, unknown>).map(([key, value]) => [key, scalar(value)])).toString();
    } else {
      request.headers['content-type'] = bodyContentType ?? 'application/json';
      request.body = typeof payload === 'string' && !/json/.test(request.headers['content-type']) ? payload : JSON.stringify(payload);
    }
  }
  return request;
}

/** Adds the secret to the request, but only for the API's own origin. */
export function applyAuth(request: PreparedRequest, auth: AuthRequirement, secret: string, trustedOrigin: string): void {
  if (request.url.origin !== trustedOrigin) {
    throw new ToolCallError(`refused to send the API key to ${request.url.origin}: it belongs to ${trustedOrigin}`);
  }
  switch (auth.kind) {
    case 'bearer':
      request.headers['authorization'] = `Bearer ${secret}`;
      return;
    case 'basic':
      request.headers['authorization'] = `Basic ${Buffer.from(secret).toString('base64')}`;
      return;
    case 'apiKey':
      if (auth.in === 'query') request.url.searchParams.set(auth.name ?? 'api_key', secret);
      else if (auth.in === 'cookie') request.headers['cookie'] = [request.headers['cookie'], `${auth.name}=${encodeURIComponent(secret)}`].filter(Boolean).join('; ');
      else request.headers[(auth.name ?? 'x-api-key').toLowerCase()] = secret;
  }
}

/** Sends the request and returns what the model should read; throws ToolCallError when it failed. */
export async function sendRequest(request: PreparedRequest, signal: AbortSignal, limits: ResponseLimits = defaultResponseLimits): Promise<string> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal: AbortSignal.any([signal, timeout]),
      redirect: 'manual',
    });
  } catch (error) {
    if (signal.aborted) throw error;
    if (timeout.aborted) throw new ToolCallError(`${request.method} ${displayUrl(request.url)} did not answer within ${Math.round(limits.timeoutMs / 1000)} s`);
    throw new ToolCallError(`${request.method} ${displayUrl(request.url)} failed: ${(error as Error).message}${(error as Error).cause ? ` (${String(((error as Error).cause as Error).message ?? (error as Error).cause)})` : ''}`);
  }
  const text = await readCapped(response, signal, timeout, limits);
  const statusLine = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  if (response.status >= 300 && response.status < 400) {
    throw new ToolCallError(`${statusLine}: the API redirects to ${response.headers.get('location') ?? 'another address'}, which Patchbay does not follow`, response.status);
  }
  if (!response.ok) throw new ToolCallError(`${statusLine}\n${text}`, response.status);
  return text === '' ? `${statusLine} (empty body)` : text;
}

async function readCapped(response: Response, signal: AbortSignal, timeout: AbortSignal, limits: ResponseLimits): Promise<string> {
  const type = (response.headers.get('content-type') ?? '').toLowerCase();
  const declaredLength = Number(response.headers.get('content-length') ?? NaN);
  if (isBinary(type)) {
    await response.body?.cancel().catch(() => undefined);
    return `(a binary response: ${type || 'unknown type'}${Number.isFinite(declaredLength) ? `, ${declaredLength.toLocaleString('en-US')} bytes` : ''}; not shown)`;
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let received = 0;
  let cut = false;
  try {
    for (;;) {
      if (signal.aborted || timeout.aborted) {
        cut = true;
        break;
      }
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      if (received >= limits.maxBytes) {
        cut = true;
        break;
      }
    }
  } catch (error) {
    if (signal.aborted) throw error;
    cut = true;
  } finally {
    if (cut) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  const text = new TextDecoder().decode(concat(chunks, Math.min(received, limits.maxBytes)));
  const total = Number.isFinite(declaredLength) ? declaredLength : cut ? undefined : received;
  if (text.length <= limits.maxChars && !cut) return text;
  const size = total !== undefined ? `${total.toLocaleString('en-US')} bytes in all` : `more than ${received.toLocaleString('en-US')} bytes`;
  return `${text.slice(0, limits.maxChars)}\n\n[Response cut for the model: ${size}; the first ${Math.min(text.length, limits.maxChars).toLocaleString('en-US')} characters are shown.]`;
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    if (offset >= length) break;
    const part = chunk.subarray(0, length - offset);
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

function isBinary(contentType: string): boolean {
  if (contentType === '') return false;
  if (/^(text\/|application\/([\w.+-]*\+)?(json|xml|yaml|x-yaml|javascript|x-www-form-urlencoded|graphql))/.test(contentType)) return false;
  return /^(image|audio|video|font)\/|^application\/(octet-stream|pdf|zip|gzip|x-tar|x-7z|vnd\.|msword|x-protobuf)/.test(contentType);
}

function scalar(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** The URL as shown on approval cards and in messages: without query values that may be secret. */
export function displayUrl(url: URL): string {
  return `${url.origin}${url.pathname}${url.search ? `?${[...url.searchParams.keys()].map((key) => `${key}=…`).join('&')}` : ''}`;
}
