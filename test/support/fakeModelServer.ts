/**
 * A local fake model server for unit and end-to-end tests. It speaks the real wire formats
 * of an OpenAI-compatible server (vLLM / LM Studio / llama.cpp style `/v1/*`) and of
 * Ollama's native API (`/api/*`), records every request, and can play scripted responses
 * step by step: writes split into small pieces, delays, stalls and abrupt cuts.
 *
 * Plain Node `http`, no dependencies.
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  ollamaChatResponse,
  ollamaNdjsonBody,
  openAiCompletion,
  openAiSseBody,
  splitIntoDeltas,
  stepsFor,
} from './wireFormats';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  bodyText: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  json: unknown;
}

export type WireStep =
  | { kind: 'write'; data: string | Uint8Array }
  | { kind: 'delay'; ms: number }
  /** Stop writing but keep the connection open (until the client goes away or the server closes). */
  | { kind: 'stall' }
  /** Destroy the socket abruptly mid-response (no chunked terminator). */
  | { kind: 'cut' }
  /** Change the server's state at this point of the response (e.g. a pulled model appears). */
  | { kind: 'run'; action: () => void };

export interface ScriptedResponse {
  /** Default 200. */
  status?: number;
  /**
   * E.g. content-type, retry-after. Without a content-type the route's usual one is used
   * (SSE / NDJSON / JSON, and JSON for status >= 400); a header whose value is '' is not sent.
   */
  headers?: Record<string, string>;
  steps: WireStep[];
  /**
   * Split every 'write' into pieces of this many bytes, each written separately with a flush
   * between, so clients really receive split chunks. 1 = every byte.
   */
  chunkSize?: number;
  /**
   * By default the status line and headers are sent at once, before the first step, so a
   * 'stall' or 'cut' happens mid-response. true: they go out with the first write instead
   * (or never, when the script stalls or cuts before writing anything).
   */
  holdHeaders?: boolean;
}

/** Returns undefined for the default behaviour. */
export type ChatHandler = (request: RecordedRequest) => ScriptedResponse | undefined;

export interface FakeOpenAiModel {
  id: string;
  max_model_len?: number;
}

export interface FakeOllamaModel {
  name: string;
  /** Reported by /api/show as `<family>.context_length`; left out when undefined. */
  contextLength?: number;
  /** Default ['completion']. */
  capabilities?: string[];
  /** Default 'llama'; also the architecture in /api/show. */
  family?: string;
  /** Default '8.0B'. */
  parameterSize?: string;
  /** Default 'Q4_K_M'. */
  quantization?: string;
}

/** The deterministic answer of the default chat behaviour. */
export function fakeAnswerFor(lastUserText: string): string {
  return `You said: ${lastUserText}\n\nHere is some code:\n\n\`\`\`python\nprint("hello")\n\`\`\`\n`;
}

/** Deltas of the default answer for the slow models (see `isSlowModel`): one every `slowDeltaMs`. */
export function slowAnswerPieces(lastUserText: string): string[] {
  const pieces = [`You said: ${lastUserText}\n\n`, 'Counting slowly:'];
  for (let i = 1; i <= SLOW_DELTA_COUNT; i++) pieces.push(` ${i}`);
  pieces.push('\n');
  return pieces;
}

/** Models whose name is `fake-slow` (or starts with `fake-slow:`) stream for more than a minute. */
export function isSlowModel(model: string): boolean {
  return model === 'fake-slow' || model.startsWith('fake-slow:');
}

const SLOW_DELTA_COUNT = 700;
const FIXED_MODIFIED_AT = '2025-01-01T00:00:00Z';
const FIXED_CREATED = 1_735_689_600;

