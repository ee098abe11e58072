/**
 * SSE events -> JSON payloads. Some servers write `data:` lines back to back with no blank
 * line between events; the spec joins those into one multi-line payload, which is then not
 * valid JSON. When that happens each line is parsed on its own.
 *
 * Before parsing, the start of the body is looked at: an HTML page is reported as such, and a
 * body that is plain JSON (a server that ignored `stream: true`, or a 200 carrying
 * `{"error": ...}`) is passed on as data. An `event: error` becomes an error item.
 */
import type { SseJsonItem } from '../api';
import { bodyChunks, peekFirstByte, type ByteSource } from './bodyChunks';
import { lineRecords, textLines } from './lines';
import { sseEvents } from './sse';
import { WireFormatError } from './wireError';

export async function* sseJson(body: ByteSource): AsyncGenerator<SseJsonItem> {
  const start = await peekFirstByte(bodyChunks(body));
  if (start.first === '<') {
    await start.close();
    throw htmlPage();
  }
  if (start.first === '{' || start.first === '[') {
    yield* plainJsonBody(start.chunks);
    return;
  }
  let delivered = false;
  for await (const event of sseEvents(textLines(start.chunks))) {
    if (event.event === 'error') {
      delivered = true;
      yield { kind: 'error', message: errorMessageOf(event.data) };
      continue;
    }
    for (const payload of splitPayload(event.data)) {
      if (payload === '[DONE]') {
        yield { kind: 'done' };
        continue;
      }
      const value = parseJson(payload);
      if (value === notJson) {
        // The body stopped in the middle of its last event: the spec drops that event.
        if (event.unfinished) return;
        throw new WireFormatError('not-json', `The server sent an event that is not JSON: ${excerpt(payload)}`, delivered, excerpt(payload));
      }
      delivered = true;
      yield { kind: 'data', value };
    }
  }
}

/** The whole body as one JSON value, or failing that one value per line. */
async function* plainJsonBody(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<SseJsonItem> {
  const lines = [];
  for await (const line of lineRecords(chunks)) lines.push(line);
  const whole = parseJson(lines.map((line) => line.text).join('\n'));
  if (whole !== notJson) {
    yield { kind: 'data', value: whole };
    return;
  }
  let delivered = false;
  for (const line of lines) {
    const text = line.text.trim();
    if (text === '') continue;
    const value = parseJson(text);
    if (value === notJson) {
      if (!line.ended) return;
      throw new WireFormatError('not-json', `The server sent a line that is not JSON: ${excerpt(text)}`, delivered, excerpt(text));
    }
    delivered = true;
    yield { kind: 'data', value };
  }
}

/** The server's words in an `event: error`: JSON like OpenAI's `{error: {message}}`, or plain text. */
function errorMessageOf(data: string): string {
  const value = parseJson(data.trim());
  if (value === notJson) return data.trim() || 'no details given';
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const inner = record['error'];
  for (const candidate of [
    typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>)['message'] : inner,
    record['message'],
    record['detail'],
  ]) {
    if (typeof candidate === 'string' && candidate.trim() !== '') return candidate.trim();
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function htmlPage(): WireFormatError {
  return new WireFormatError('html', 'The server answered with an HTML page instead of the API.', false);
}

function splitPayload(data: string): string[] {
  const trimmed = data.trim();
  if (trimmed === '') return [];
  if (!trimmed.includes('\n') || parseJson(trimmed) !== notJson) return [trimmed];
  return trimmed.split('\n').map((line) => line.trim()).filter((line) => line !== '');
}

const notJson = Symbol('not JSON');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return notJson;
  }
}

export function excerpt(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
