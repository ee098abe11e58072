/**
 * Builders for response bodies in the wire formats local model servers really send
 * (see the shared notes on wire formats). Pure functions: the same input always gives the
 * same bytes, so tests can script quirky streams and compare exact results.
 *
 * - OpenAI-compatible `POST /v1/chat/completions` with `stream: true`: server-sent events,
 *   one `data: <chunk json>` per event, ending with `data: [DONE]`.
 * - Ollama's native `POST /api/chat`: NDJSON, one JSON object per line, ending with a
 *   `done: true` line.
 */
import type { WireStep } from './fakeModelServer';

/** 2025-01-01T00:00:00Z, so that `created` fields are stable. */
const FIXED_CREATED_SECONDS = 1_735_689_600;
const FIXED_CREATED_MS = FIXED_CREATED_SECONDS * 1000;

// ---------------------------------------------------------------------------------------
// OpenAI-compatible SSE
// ---------------------------------------------------------------------------------------

export interface OpenAiStreamOptions {
  /** Default 'fake-model'. */
  model?: string;
  /** Default 'chatcmpl-fake'. */
  id?: string;
  /** Reasoning deltas sent before the content, under `delta.reasoning_content` or `delta.reasoning`. */
  reasoning?: { field: 'reasoning_content' | 'reasoning'; pieces: string[] };
  /** A final chunk with `choices: []` and this usage (OpenAI's `stream_options.include_usage`). */
  includeUsage?: { prompt_tokens: number; completion_tokens: number };
  /** Default 'stop'. null: no finishing chunk, so the last chunk has `finish_reason: null` (Ollama's /v1). */
  finishReason?: string | null;
  /** Default true. false: the stream ends without `data: [DONE]`. */
  done?: boolean;
  /** Default '\n'. '\r' (lone CR) is allowed by the SSE spec too. */
  lineEnding?: '\n' | '\r\n' | '\r';
  /** Default true. false: `data:{...}`. */
  spaceAfterColon?: boolean;
  /** Default true. false: events are written back to back, with no blank line between them. */
  blankLineBetweenEvents?: boolean;
  /** Insert `: keep-alive` comment lines between events. */
  keepAliveComments?: boolean;
  /** Insert chunks with `choices: []` (one before the first chunk, one after the first content piece). */
  emptyChoicesChunks?: boolean;
  /** vLLM's extra fields: `prompt_token_ids` on the first chunk, `token_ids` and `stop_reason` on choices. */
  vllmExtras?: boolean;
  /** After the content, `data: {"error": {...}}` and the stream ends (no finish chunk, no usage, no [DONE]). */
  errorAfter?: { message: string; type?: string };
  /**
   * After the content, an `event: error` whose data is `{"message": ..., "code": ...}` (as
   * proxies in front of model servers send it), then `data: [DONE]`: the server closes the
   * stream in good order.
   */
  errorEvent?: { message: string };
  /** `delta.refusal` pieces sent after the content (OpenAI's structured refusals). */
  refusal?: string[];
  /**
   * A second choice (`index: 1`, as with `n: 2`) streaming its own pieces in the same chunks.
   * `first`: it comes before `index: 0` in the `choices` array.
   */
  secondChoice?: { pieces: string[]; first?: boolean };
  /** The body stops in the middle of the event after the last content piece (a connection closed mid-event). */
  cutMidEvent?: boolean;
  /**
   * How the very last event ends. Default: 'blank-line' when events are separated by blank
   * lines, else 'line-end'. 'none': the body stops right after the last payload.
   */
  endOfLastEvent?: 'blank-line' | 'line-end' | 'none';
}

type SseItem =
  | { type: 'data'; json: unknown; event?: string }
  | { type: 'comment'; text: string }
  | { type: 'done' }
  /** Raw text written as is, ending the body (a cut in the middle of an event). */
  | { type: 'raw'; text: string };

