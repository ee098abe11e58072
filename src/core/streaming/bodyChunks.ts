/**
 * Turns a fetch body into an async iterable of byte chunks. Leaving a `for await` early
 * cancels the reader, which aborts the underlying HTTP request.
 */
export type ByteSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

export async function* bodyChunks(source: ByteSource): AsyncGenerator<Uint8Array> {
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
