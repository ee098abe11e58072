/**
 * Bytes -> one JSON value per non-empty line (Ollama's native streaming format). An HTML page
 * is reported as such; a line that is not JSON is an error (never skipped: that would lose
 * part of the answer unseen), except an unfinished last line, which means the body was cut.
 */
import { bodyChunks, peekFirstByte, type ByteSource } from './bodyChunks';
import { lineRecords } from './lines';
import { excerpt, htmlPage } from './sseJson';
import { WireFormatError } from './wireError';

export async function* ndjson(body: ByteSource): AsyncGenerator<unknown> {
  const start = await peekFirstByte(bodyChunks(body));
  if (start.first === '<') {
    await start.close();
    throw htmlPage();
  }
  let delivered = false;
  for await (const line of lineRecords(start.chunks)) {
    const trimmed = line.text.trim();
    if (trimmed === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      if (!line.ended) return;
      throw new WireFormatError('not-json', `The server sent a line that is not JSON: ${excerpt(trimmed)}`, delivered, excerpt(trimmed));
    }
    delivered = true;
    yield value;
  }
}