/** The chunk objects (and `[DONE]`/comments) of an OpenAI-style stream, before rendering. */
function openAiSseItems(contentPieces: string[], options: OpenAiStreamOptions): SseItem[] {
  const model = options.model ?? 'fake-model';
  const id = options.id ?? 'chatcmpl-fake';
  const vllm = options.vllmExtras === true;
  const items: SseItem[] = [];
  let tokenId = 1000;

  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    id,
    object: 'chat.completion.chunk',
    created: FIXED_CREATED_SECONDS,
    model,
    ...extra,
    choices,
  });
  const choice = (delta: Record<string, unknown>, finishReason: string | null): Record<string, unknown> => {
    const c: Record<string, unknown> = { index: 0, delta, logprobs: null, finish_reason: finishReason };
    if (vllm) {
      c.stop_reason = null;
      c.token_ids = finishReason === null ? [tokenId++] : [];
    }
    return c;
  };
  const data = (json: unknown): void => {
    items.push({ type: 'data', json });
  };
  const keepAlive = (): void => {
    if (options.keepAliveComments) items.push({ type: 'comment', text: 'keep-alive' });
  };

  if (options.emptyChoicesChunks) data(chunk([]));
  data(chunk([choice({ role: 'assistant', content: '' }, null)], vllm ? { prompt_token_ids: [1, 15043, 29892, 3186] } : {}));
  keepAlive();

  if (options.reasoning) {
    const field = options.reasoning.field;
    for (const piece of options.reasoning.pieces) {
      // DeepSeek sends `content: null` next to `reasoning_content`.
      const delta: Record<string, unknown> = field === 'reasoning_content' ? { content: null, [field]: piece } : { [field]: piece };
      data(chunk([choice(delta, null)]));
    }
    keepAlive();
  }

  const second = options.secondChoice;
  contentPieces.forEach((piece, index) => {
    const main = choice({ content: piece }, null);
    const otherPiece = second?.pieces[index];
    if (second && otherPiece !== undefined) {
      const other = { ...choice({ content: otherPiece }, null), index: 1 };
      data(chunk(second.first ? [other, main] : [main, other]));
    } else {
      data(chunk([main]));
    }
    if (index === 0 && options.emptyChoicesChunks) data(chunk([]));
    if (index % 3 === 2) keepAlive();
  });
  for (const piece of options.refusal ?? []) data(chunk([choice({ refusal: piece }, null)]));

  if (options.cutMidEvent) {
    const whole = JSON.stringify(chunk([choice({ content: ' and then' }, null)]));
    items.push({ type: 'raw', text: `data: ${whole.slice(0, Math.floor(whole.length / 2))}` });
    return items;
  }
  if (options.errorEvent) {
    items.push({ type: 'data', event: 'error', json: { message: options.errorEvent.message, code: 503 } });
    items.push({ type: 'done' });
    return items;
  }

  if (options.errorAfter) {
    data({ error: { message: options.errorAfter.message, type: options.errorAfter.type ?? 'server_error' } });
    return items;
  }

  const finishReason = options.finishReason === undefined ? 'stop' : options.finishReason;
  if (finishReason !== null) data(chunk([choice({}, finishReason)]));

  if (options.includeUsage) {
    const { prompt_tokens, completion_tokens } = options.includeUsage;
    data(chunk([], { usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens } }));
  }
  if (options.done !== false) items.push({ type: 'done' });
  return items;
}

/** The same stream as `openAiSseBody`, one string per event (or comment), each with its line ends. */
export function openAiSseEvents(contentPieces: string[], options: OpenAiStreamOptions = {}): string[] {
  const nl = options.lineEnding ?? '\n';
  const field = options.spaceAfterColon === false ? 'data:' : 'data: ';
  const blank = options.blankLineBetweenEvents !== false;
  const end = blank ? nl + nl : nl;
  const events = openAiSseItems(contentPieces, options).map((item) => {
    switch (item.type) {
      case 'data':
        return `${item.event === undefined ? '' : `event: ${item.event}${nl}`}${field}${JSON.stringify(item.json)}${end}`;
      case 'raw':
        return item.text;
      case 'comment':
        return `: ${item.text}${end}`;
      case 'done':
        return `${field}[DONE]${end}`;
    }
  });
  const last = events.length - 1;
  const lastEvent = events[last];
  if (lastEvent !== undefined && options.endOfLastEvent !== undefined) {
    const withoutEnd = lastEvent.slice(0, lastEvent.length - end.length);
    events[last] = options.endOfLastEvent === 'none' ? withoutEnd : options.endOfLastEvent === 'line-end' ? withoutEnd + nl : withoutEnd + nl + nl;
  }
  return events;
}

