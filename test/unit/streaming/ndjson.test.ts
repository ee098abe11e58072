import assert from 'node:assert/strict';
import { PatchbayError } from '../../../src/core/errors';
import { ndjson } from '../../../src/core/streaming/ndjson';
import { allSplits, bytewise, collect, collectUntilError, fromChunks, trackedStream, twoWaySplits, utf8 } from '../../support/chunking';
import { ollamaNdjsonBody, ollamaNdjsonLines, ollamaNdjsonObjects, type OllamaStreamOptions } from '../../support/wireFormats';

function parse(chunks: Uint8Array[]): Promise<unknown[]> {
  return collect(ndjson(fromChunks(chunks)));
}

function contentOf(values: unknown[], field: 'content' | 'thinking'): string {
  return values.map((v) => (v as { message?: Record<string, unknown> }).message?.[field] ?? '').join('');
}

const PIECES = ['héllo ', '🌍 ', '日本', '\n\n```python\n', 'print("hello")\n```\n'];

const CASES: Array<{ name: string; options: OllamaStreamOptions }> = [
  { name: 'tidy stream ending with done: true', options: {} },
  { name: 'thinking before the content', options: { thinking: ['Hmm, ', 'ünïcode 🤔 '] } },
  { name: 'done_reason without done', options: { omitDone: true, doneReason: 'length' } },
  { name: 'an error line mid-stream', options: { errorAfter: 'model runner has unexpectedly stopped' } },
  { name: 'no final line', options: { noFinalLine: true } },
  { name: 'CRLF line ends', options: { lineEnding: '\r\n' } },
];

describe('ndjson', () => {
  it('parses an Ollama stream into its objects, ending with the done line', async () => {
    const values = await parse([utf8.encode(ollamaNdjsonBody(['Hi', ' there'], { model: 'llama3.2:3b' }))]);
    assert.equal(values.length, 3);
    assert.equal(contentOf(values, 'content'), 'Hi there');
    const last = values[2] as Record<string, unknown>;
    assert.equal(last.done, true);
    assert.equal(last.done_reason, 'stop');
    assert.equal(last.model, 'llama3.2:3b');
    assert.equal(last.eval_count, 2);
    assert.equal(typeof last.total_duration, 'number');
  });

  for (const { name, options } of CASES) {
    it(`gives the same objects however the bytes are split: ${name}`, async () => {
      const bytes = utf8.encode(ollamaNdjsonBody(PIECES, options));
      const expected = ollamaNdjsonObjects(PIECES, options);
      const unsplit = await parse([bytes]);
      assert.deepEqual(unsplit, expected, 'unsplit parse');
      assert.equal(contentOf(unsplit, 'content'), PIECES.join(''));
      for (const split of allSplits(bytes)) {
        assert.deepEqual(await parse(split.chunks), expected, `${name}: ${split.label}`);
      }
    });
  }

  it('parses the last line even without a trailing line end', async () => {
    const body = ollamaNdjsonBody(PIECES).trimEnd();
    assert.ok(!body.endsWith('\n'));
    for (const split of [...twoWaySplits(utf8.encode(body)), bytewise(utf8.encode(body))]) {
      assert.deepEqual(await parse(split.chunks), ollamaNdjsonObjects(PIECES), split.label);
    }
  });

  it('skips blank and whitespace-only lines and trims spaces around a line', async () => {
    const body = '\n  {"a":1}  \r\n\r\n \t \n{"b":"日本"}\r\r\n';
    for (const split of allSplits(utf8.encode(body), 5)) {
      assert.deepEqual(await parse(split.chunks), [{ a: 1 }, { b: '日本' }], split.label);
    }
  });

  it('accepts lone CR line ends', async () => {
    const body = ollamaNdjsonLines(PIECES).map((line) => line.replace(/\n$/, '\r')).join('');
    for (const split of allSplits(utf8.encode(body), 5)) {
      assert.deepEqual(await parse(split.chunks), ollamaNdjsonObjects(PIECES), split.label);
    }
  });

  it('yields JSON values of any type, one per line', async () => {
    assert.deepEqual(await parse([utf8.encode('1\n"two"\nnull\n[3]\ntrue\n')]), [1, 'two', null, [3], true]);
  });

  describe('a line that is not JSON', () => {
    const body = '{"n":1}\n<html><body>502 Bad Gateway</body></html>\n{"n":2}\n';

    it('throws a server PatchbayError naming the line, after the values before it (the URL was right)', async () => {
      for (const split of [{ label: 'whole', chunks: [utf8.encode(body)] }, ...twoWaySplits(utf8.encode(body)), bytewise(utf8.encode(body))]) {
        const { items, error } = await collectUntilError(ndjson(fromChunks(split.chunks)));
        assert.deepEqual(items, [{ n: 1 }], split.label);
        assert.ok(error instanceof PatchbayError, split.label);
        assert.equal(error.kind, 'server');
        assert.ok(error.message.includes('502 Bad Gateway'), error.message);
      }
    });

    it('throws for SSE sent to an NDJSON reader', async () => {
      const { items, error } = await collectUntilError(ndjson(fromChunks([utf8.encode('data: {"n":1}\n\n')])));
      assert.deepEqual(items, []);
      assert.ok(error instanceof PatchbayError);
      assert.equal(error.kind, 'wrong-endpoint');
    });
  });

  it('accepts a ReadableStream and cancels it when the consumer stops early', async () => {
    const lines = ollamaNdjsonLines(PIECES).map((line) => utf8.encode(line));
    const full = trackedStream(lines);
    assert.deepEqual(await collect(ndjson(full.stream)), ollamaNdjsonObjects(PIECES));
    assert.equal(full.cancelled, false);

    const partial = trackedStream(lines);
    let seen = 0;
    for await (const value of ndjson(partial.stream)) {
      assert.equal(typeof value, 'object');
      if (++seen === 2) break;
    }
    assert.equal(partial.cancelled, true);
    assert.ok(partial.pulled < lines.length, `pulled ${partial.pulled} of ${lines.length}`);
  });
});

describe('ndjson: bodies that end or start unlike a tidy stream', () => {
  it('drops a last line the body stopped in the middle of', async () => {
    const body = utf8.encode(ollamaNdjsonBody(PIECES, { cutMidLine: true }));
    for (const split of [...twoWaySplits(body), bytewise(body)]) {
      const values = await parse(split.chunks);
      assert.equal(contentOf(values, 'content'), PIECES.join(''), split.label);
    }
  });

  it('reports an HTML page as the wrong endpoint before reading it as lines', async () => {
    const { items, error } = await collectUntilError(ndjson(fromChunks([utf8.encode('<!doctype html>\n<html><body>{"a":1}</body></html>\n')])));
    assert.deepEqual(items, []);
    assert.ok(error instanceof PatchbayError);
    assert.equal(error.kind, 'wrong-endpoint');
    assert.match(error.message, /HTML page/);
  });

  it('stops at a line longer than the limit', async () => {
    const huge = `{"message":{"content":"${'x'.repeat(9 * 1024 * 1024)}"}}\n`;
    const { items, error } = await collectUntilError(ndjson(fromChunks([utf8.encode('{"n":1}\n'), utf8.encode(huge)])));
    assert.deepEqual(items, [{ n: 1 }]);
    assert.ok(error instanceof PatchbayError);
    assert.match(error.message, /line longer than 8 MB/);
  });
});
