import assert from 'node:assert/strict';
import { bodyChunks } from '../../../src/core/streaming/bodyChunks';
import { wireLimits } from '../../../src/core/streaming/wireError';
import { collect, trackedStream, utf8 } from '../../support/chunking';

const CHUNKS = ['one', 'two', 'three', 'four'].map((s) => utf8.encode(s));
const text = (chunks: Uint8Array[]): string[] => chunks.map((c) => new TextDecoder().decode(c));

describe('bodyChunks', () => {
  describe('with a ReadableStream', () => {
    it('yields every chunk in order and does not cancel a stream read to the end', async () => {
      const tracked = trackedStream(CHUNKS);
      assert.deepEqual(text(await collect(bodyChunks(tracked.stream))), ['one', 'two', 'three', 'four']);
      assert.equal(tracked.cancelled, false);
      assert.equal(tracked.stream.locked, false);
    });

    it('cancels the stream when a for await is left early with break', async () => {
      const tracked = trackedStream(CHUNKS);
      const seen: Uint8Array[] = [];
      for await (const chunk of bodyChunks(tracked.stream)) {
        seen.push(chunk);
        if (seen.length === 2) break;
      }
      assert.deepEqual(text(seen), ['one', 'two']);
      assert.equal(tracked.cancelled, true);
      assert.equal(tracked.pulled, 2);
      assert.equal(tracked.stream.locked, false, 'the reader lock is released');
    });

    it('cancels the stream when the loop body throws', async () => {
      const tracked = trackedStream(CHUNKS);
      await assert.rejects(async () => {
        for await (const chunk of bodyChunks(tracked.stream)) {
          if (chunk.length > 0) throw new Error('consumer failed');
        }
      }, /consumer failed/);
      assert.equal(tracked.cancelled, true);
      assert.equal(tracked.pulled, 1);
    });

    it('cancels the stream when the generator is returned before the first chunk', async () => {
      const tracked = trackedStream(CHUNKS);
      const generator = bodyChunks(tracked.stream);
      const first = await generator.next();
      assert.equal(first.done, false);
      await generator.return(undefined);
      assert.equal(tracked.cancelled, true);
    });

    it('passes on an error of the stream', async () => {
      let sent = false;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (!sent) {
            sent = true;
            controller.enqueue(utf8.encode('partial'));
          } else {
            controller.error(new TypeError('terminated'));
          }
        },
      });
      const seen: string[] = [];
      await assert.rejects(async () => {
        for await (const chunk of bodyChunks(stream)) seen.push(new TextDecoder().decode(chunk));
      }, /terminated/);
      assert.deepEqual(seen, ['partial']);
    });
  });

  describe('with an async iterable', () => {
    it('yields its chunks and closes it when the loop is left early', async () => {
      let closed = false;
      let produced = 0;
      async function* source(): AsyncGenerator<Uint8Array> {
        try {
          for (const chunk of CHUNKS) {
            produced++;
            yield chunk;
          }
        } finally {
          closed = true;
        }
      }
      const seen: Uint8Array[] = [];
      for await (const chunk of bodyChunks(source())) {
        seen.push(chunk);
        break;
      }
      assert.deepEqual(text(seen), ['one']);
      assert.equal(produced, 1);
      assert.equal(closed, true);
    });

    it('yields every chunk of an iterable read to the end', async () => {
      async function* source(): AsyncGenerator<Uint8Array> {
        yield* CHUNKS;
      }
      assert.deepEqual(text(await collect(bodyChunks(source()))), ['one', 'two', 'three', 'four']);
    });
  });
});

describe('bodyChunks limits', () => {
  it('stops a body larger than the limit with a clear error, after yielding what fit', async () => {
    const megabyte = new Uint8Array(1024 * 1024);
    async function* tooMuch(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i <= wireLimits.maxBodyBytes / megabyte.byteLength; i++) yield megabyte;
    }
    let yielded = 0;
    await assert.rejects(
      (async () => {
        for await (const chunk of bodyChunks(tooMuch())) yielded += chunk.byteLength;
      })(),
      (error: Error & { kind?: string }) => /more than 64 MB/.test(error.message) && error.kind === 'server',
    );
    assert.equal(yielded, wireLimits.maxBodyBytes);
  });
});