/** A whole OpenAI-compatible SSE response body streaming `contentPieces` as content deltas. */
export function openAiSseBody(contentPieces: string[], options: OpenAiStreamOptions = {}): string {
  return openAiSseEvents(contentPieces, options).join('');
}

/**
 * The JSON values a correct SSE parser yields for `openAiSseBody(contentPieces, options)`:
 * each chunk object, then the string '[DONE]' for the end marker. Comments are not included.
 */
export function openAiSsePayloads(contentPieces: string[], options: OpenAiStreamOptions = {}): unknown[] {
  return openAiSseItems(contentPieces, options).flatMap((item) =>
    item.type === 'data' && item.event === undefined ? [item.json] : item.type === 'done' ? ['[DONE]'] : [],
  );
}

export interface OpenAiCompletionOptions {
  model?: string;
  id?: string;
  finishReason?: string;
  usage?: { prompt_tokens: number; completion_tokens: number };
  reasoningContent?: string;
  /** `message.refusal` (content then null). */
  refusal?: string;
}

/** A non-streamed `chat.completion` object (the answer to `stream: false`). */
export function openAiCompletion(content: string, options: OpenAiCompletionOptions = {}): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: options.refusal === undefined ? content : null };
  if (options.reasoningContent !== undefined) message.reasoning_content = options.reasoningContent;
  if (options.refusal !== undefined) message.refusal = options.refusal;
  const completion: Record<string, unknown> = {
    id: options.id ?? 'chatcmpl-fake',
    object: 'chat.completion',
    created: FIXED_CREATED_SECONDS,
    model: options.model ?? 'fake-model',
    choices: [{ index: 0, message, logprobs: null, finish_reason: options.finishReason ?? 'stop' }],
  };
  if (options.usage) {
    const { prompt_tokens, completion_tokens } = options.usage;
    completion.usage = { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
  }
  return completion;
}

// ---------------------------------------------------------------------------------------
// Ollama native NDJSON
// ---------------------------------------------------------------------------------------

export interface OllamaStreamOptions {
  /** Default 'fake-llama:latest'. */
  model?: string;
  /** `message.thinking` pieces sent before the content. */
  thinking?: string[];
  /** Default 'stop'. */
  doneReason?: string;
  /** The final line has `done_reason` but no `done` field (newer servers). */
  omitDone?: boolean;
  /** After the content, a `{"error": "..."}` line, and the stream ends there. */
  errorAfter?: string;
  /** No final `done` line at all. */
  noFinalLine?: boolean;
  /** Default '\n'. */
  lineEnding?: '\n' | '\r\n';
  /** Default 26. */
  promptEvalCount?: number;
  /** A line that is not JSON (a proxy's or a crashed runner's text) after this many content lines. */
  invalidLine?: { after: number; text: string };
  /** The body stops in the middle of the line after the content (no final line). */
  cutMidLine?: boolean;
}

function createdAt(index: number): string {
  return new Date(FIXED_CREATED_MS + index * 37).toISOString();
}

/** The JSON objects of an Ollama `/api/chat` stream, one per line. */
export function ollamaNdjsonObjects(contentPieces: string[], options: OllamaStreamOptions = {}): Record<string, unknown>[] {
  const model = options.model ?? 'fake-llama:latest';
  const out: Record<string, unknown>[] = [];
  const thinking = options.thinking ?? [];
  for (const piece of thinking) {
    out.push({ model, created_at: createdAt(out.length), message: { role: 'assistant', content: '', thinking: piece }, done: false });
  }
  for (const piece of contentPieces) {
    out.push({ model, created_at: createdAt(out.length), message: { role: 'assistant', content: piece }, done: false });
  }
  if (options.errorAfter !== undefined) {
    out.push({ error: options.errorAfter });
    return out;
  }
  if (options.noFinalLine) return out;
  const evalCount = thinking.length + contentPieces.length;
  const final: Record<string, unknown> = {
    model,
    created_at: createdAt(out.length),
    message: { role: 'assistant', content: '' },
    done_reason: options.doneReason ?? 'stop',
  };
  if (!options.omitDone) final.done = true;
  Object.assign(final, {
    total_duration: 1_250_000_000 + evalCount * 20_000_000,
    load_duration: 45_000_000,
    prompt_eval_count: options.promptEvalCount ?? 26,
    prompt_eval_duration: 130_000_000,
    eval_count: evalCount,
    eval_duration: evalCount * 20_000_000,
  });
  out.push(final);
  return out;
}

