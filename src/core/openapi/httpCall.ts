/**
 * Turns a tool call into an HTTP request for its operation and its response into text for
 * the model. Requests go through the guarded fetch (no link-local or metadata addresses,
 * however the host name resolves; no redirects followed); responses are capped in size and
 * time; binary ones are described, not inlined; a secret is attached only when the request
 * goes to the API's own origin.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { guardedFetch, GuardedFetchError, type GuardedResponse, type HostResolver } from './guardedFetch';
import type { ArgumentBinding, Encoding, HttpMethod } from './operations';
import { cookiePieces, encodeQueryPair, encodeStrict, headerValue, pathValue, queryPairs, scalar } from './parameterStyles';

export interface PreparedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  /** Text, or a multipart form (sent with the boundary it is serialized with in its content type). */
  body?: string | FormData;
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

/** How calls are made: their limits and, for tests, how host names are resolved. */
export interface ToolCallOptions extends ResponseLimits {
  /** Tests give one so they never use real DNS; the system's resolver otherwise. */
  resolveHost?: HostResolver;
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

const FORM_TYPE = 'application/x-www-form-urlencoded';
const DOT_SEGMENT = /^(\.|%2e){1,2}$/i;

export function prepareRequest(
  method: HttpMethod,
  baseUrl: string,
  pathTemplate: string,
  bindings: readonly ArgumentBinding[],
  args: Record<string, unknown>,
  bodyContentType: string | undefined,
): PreparedRequest {
  const pathValues = new Map<string, { text: string; raw: unknown }>();
  const query: string[] = [];
  const headers: Record<string, string> = { accept: 'application/json, text/plain;q=0.9, */*;q=0.5' };
  const cookies: string[] = [];
  const bodyFields: [string, unknown, Encoding | undefined][] = [];
  let body: unknown;
  let bodyBinding: ArgumentBinding | undefined;
  let hasBody = false;
  for (const binding of bindings) {
    const value = args[binding.argument];
    if (value === undefined) continue;
    switch (binding.place) {
      case 'path':
        if (value !== null) pathValues.set(binding.name, { text: pathValue(binding.name, value, binding.encoding), raw: value });
        break;
      case 'query':
        for (const pair of queryPairs(binding.name, value, binding.encoding)) query.push(encodeQueryPair(pair, binding.encoding));
        break;
      case 'header':
        if (value !== null) headers[binding.name.toLowerCase()] = checkedHeader(binding.name, headerValue(value, binding.encoding));
        break;
      case 'cookie':
        if (value !== null) cookies.push(...cookiePieces(binding.name, value, binding.encoding));
        break;
      case 'bodyField':
      case 'formData':
        bodyFields.push([binding.name, value, binding.encoding]);
        hasBody = true;
        break;
      case 'body':
        body = value;
        bodyBinding = binding;
        hasBody = true;
        break;
    }
  }
  const path = fillPath(pathTemplate, pathValues);
  const base = baseUrl.replace(/\/+$/, '');
  const url = new URL(base + path);
  // The URL parser resolves dot segments (and reads "\" as "/"): whatever the values, the
  // call must reach as many segments as the operation's path has.
  const segments = (text: string) => text.split('/').length;
  if (segments(url.pathname) !== segments(new URL(base).pathname.replace(/\/+$/, '')) + segments(path) - 1) {
    throw new ToolCallError(`the path parameters would make ${displayUrl(url)} leave the operation's path ${pathTemplate}`);
  }
  if (query.length > 0) url.search = `${url.search ? `${url.search}&` : '?'}${query.join('&')}`;
  if (cookies.length > 0) headers['cookie'] = cookies.join('; ');
  const request: PreparedRequest = { method: method.toUpperCase(), url, headers };
  if (hasBody) {
    const contentType = bodyContentType ?? 'application/json';
    const fields = body !== undefined ? wholeBodyFields(body, bodyBinding) : bodyFields;
    if (/^multipart\//i.test(contentType) && fields) {
      // No content-type header yet: it names the boundary, chosen when the form is serialized.
      request.body = multipartBody(fields);
    } else if (contentType === FORM_TYPE && fields) {
      request.headers['content-type'] = FORM_TYPE;
      const form = new URLSearchParams();
      for (const [name, value, encoding] of fields) {
        for (const pair of queryPairs(name, value, encoding)) form.append(pair.name, pair.parts.join(pair.delimiter));
      }
      request.body = form.toString();
    } else {
      const payload = body !== undefined ? body : Object.fromEntries(bodyFields.map(([name, value]) => [name, value]));
      request.headers['content-type'] = contentType;
      request.body = typeof payload === 'string' && !/json/.test(contentType) ? payload : JSON.stringify(payload);
    }
  }
  return request;
}

/** Fills the path template; a parameter may not turn a segment into `.` or `..`. */
function fillPath(template: string, values: ReadonlyMap<string, { text: string; raw: unknown }>): string {
  return template
    .split('/')
    .map((segment) => {
      const names = [...segment.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
      if (names.length === 0) return segment;
      let filled = segment;
      for (const name of names) {
        const value = values.get(name);
        if (!value) throw new ToolCallError(`the path parameter "${name}" is missing`);
        filled = filled.replaceAll(`{${name}}`, value.text);
      }
      if (DOT_SEGMENT.test(filled)) {
        const name = names.find((candidate) => values.get(candidate)!.text !== '') ?? names[0]!;
        throw new ToolCallError(`the path parameter "${name}" cannot be ${JSON.stringify(scalar(values.get(name)!.raw))}: it would leave the operation's path`);
      }
      return filled;
    })
    .join('/');
}

/** HTTP header values are bytes: Latin-1 only, and no line breaks that would start another header. */
function checkedHeader(name: string, value: string): string {
  const outside = /[^\t\x20-\x7e\x80-\xff]/u.exec(value)?.[0];
  if (outside !== undefined && /[\x00-\x1f\x7f]/.test(outside)) {
    throw new ToolCallError(`the header parameter "${name}" cannot be sent: it contains a line break or control character`);
  }
  if (outside !== undefined) {
    throw new ToolCallError(`the header parameter "${name}" cannot be sent: "${outside}" is not a Latin-1 character, and HTTP header values allow only those`);
  }
  return value;
}

/** A whole-body argument sent as a form: its properties are the fields. */
function wholeBodyFields(body: unknown, binding: ArgumentBinding | undefined): [string, unknown, Encoding | undefined][] | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  return Object.entries(body as Record<string, unknown>).map(([name, value]) => [name, value, binding?.fields?.[name]]);
}

/** Files as file parts, arrays as one part per item, objects as JSON (or their declared type). */
function multipartBody(fields: readonly [string, unknown, Encoding | undefined][]): FormData {
  const form = new FormData();
  const append = (name: string, value: unknown, encoding: Encoding | undefined) => {
    const text = typeof value === 'string' ? value : scalar(value);
    if (encoding?.file) form.append(name, new Blob([text], { type: encoding.contentType ?? 'application/octet-stream' }), name);
    else if (encoding?.contentType && !/^text\/plain/i.test(encoding.contentType)) form.append(name, new Blob([text], { type: encoding.contentType }), name);
    else form.append(name, text);
  };
  for (const [name, value, encoding] of fields) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) append(name, item, encoding);
    else append(name, value, encoding);
  }
  return form;
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
      // Appended as text: rewriting the query through searchParams would re-encode the
      // delimiters the parameters' styles chose.
      if (auth.in === 'query') {
        const name = encodeStrict(auth.name ?? 'api_key');
        const others = request.url.search.slice(1).split('&').filter((pair) => pair !== '' && pair.split('=')[0] !== name);
        request.url.search = `?${[...others, `${name}=${encodeStrict(secret)}`].join('&')}`;
      }
      else if (auth.in === 'cookie') request.headers['cookie'] = [request.headers['cookie'], `${auth.name}=${encodeURIComponent(secret)}`].filter(Boolean).join('; ');
      else request.headers[(auth.name ?? 'x-api-key').toLowerCase()] = secret;
  }
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