export class FakeModelServer {
  readonly url: string;
  readonly openAiBaseUrl: string;
  readonly requests: RecordedRequest[] = [];
  openAiModels: FakeOpenAiModel[] = [{ id: 'fake-model' }, { id: 'fake-slow' }];
  ollamaModels: FakeOllamaModel[] = [{ name: 'fake-llama:latest', contextLength: 8192, capabilities: ['completion'] }];
  /** For POST /v1/chat/completions and POST /api/chat. */
  onChat: ChatHandler | undefined;
  /** For GET /v1/models and GET /api/tags. */
  onModels: ChatHandler | undefined;
  /** When set, /v1/* answers 401 unless `Authorization: Bearer <key>`. Checked before the handlers. */
  requiredApiKey: string | undefined;
  /** Pause between the deltas of the default (fast) answer. */
  deltaDelayMs = 5;
  /** Pause between the deltas of the slow models' answer. */
  slowDeltaMs = 100;
  /** Responses the client closed before they were over (a Stop that reached the server). */
  closedByClient = 0;
  /** Progress lines of a pull and the pause between them. */
  pullSteps = 8;
  pullStepMs = 150;

  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly running = new Set<AbortController>();
  private closing: Promise<void> | undefined;

  private constructor(server: http.Server, url: string) {
    this.server = server;
    this.url = url;
    this.openAiBaseUrl = `${url}/v1`;
  }