/** The lines of an Ollama `/api/chat` stream, each with its line end. */
export function ollamaNdjsonLines(contentPieces: string[], options: OllamaStreamOptions = {}): string[] {
  const nl = options.lineEnding ?? '\n';
  const objects = ollamaNdjsonObjects(contentPieces, options.cutMidLine ? { ...options, noFinalLine: true } : options);
  const lines = objects.map((o) => JSON.stringify(o) + nl);
  const thinkingLines = options.thinking?.length ?? 0;
  if (options.invalidLine) lines.splice(thinkingLines + options.invalidLine.after, 0, options.invalidLine.text + nl);
  if (options.cutMidLine) {
    const next = JSON.stringify({ model: options.model ?? 'fake-llama:latest', created_at: createdAt(objects.length), message: { role: 'assistant', content: ' and then' }, done: false });
    lines.push(next.slice(0, Math.floor(next.length / 2)));
  }
  return lines;
}

/** A whole Ollama `/api/chat` NDJSON response body. */
export function ollamaNdjsonBody(contentPieces: string[], options: OllamaStreamOptions = {}): string {
  return ollamaNdjsonLines(contentPieces, options).join('');
}

/** A non-streamed Ollama `/api/chat` answer (`stream: false`). */
export function ollamaChatResponse(content: string, options: { model?: string; thinking?: string } = {}): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content };
  if (options.thinking !== undefined) message.thinking = options.thinking;
  return {
    model: options.model ?? 'fake-llama:latest',
    created_at: createdAt(0),
    message,
    done_reason: 'stop',
    done: true,
    total_duration: 1_250_000_000,
    load_duration: 45_000_000,
    prompt_eval_count: 26,
    prompt_eval_duration: 130_000_000,
    eval_count: Math.max(1, Math.ceil(content.length / 4)),
    eval_duration: 600_000_000,
  };
}

// ---------------------------------------------------------------------------------------
// Not the API
// ---------------------------------------------------------------------------------------

/** The page a web UI (or a reverse proxy) serves where a base URL without its API path leads. */
export function htmlPage(title: string): string {
  return `<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${title}</title></head>\n<body><div id="root">${title}</div></body>\n</html>\n`;
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/** Splits text into deltas of `size` characters (code points, so no surrogate pair is cut). */
export function splitIntoDeltas(text: string, size = 4): string[] {
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

/**
 * A body split into its events (SSE: everything up to and including each blank line) or,
 * when it has no blank lines (NDJSON, or SSE without blank lines), into its lines, each as
 * one 'write' step, with a 'delay' step between writes when `perWriteDelayMs` > 0.
 */
export function stepsFor(body: string, perWriteDelayMs?: number): WireStep[] {
  const pieces = splitBodyIntoWrites(body);
  const steps: WireStep[] = [];
  pieces.forEach((piece, index) => {
    if (index > 0 && perWriteDelayMs !== undefined && perWriteDelayMs > 0) steps.push({ kind: 'delay', ms: perWriteDelayMs });
    steps.push({ kind: 'write', data: piece });
  });
  return steps;
}

/** See `stepsFor`. Concatenating the result gives back `body`. */
export function splitBodyIntoWrites(body: string): string[] {
  // Lines with their terminators (LF, CRLF or lone CR).
  const lines = body.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
  const hasBlankLines = lines.some((line) => /^(?:\r\n|\r|\n)$/.test(line));
  if (!hasBlankLines) return lines;
  const out: string[] = [];
  let current = '';
  for (const line of lines) {
    current += line;
    if (/^(?:\r\n|\r|\n)$/.test(line)) {
      out.push(current);
      current = '';
    }
  }
  if (current !== '') out.push(current);
  return out;
}
