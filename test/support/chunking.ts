/**
 * Ways of cutting a byte body into chunks, for testing that stream parsers give the same
 * result however the network splits the bytes.
 */

export const utf8 = new TextEncoder();

export interface Split {
  /** For assertion messages: where the body was cut. */
  label: string;
  chunks: Uint8Array[];
}

/** The body cut in two at every offset from 0 to its length (so the first and last include an empty chunk). */
export function* twoWaySplits(bytes: Uint8Array): Generator<Split> {
  for (let at = 0; at <= bytes.length; at++) {
    yield { label: `split at byte ${at} of ${bytes.length}`, chunks: [bytes.slice(0, at), bytes.slice(at)] };
  }
}

/** One byte per chunk. */
export function bytewise(bytes: Uint8Array): Split {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i++) chunks.push(bytes.slice(i, i + 1));
  return { label: 'one byte per chunk', chunks };
}

/** `count` splits into random pieces of 1..maxPiece bytes, from a fixed seed (so failures reproduce). */
export function* randomSplits(bytes: Uint8Array, count: number, maxPiece = 7, seed = 0x5eed): Generator<Split> {
  let state = seed >>> 0;
  const next = (): number => {
    // xorshift32
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  for (let n = 0; n < count; n++) {
    const chunks: Uint8Array[] = [];
    const cuts: number[] = [];
    for (let offset = 0; offset < bytes.length; ) {
      const size = 1 + (next() % maxPiece);
      chunks.push(bytes.slice(offset, offset + size));
      offset += size;
      cuts.push(offset);
    }
    yield { label: `random split #${n} (cuts at ${cuts.slice(0, -1).join(',')})`, chunks };
  }
}

/** Every way of splitting worth trying: whole, two chunks at every offset, one byte per chunk, some random ones. */
export function* allSplits(bytes: Uint8Array, randomCount = 20): Generator<Split> {
  yield { label: 'whole body in one chunk', chunks: [bytes] };
  yield* twoWaySplits(bytes);
  yield bytewise(bytes);
  yield* randomSplits(bytes, randomCount);
}

/** An async iterable over the given chunks (what `for await` over a Node stream gives). */
export async function* fromChunks(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

export interface TrackedStream {
  stream: ReadableStream<Uint8Array>;
  /** How many chunks the consumer has pulled so far. */
  readonly pulled: number;
  /** Whether the stream's underlying source was cancelled, and with what reason. */
  readonly cancelled: boolean;
  readonly cancelReason: unknown;
}

/** A ReadableStream (like a fetch body) serving `chunks` on demand, recording cancellation. */
export function trackedStream(chunks: Uint8Array[]): TrackedStream {
  let index = 0;
  const state = { pulled: 0, cancelled: false, cancelReason: undefined as unknown };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = chunks[index++];
        if (chunk === undefined) {
          controller.close();
          return;
        }
        state.pulled++;
        controller.enqueue(chunk);
      },
      cancel(reason) {
        state.cancelled = true;
        state.cancelReason = reason;
      },
    },
    { highWaterMark: 0 },
  );
  return {
    stream,
    get pulled() {
      return state.pulled;
    },
    get cancelled() {
      return state.cancelled;
    },
    get cancelReason() {
      return state.cancelReason;
    },
  };
}

/** Collects an async iterable; if it throws, returns what came before and the error. */
export async function collectUntilError<T>(source: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
  const items: T[] = [];
  try {
    for await (const item of source) items.push(item);
  } catch (error) {
    return { items, error };
  }
  return { items, error: undefined };
}

export async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

/**
 * The lines a correct line splitter gives for `text`: split at LF, CRLF or lone CR; the text
 * after the last line end is a line only if it is not empty. A leading BOM is dropped.
 * Written independently of src/core/streaming/lines.ts, as a reference.
 */
export function referenceLines(text: string): string[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const parts = body.split(/\r\n|\r|\n/);
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}