  static async start(options: { port?: number; host?: string } = {}): Promise<FakeModelServer> {
    const host = options.host ?? '127.0.0.1';
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    const hostInUrl = address.family === 'IPv6' || host.includes(':') ? `[${address.address}]` : address.address;
    const fake = new FakeModelServer(server, `http://${hostInUrl}:${address.port}`);
    server.on('connection', (socket) => {
      socket.setNoDelay(true);
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    server.on('request', (req, res) => fake.handle(req, res));
    return fake;
  }

  /** Stops listening, ends running scripts and destroys every open connection (stalled ones too). */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const controller of this.running) controller.abort();
      this.running.clear();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      for (const socket of this.sockets) socket.destroy();
      this.sockets.clear();
    });
    return this.closing;
  }

  // -------------------------------------------------------------------------------------

  /** Requests whose response is not over yet (stalled and slow ones included). Drops when a client goes away. */
  get activeResponses(): number {
    return this.running.size;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    // Aborted when the response is over: finished, the client went away, or the server closes.
    const controller = new AbortController();
    if (this.closing) controller.abort();
    this.running.add(controller);
    res.on('close', () => {
      if (!res.writableFinished && !this.closing) this.closedByClient++;
      controller.abort();
      this.running.delete(controller);
    });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => undefined);
    req.on('end', () => {
      const bodyText = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: { ...req.headers },
        bodyText,
        json: parseJson(bodyText),
      };
      this.requests.push(recorded);
      this.route(recorded, res, controller.signal).catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end(`fake model server failed: ${String(error)}`);
        } else {
          res.destroy();
        }
      });
    });
  }

  private async route(request: RecordedRequest, res: http.ServerResponse, signal: AbortSignal): Promise<void> {
    const pathname = new URL(request.path, 'http://fake').pathname.replace(/\/+$/, '') || '/';
    const method = request.method.toUpperCase();

    if (pathname.startsWith('/v1/') && this.requiredApiKey !== undefined) {
      const auth = headerValue(request.headers.authorization);
      if (auth !== `Bearer ${this.requiredApiKey}`) {
        const message =
          auth === undefined
            ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
            : 'Incorrect API key provided.';
        return this.sendJson(res, signal, 401, { error: { message, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
      }
    }

    if (method === 'GET' && pathname === '/v1/models') {
      return this.play(res, signal, this.onModels?.(request), 'application/json', () => this.openAiModelList());
    }
    if (method === 'POST' && pathname === '/v1/chat/completions') {
      const streaming = isRecord(request.json) && request.json.stream === true;
      const contentType = streaming ? 'text/event-stream' : 'application/json';
      return this.play(res, signal, this.onChat?.(request), contentType, () => this.openAiChat(request));
    }
    if (method === 'GET' && pathname === '/api/version') {
      return this.sendJson(res, signal, 200, { version: '0.12.6' });
    }
    if (method === 'GET' && pathname === '/api/tags') {
      return this.play(res, signal, this.onModels?.(request), 'application/json', () => this.ollamaTags());
    }
    if (method === 'POST' && pathname === '/api/show') {
      return this.play(res, signal, undefined, 'application/json', () => this.ollamaShow(request));
    }
    if (method === 'POST' && pathname === '/api/pull') {
      return this.play(res, signal, undefined, 'application/x-ndjson', () => this.ollamaPull(request));
    }
    if (method === 'DELETE' && pathname === '/api/delete') {
      const name = isRecord(request.json) ? String(request.json.model ?? request.json.name ?? '') : '';
      const found = this.findOllamaModel(name);
      if (!found) return this.sendJson(res, signal, 404, { error: `model '${name}' not found` });
      this.ollamaModels = this.ollamaModels.filter((model) => model !== found);
      res.writeHead(200).end();
      return;
    }
    if (method === 'POST' && pathname === '/api/chat') {
      const streaming = !(isRecord(request.json) && request.json.stream === false);
      const contentType = streaming ? 'application/x-ndjson' : 'application/json';
      return this.play(res, signal, this.onChat?.(request), contentType, () => this.ollamaChat(request));
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('404 page not found');
  }

  private sendJson(res: http.ServerResponse, signal: AbortSignal, status: number, body: unknown): Promise<void> {
    return this.run(res, signal, jsonResponse(status, body), 'application/json');
  }

  private play(
    res: http.ServerResponse,
    signal: AbortSignal,
    scripted: ScriptedResponse | undefined,
    contentType: string,
    fallback: () => ScriptedResponse,
  ): Promise<void> {
    return this.run(res, signal, scripted ?? fallback(), contentType);
  }

  // ----- default answers -----------------------------------------------------------------

  private openAiModelList(): ScriptedResponse {
    return jsonResponse(200, {
      object: 'list',
      data: this.openAiModels.map((m) => ({
        id: m.id,
        object: 'model',
        created: FIXED_CREATED,
        owned_by: 'fake',
        ...(m.max_model_len !== undefined ? { max_model_len: m.max_model_len } : {}),
      })),
    });
  }

  private openAiChat(request: RecordedRequest): ScriptedResponse {
    const body = request.json;
    if (!isRecord(body)) {
      return jsonResponse(400, { error: { message: 'The request body is not valid JSON.', type: 'BadRequestError', code: 400 } });
    }
    const model = typeof body.model === 'string' ? body.model : '';
    if (!this.openAiModels.some((m) => m.id === model)) {
      return jsonResponse(404, { error: { message: `The model \`${model}\` does not exist.`, type: 'NotFoundError', code: 404 } });
    }
    const userText = lastUserText(body.messages);
    const slow = isSlowModel(model);
    const pieces = slow ? slowAnswerPieces(userText) : splitIntoDeltas(fakeAnswerFor(userText), 4);
    const usage = { prompt_tokens: promptTokens(body.messages), completion_tokens: pieces.length };
    const id = `chatcmpl-fake-${this.requests.length}`;
    if (body.stream !== true) {
      const completion = openAiCompletion(pieces.join(''), { model, id, usage });
      const response = jsonResponse(200, completion);
      if (slow) response.steps.unshift({ kind: 'delay', ms: this.slowDeltaMs * pieces.length });
      return response;
    }
    const streamOptions = body.stream_options;
    const includeUsage = isRecord(streamOptions) && streamOptions.include_usage === true;
    const sse = openAiSseBody(pieces, { model, id, ...(includeUsage ? { includeUsage: usage } : {}) });
    return {
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
      steps: stepsFor(sse, slow ? this.slowDeltaMs : this.deltaDelayMs),
    };
  }

  private findOllamaModel(name: unknown): FakeOllamaModel | undefined {
    if (typeof name !== 'string' || name === '') return undefined;
    const full = name.includes(':') ? name : `${name}:latest`;
    return this.ollamaModels.find((m) => m.name === name || m.name === full);
  }

  private ollamaDetails(m: FakeOllamaModel): Record<string, unknown> {
    const family = m.family ?? 'llama';
    return {
      parent_model: '',
      format: 'gguf',
      family,
      families: [family],
      parameter_size: m.parameterSize ?? '8.0B',
      quantization_level: m.quantization ?? 'Q4_K_M',
    };
  }

  private ollamaTags(): ScriptedResponse {
    return jsonResponse(200, {
      models: this.ollamaModels.map((m) => ({
        name: m.name,
        model: m.name,
        modified_at: FIXED_MODIFIED_AT,
        size: 4_920_753_328,
        digest: createHash('sha256').update(m.name).digest('hex'),
        details: this.ollamaDetails(m),
      })),
    });
  }

  private ollamaShow(request: RecordedRequest): ScriptedResponse {
    const body = isRecord(request.json) ? request.json : {};
    const name = body.model ?? body.name;
    const m = this.findOllamaModel(name);
    if (!m) return jsonResponse(404, { error: `model '${String(name ?? '')}' not found` });
    const arch = m.family ?? 'llama';
    const modelInfo: Record<string, unknown> = { 'general.architecture': arch, 'general.parameter_count': 8_030_261_248 };
    if (m.contextLength !== undefined) modelInfo[`${arch}.context_length`] = m.contextLength;
    return jsonResponse(200, {
      license: '',
      modelfile: `FROM ${m.name}\n`,
      parameters: '',
      template: '{{ .Prompt }}',
      details: this.ollamaDetails(m),
      model_info: modelInfo,
      capabilities: m.capabilities ?? ['completion'],
      modified_at: FIXED_MODIFIED_AT,
    });
  }

  /** Progress lines like Ollama's, one every `pullStepMs`; the model is listed once the pull succeeds. */
  private ollamaPull(request: RecordedRequest): ScriptedResponse {
    const body = isRecord(request.json) ? request.json : {};
    const name = String(body.model ?? body.name ?? '');
    if (!/^[\w.-]+(:[\w.-]+)?$/.test(name)) return jsonResponse(400, { error: `invalid model name "${name}"` });
    const total = 4_000_000;
    const lines: object[] = [{ status: 'pulling manifest' }];
    for (let step = 0; step <= this.pullSteps; step++) {
      lines.push({ status: 'pulling 6a0746a1ec1a', digest: 'sha256:6a0746a1ec1a', total, completed: Math.round((total * step) / this.pullSteps) });
    }
    lines.push({ status: 'verifying sha256 digest' }, { status: 'writing manifest' }, { status: 'success' });
    const fullName = name.includes(':') ? name : `${name}:latest`;
    return {
      status: 200,
      headers: { 'content-type': 'application/x-ndjson' },
      steps: lines.flatMap((line, index): WireStep[] => [
        ...(index === lines.length - 1
          ? [{ kind: 'run' as const, action: () => void (this.ollamaModels.some((model) => model.name === fullName) || this.ollamaModels.push({ name: fullName, contextLength: 4096 })) }]
          : []),
        { kind: 'write', data: `${JSON.stringify(line)}\n` },
        { kind: 'delay', ms: index === lines.length - 1 ? 0 : this.pullStepMs },
      ]),
    };
  }

  private ollamaChat(request: RecordedRequest): ScriptedResponse {
    const body = request.json;
    if (!isRecord(body)) return jsonResponse(400, { error: 'invalid request body' });
    const m = this.findOllamaModel(body.model);
    if (!m) return jsonResponse(404, { error: `model "${String(body.model ?? '')}" not found, try pulling it first` });
    const userText = lastUserText(body.messages);
    const slow = isSlowModel(m.name);
    const pieces = slow ? slowAnswerPieces(userText) : splitIntoDeltas(fakeAnswerFor(userText), 4);
    if (body.stream === false) {
      const response = jsonResponse(200, ollamaChatResponse(pieces.join(''), { model: m.name }));
      if (slow) response.steps.unshift({ kind: 'delay', ms: this.slowDeltaMs * pieces.length });
      return response;
    }
    const ndjson = ollamaNdjsonBody(pieces, { model: m.name, promptEvalCount: promptTokens(body.messages) });
    return {
      status: 200,
      headers: { 'content-type': 'application/x-ndjson' },
      steps: stepsFor(ndjson, slow ? this.slowDeltaMs : this.deltaDelayMs),
    };
  }

  // ----- playing a script -----------------------------------------------------------------

  private async run(res: http.ServerResponse, signal: AbortSignal, script: ScriptedResponse, defaultContentType: string): Promise<void> {
    const status = script.status ?? 200;
    const headers: Record<string, string> = {};
    const given = Object.fromEntries(Object.entries(script.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    if (given['content-type'] === undefined) {
      headers['content-type'] = status >= 400 ? 'application/json' : defaultContentType;
    }
    for (const [name, value] of Object.entries(given)) {
      if (value === '') delete headers[name];
      else headers[name] = value;
    }
    if (signal.aborted) return;
    res.statusCode = status;
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (!script.holdHeaders) res.flushHeaders();

    const chunkSize = script.chunkSize !== undefined && script.chunkSize > 0 ? Math.floor(script.chunkSize) : undefined;
    for (const step of script.steps) {
      if (signal.aborted) return;
      switch (step.kind) {
        case 'write': {
          const bytes = typeof step.data === 'string' ? Buffer.from(step.data, 'utf8') : Buffer.from(step.data);
          if (chunkSize === undefined) {
            await writeAndFlush(res, bytes, signal);
          } else {
            for (let offset = 0; offset < bytes.length && !signal.aborted; offset += chunkSize) {
              await writeAndFlush(res, bytes.subarray(offset, offset + chunkSize), signal);
            }
          }
          break;
        }
        case 'delay':
          await sleep(step.ms, signal);
          break;
        case 'stall':
          await new Promise<void>((resolve) => {
            if (signal.aborted) resolve();
            else signal.addEventListener('abort', () => resolve(), { once: true });
          });
          return;
        case 'cut':
          // Whatever was written has been flushed (see writeAndFlush); closing the socket now
          // leaves the chunked body without its terminator.
          await flushed(res);
          res.socket?.destroy();
          return;
        case 'run':
          step.action();
          break;
      }
    }
    if (!signal.aborted) res.end();
  }
}

// ---------------------------------------------------------------------------------------

function jsonResponse(status: number, body: unknown): ScriptedResponse & { steps: WireStep[] } {
  return { status, headers: { 'content-type': 'application/json' }, steps: [{ kind: 'write', data: JSON.stringify(body) }] };
}

/** Writes one piece and waits until it has been handed to the socket, then yields a turn of the event loop. */
async function writeAndFlush(res: http.ServerResponse, bytes: Uint8Array, signal: AbortSignal): Promise<void> {
  if (bytes.length === 0 || signal.aborted) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    try {
      res.write(bytes, () => done());
    } catch {
      done();
    }
  });
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Waits until the socket has handed everything written so far to the kernel. */
async function flushed(res: http.ServerResponse): Promise<void> {
  const socket = res.socket;
  if (socket && !socket.destroyed && socket.writableLength > 0) {
    await new Promise<void>((resolve) => {
      socket.once('drain', resolve);
      socket.once('close', resolve);
    });
  }
  await new Promise<void>((resolve) => setImmediate(resolve));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(finish, ms);
    function finish(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    }
    signal.addEventListener('abort', finish, { once: true });
  });
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Text of the last user message; OpenAI content may be a string or an array of parts. */
function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const message: unknown = messages[i];
    if (isRecord(message) && message.role === 'user') return contentText(message.content);
  }
  return '';
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) => (isRecord(part) && part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
      .join('');
  }
  return '';
}

/** A rough, deterministic token count of all messages (words). */
function promptTokens(messages: unknown): number {
  if (!Array.isArray(messages)) return 0;
  let count = 0;
  for (const message of messages) {
    if (isRecord(message)) count += contentText(message.content).split(/\s+/).filter((w) => w !== '').length + 4;
  }
  return count;
}