function responseText(response: GuardedResponse, limits: ResponseLimits): string {
  const type = contentTypeOf(response.headers);
  const mediaType = type.split(';')[0]!.trim();
  const declaredLength = Number(response.headers['content-length'] ?? NaN);
  const sizeText = (bytes: number | undefined, cut: boolean) =>
    Number.isFinite(declaredLength) ? `, ${declaredLength.toLocaleString('en-US')} bytes` : bytes === undefined ? '' : `, ${cut ? 'more than ' : ''}${bytes.toLocaleString('en-US')} bytes`;
  if (isBinary(type)) return `(a binary response: ${type || 'unknown type'}${sizeText(undefined, false)}; not shown)`;
  const bytes = response.body;
  const received = bytes.byteLength;
  // Cut at the byte limit, or when the time ran out while the body was arriving.
  const cut = response.truncated;
  const decoder = textDecoderFor(type);
  // A server may call anything text: the bytes say what it really is.
  const sniffed = signatureType(bytes) ?? (decoder.encoding === 'utf-8' && !isUtf8Text(bytes) ? 'binary data' : undefined);
  if (sniffed !== undefined) {
    return `(a binary response: ${sniffed} by its content${mediaType ? `, declared as ${mediaType}` : ''}${sizeText(received, cut)}; not shown)`;
  }
  const text = decoder.decode(bytes);
  const total = Number.isFinite(declaredLength) ? declaredLength : cut ? undefined : received;
  if (text.length <= limits.maxChars && !cut) return text;
  const size = total !== undefined ? `${total.toLocaleString('en-US')} bytes in all` : `more than ${received.toLocaleString('en-US')} bytes`;
  return `${text.slice(0, limits.maxChars)}\n\n[Response cut for the model: ${size}; the first ${Math.min(text.length, limits.maxChars).toLocaleString('en-US')} characters are shown.]`;
}

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

