/**
 * Turns a fetch body into an async iterable of byte chunks. Leaving a `for await` early
 * cancels the reader, which aborts the underlying HTTP request. A body larger than
 * `wireLimits.maxBodyBytes` is cut off with an error rather than read into memory.
 */
import { megabytes, WireFormatError, wireLimits } from './wireError';

export type ByteSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

export async function* bodyChunks(source: ByteSource): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of rawChunks(source)) {
    total += chunk.byteLength;
    if (total > wireLimits.maxBodyBytes) {
      throw new WireFormatError('too-large', `The server sent more than ${megabytes(wireLimits.maxBodyBytes)} for one answer, so Patchbay stopped reading.`, true);
    }
    yield chunk;
  }
}

async function* rawChunks(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (!isReadableStream(source)) {
    yield* source;
    return;
  }
  const reader = source.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

function isReadableStream(source: ByteSource): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream<Uint8Array>).getReader === 'function';
}

/**
 * The first byte of the body that is not whitespace or a byte order mark (as a one-character
 * string, or undefined for an empty body), and the whole body to read on from the start.
 * Tells an HTML page or a plain JSON document from a stream before parsing it.
 */
export async function peekFirstByte(chunks: AsyncIterable<Uint8Array>): Promise<PeekedBody> {
  const iterator = chunks[Symbol.asyncIterator]();
  const seen: Uint8Array[] = [];
  let first: string | undefined;
  let position = 0;
  while (first === undefined) {
    const step = await iterator.next();
    if (step.done) break;
    seen.push(step.value);
    for (const byte of step.value) {
      const inBom = position < 3 && byte === [0xef, 0xbb, 0xbf][position];
      position++;
      if (inBom || byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
      first = String.fromCharCode(byte);
      break;
    }
  }
  async function* replay(): AsyncGenerator<Uint8Array> {
    try {
      yield* seen;
      for (;;) {
        const step = await iterator.next();
        if (step.done) return;
        yield step.value;
      }
    } finally {
      await iterator.return?.();
    }
  }
  return { first, chunks: replay(), close: async () => void (await iterator.return?.()) };
}

export interface PeekedBody {
  first: string | undefined;
  chunks: AsyncGenerator<Uint8Array>;
  /** Cancels the body when it is not read after all. */
  close(): Promise<void>;
}
