/** Bytes -> one JSON value per non-empty line (Ollama's native streaming format). */
import { PatchbayError } from '../errors';
import { bodyChunks, type ByteSource } from './bodyChunks';
import { textLines } from './lines';
import { excerpt } from './sseJson';

export async function* ndjson(body: ByteSource): AsyncGenerator<unknown> {
  for await (const line of textLines(bodyChunks(body))) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    try {
      yield JSON.parse(trimmed);
    } catch {
      throw new PatchbayError('wrong-endpoint', `The server sent a line that is not JSON: ${excerpt(trimmed)}`);
    }
  }
}