function contentTypeOf(headers: IncomingHttpHeaders): string {
  return (headers['content-type'] ?? '').toLowerCase();
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The charset the content type names (ISO-8859-1, Shift_JIS...), or UTF-8. */
function textDecoderFor(contentType: string): TextDecoder {
  const charset = /;\s*charset="?([^";\s]+)"?/i.exec(contentType)?.[1];
  if (charset) {
    try {
      return new TextDecoder(charset);
    } catch {
      // A charset this runtime does not know: read it as UTF-8.
    }
  }
  return new TextDecoder('utf-8');
}

/** File signatures of common binary formats, checked against a response's first bytes. */
const SIGNATURES: [type: string, offset: number, bytes: readonly number[]][] = [
  ['image/png', 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/jpeg', 0, [0xff, 0xd8, 0xff]],
  ['image/gif', 0, [0x47, 0x49, 0x46, 0x38]],
  ['image/webp', 8, [0x57, 0x45, 0x42, 0x50]],
  ['application/pdf', 0, [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['application/zip', 0, [0x50, 0x4b, 0x03, 0x04]],
  ['application/gzip', 0, [0x1f, 0x8b]],
  ['application/x-7z-compressed', 0, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ['application/wasm', 0, [0x00, 0x61, 0x73, 0x6d]],
  ['audio/ogg', 0, [0x4f, 0x67, 0x67, 0x53]],
  ['video/mp4', 4, [0x66, 0x74, 0x79, 0x70]],
];

function signatureType(bytes: Uint8Array): string | undefined {
  return SIGNATURES.find(([, offset, signature]) => bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte))?.[0];
}

/** Text has no NUL bytes and is valid UTF-8 (a sequence cut at the end of what was read is fine). */
function isUtf8Text(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 64 * 1024);
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function isBinary(contentType: string): boolean {
  if (contentType === '') return false;
  if (/^(text\/|application\/([\w.+-]*\+)?(json|xml|yaml|x-yaml|javascript|x-www-form-urlencoded|graphql))/.test(contentType)) return false;
  return /^(image|audio|video|font)\/|^application\/(octet-stream|pdf|zip|gzip|x-tar|x-7z|vnd\.|msword|x-protobuf)/.test(contentType);
}

/** The URL as shown on approval cards and in messages: without query values that may be secret. */
export function displayUrl(url: URL): string {
  return `${url.origin}${url.pathname}${url.search ? `?${[...url.searchParams.keys()].map((key) => `${key}=…`).join('&')}` : ''}`;
}
