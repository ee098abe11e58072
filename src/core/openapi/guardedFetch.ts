/**
 * An HTTP(S) GET-or-other request for addresses that come from plugins and specs, not from
 * the user: the host name is resolved here and every address it resolves to is checked
 * (forbiddenAddress.ts) before connecting, and the connection goes to the checked address, so
 * a DNS answer that changes between check and connect cannot redirect it; redirects are
 * followed only within the same origin; the body is read only up to a byte limit; and a
 * failure says why (refused, DNS, timeout, TLS) instead of "fetch failed".
 *
 * Meant for everything Patchbay fetches on a plugin's say-so: spec loading and OpenAPI tool
 * calls use it.
 */
import { lookup } from 'node:dns/promises';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { forbiddenAddressReason } from './forbiddenAddress';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to. Replaceable in tests: they must not use real DNS. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface GuardedFetchOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Text, or bytes (a multipart form serialized with its boundary, for one). */
  body?: string | Uint8Array;
  signal?: AbortSignal;
  timeoutMs: number;
  /** Bytes of the (decompressed) body read at most; the rest is never read. */
  maxBytes: number;
  /** How many same-origin redirects to follow; 0 hands a redirect back as the response. */
  maxRedirects: number;
  resolveHost?: HostResolver;
  /** Whether a response's body is wanted; one that is not is left unread (an empty body). */
  readsBody?: (status: number, headers: IncomingHttpHeaders) => boolean;
  /**
   * When the time runs out while the body is being read: hand back what arrived (marked
   * truncated and timedOut) instead of failing with a timeout.
   */
  keepsBodyReadBeforeTimeout?: boolean;
}

export interface GuardedResponse {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  /** Where the body came from, after redirects. */
  url: string;
  body: Buffer;
  /** The body was longer than maxBytes and was cut there, or the time ran out while reading it. */
  truncated: boolean;
  /** The time ran out while the body was being read (only with keepsBodyReadBeforeTimeout). */
  timedOut: boolean;
}

export type GuardedFetchFailure = 'forbidden-address' | 'redirect' | 'connection-refused' | 'dns' | 'timeout' | 'tls' | 'network';

export class GuardedFetchError extends Error {
  constructor(readonly kind: GuardedFetchFailure, message: string) {
    super(message);
    this.name = 'GuardedFetchError';
  }
}

export const systemResolver: HostResolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));

export async function guardedFetch(url: string, options: GuardedFetchOptions): Promise<GuardedResponse> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const origin = new URL(url).origin;
  let current = new URL(url);
  let method = options.method ?? 'GET';
  let body = options.body;
  for (let redirects = 0; ; redirects++) {
    const response = await requestOnce(current, { ...options, method, ...(body !== undefined ? { body } : {}) }, signal, timeout);
    const location = response.status >= 300 && response.status < 400 ? headerValue(response.headers.location) : undefined;
    if (location === undefined || options.maxRedirects === 0) return response;
    const next = new URL(location, current);
    if (next.origin !== origin) {
      throw new GuardedFetchError('redirect', `redirects to ${next.origin}${next.pathname}, another origin; redirects are followed only within ${origin}`);
    }
    if (redirects >= options.maxRedirects) throw new GuardedFetchError('redirect', `redirects more than ${options.maxRedirects} times`);
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
    current = next;
  }
}

