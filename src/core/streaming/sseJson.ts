/**
 * SSE events -> JSON payloads. Some servers write `data:` lines back to back with no blank
 * line between events; the spec joins those into one multi-line payload, which is then not
 * valid JSON. When that happens each line is parsed on its own.
 */
import type { SseJsonItem } from '../api';
import { PatchbayError } from '../errors';
import { bodyChunks, type ByteSource } from './bodyChunks';
import { textLines } from './lines';
import { sseEvents } from './sse';

export async function* sseJson(body: ByteSource): AsyncGenerator<SseJsonItem> {
  for await (const event of sseEvents(textLines(bodyChunks(body)))) {
    for (const payload of splitPayload(event.data)) {
      if (payload === '[DONE]') yield { kind: 'done' };
      else yield { kind: 'data', value: parseJsonPayload(payload) };
    }
  }
}

function splitPayload(data: string): string[] {
  const trimmed = data.trim();
  if (trimmed === '') return [];
  if (!trimmed.includes('\n') || isJson(trimmed)) return [trimmed];
  return trimmed.split('\n').map((line) => line.trim()).filter((line) => line !== '');
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function parseJsonPayload(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    throw new PatchbayError('wrong-endpoint', `The server sent an event that is not JSON: ${excerpt(payload)}`, {
      hint: 'Check that the base URL points at an OpenAI-compatible API.',
    });
  }
}

export function excerpt(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