async function requestOnce(url: URL, options: GuardedFetchOptions, signal: AbortSignal, timeout: AbortSignal): Promise<GuardedResponse> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new GuardedFetchError('network', `${url.protocol} URLs are not fetched, only http: and https:`);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const targets = await checkedAddresses(hostname, options.resolveHost ?? systemResolver, timeout);
  // Every address was checked, so the connection may try each (localhost is ::1 and 127.0.0.1,
  // and a server often listens on only one of them).
  const pinned: LookupFunction = (_host, lookupOptions, callback) => {
    if (lookupOptions.all) (callback as unknown as (error: null, addresses: ResolvedAddress[]) => void)(null, targets);
    else callback(null, targets[0]!.address, targets[0]!.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br', ...options.headers };
  return new Promise<GuardedResponse>((resolve, reject) => {
    const fail = (error: unknown) => reject(describeFailure(error, url, timeout, options.timeoutMs));
    let reading: IncomingMessage | undefined;
    const request = client.request(
      url,
      { method: options.method ?? 'GET', headers, lookup: pinned, signal, ...(isIP(hostname) ? {} : { servername: hostname }) },
      (response) => {
        const status = response.statusCode ?? 0;
        const answered = (body: Buffer, truncated: boolean, timedOut: boolean) =>
          resolve({ status, statusText: response.statusMessage ?? '', headers: response.headers, url: url.href, body, truncated, timedOut });
        if (options.readsBody && !options.readsBody(status, response.headers)) {
          response.destroy();
          answered(Buffer.alloc(0), false, false);
          return;
        }
        reading = response;
        const keepOnTimeout = options.keepsBodyReadBeforeTimeout === true ? timeout : undefined;
        readBody(response, options.maxBytes, keepOnTimeout).then(({ body, truncated, timedOut }) => answered(body, truncated, timedOut), fail);
      },
    );
    // Once the body is being read, a failure (a timeout, a cancel) ends the read, which decides.
    request.on('error', (error) => (reading ? reading.destroy(error) : fail(error)));
    request.end(options.body);
  });
}

/** Resolves the host and checks every address it has; only these are connected to. */
async function checkedAddresses(hostname: string, resolveHost: HostResolver, timeout: AbortSignal): Promise<ResolvedAddress[]> {
  const literal = isIP(hostname);
  let addresses: ResolvedAddress[];
  if (literal) {
    addresses = [{ address: hostname, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await Promise.race([
        resolveHost(hostname),
        new Promise<never>((_resolve, reject) => timeout.addEventListener('abort', () => reject(timeout.reason as Error), { once: true })),
      ]);
    } catch (error) {
      if (timeout.aborted) throw new GuardedFetchError('timeout', `looking up ${hostname} took too long`);
      const code = (error as NodeJS.ErrnoException).code;
      throw new GuardedFetchError('dns', `the host name ${hostname} could not be resolved (DNS: ${code ?? (error as Error).message})`);
    }
    if (addresses.length === 0) throw new GuardedFetchError('dns', `the host name ${hostname} has no addresses (DNS)`);
  }
  for (const { address } of addresses) {
    const reason = forbiddenAddressReason(address);
    if (reason) {
      const shown = literal ? address : `${hostname} (${address})`;
      throw new GuardedFetchError('forbidden-address', `${shown} is ${reason}; Patchbay does not connect there`);
    }
  }
  return addresses;
}

/** Reads up to maxBytes; when `keepOnTimeout` runs out mid-body, what arrived is the body. */
async function readBody(response: IncomingMessage, maxBytes: number, keepOnTimeout: AbortSignal | undefined): Promise<{ body: Buffer; truncated: boolean; timedOut: boolean }> {
  const stream = decoded(response);
  const chunks: Buffer[] = [];
  let received = 0;
  let truncated = false;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const room = maxBytes - received;
      if (chunk.byteLength > room) {
        chunks.push(chunk.subarray(0, room));
        truncated = true;
        break;
      }
      chunks.push(chunk);
      received += chunk.byteLength;
    }
  } catch (error) {
    if (!keepOnTimeout?.aborted) throw error;
    return { body: Buffer.concat(chunks), truncated: true, timedOut: true };
  }
  // Leaving the loop early stops reading: the rest is never downloaded.
  if (truncated) response.destroy();
  return { body: Buffer.concat(chunks), truncated, timedOut: false };
}

/**
 * The body as the server meant it; the byte limit counts the decompressed bytes. Piped with
 * pipeline, so a connection that breaks off (a timeout, a cancel) ends the read with an error
 * instead of leaving the decompressor waiting for ever.
 */
function decoded(response: IncomingMessage): Readable {
  const decompressor = (() => {
    switch (String(response.headers['content-encoding'] ?? '').toLowerCase()) {
      case 'gzip':
      case 'x-gzip':
        return zlib.createGunzip();
      case 'deflate':
        return zlib.createInflate();
      case 'br':
        return zlib.createBrotliDecompress();
      default:
        return undefined;
    }
  })();
  // The error reaches the reader through the decompressor, which pipeline destroys with it.
  return decompressor ? pipeline(response, decompressor, () => undefined) : response;
}

function describeFailure(error: unknown, url: URL, timeout: AbortSignal, timeoutMs: number): Error {
  if (error instanceof GuardedFetchError) return error;
  if (timeout.aborted) return new GuardedFetchError('timeout', `no answer within ${timeoutMs >= 1000 ? Math.round(timeoutMs / 1000) : (timeoutMs / 1000).toFixed(1)} s`);
  const failure = error as NodeJS.ErrnoException;
  if (failure.name === 'AbortError') return failure;
  const code = failure.code ?? '';
  const where = url.host;
  if (code === 'ECONNREFUSED') return new GuardedFetchError('connection-refused', `connection refused: nothing listens at ${where}`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new GuardedFetchError('dns', `the host name ${url.hostname} could not be resolved (DNS: ${code})`);
  if (code === 'ETIMEDOUT') return new GuardedFetchError('timeout', `connecting to ${where} timed out`);
  if (/^(ERR_TLS|ERR_SSL|CERT_|EPROTO$)|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|DEPTH_ZERO/.test(code) || /SSL routines|wrong version number/i.test(failure.message)) {
    const plain = /wrong version number|packet length too long/i.test(failure.message) ? ' (the server may speak plain http:, not https:)' : '';
    const reason = /SSL routines:[^:]*:([^:]+)/.exec(failure.message)?.[1] ?? failure.message.split('\n')[0];
    return new GuardedFetchError('tls', `the TLS (https) connection to ${where} failed: ${reason}${code && !reason?.includes(code) ? ` (${code})` : ''}${plain}`);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') return new GuardedFetchError('network', `${where} closed the connection (${code})`);
  return new GuardedFetchError('network', `${where}: ${failure.message}${code ? ` (${code})` : ''}`);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
