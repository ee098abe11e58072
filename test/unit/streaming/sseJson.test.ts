import assert from 'node:assert/strict';
import type { SseJsonItem } from '../../../src/core/api';
import { PatchbayError } from '../../../src/core/errors';
import { sseJson } from '../../../src/core/streaming/sseJson';
import { allSplits, bytewise, collect, collectUntilError, fromChunks, trackedStream, twoWaySplits, utf8 } from '../../support/chunking';
import { openAiSseBody, openAiSsePayloads, type OpenAiStreamOptions } from '../../support/wireFormats';

function parse(chunks: Uint8Array[]): Promise<SseJsonItem[]> {
  return collect(sseJson(fromChunks(chunks)));
}

function expectedItems(pieces: string[], options: OpenAiStreamOptions = {}): SseJsonItem[] {
  return openAiSsePayloads(pieces, options).map((p): SseJsonItem => (p === '[DONE]' ? { kind: 'done' } : { kind: 'data', value: p }));
}

/** Concatenated `choices[0].delta[field]` of the data items, as a chat client would assemble it. */
function deltaText(items: SseJsonItem[], field: string): string {
  let text = '';
  for (const item of items) {
    if (item.kind !== 'data') continue;
    const choices = (item.value as { choices?: Array<{ delta?: Record<string, unknown> }> }).choices;
    const piece = choices?.[0]?.delta?.[field];
    if (typeof piece === 'string') text += piece;
  }
  return text;
}

function assertBrokenStream(error: unknown, contains: string): void {
  assert.ok(error instanceof PatchbayError, `expected a PatchbayError, got ${String(error)}`);
  assert.equal(error.kind, 'server', 'valid events came first: the URL is right, the stream broke');
  assert.ok(error.message.includes(contains), error.message);
}

function assertWrongEndpoint(error: unknown, contains: string): void {
  assert.ok(error instanceof PatchbayError, `expected a PatchbayError, got ${String(error)}`);
  assert.equal(error.kind, 'wrong-endpoint');
  assert.ok(error.message.includes(contains), error.message);
}

const PIECES = ['héllo ', '🌍 ', '日本', '\n\n```python\n', 'print("hello")\n```\n'];
const CONTENT = PIECES.join('');

const CASES: Array<{ name: string; options: OpenAiStreamOptions }> = [
  { name: 'tidy stream with [DONE]', options: {} },
  { name: 'CRLF line ends', options: { lineEnding: '\r\n' } },
  { name: 'lone CR line ends', options: { lineEnding: '\r' } },
  { name: 'data: without a space', options: { spaceAfterColon: false } },
  { name: 'keep-alive comment lines', options: { keepAliveComments: true } },
  { name: 'events without blank lines between them', options: { blankLineBetweenEvents: false } },
  {
    name: 'no blank lines, CRLF, no space and comments together',
    options: { blankLineBetweenEvents: false, lineEnding: '\r\n', spaceAfterColon: false, keepAliveComments: true },
  },
  { name: 'final event with no trailing blank line', options: { endOfLastEvent: 'line-end' } },
  { name: 'final event with no line end at all', options: { endOfLastEvent: 'none', lineEnding: '\r\n' } },
  { name: 'chunks with choices: [] and a usage chunk', options: { emptyChoicesChunks: true, includeUsage: { prompt_tokens: 12, completion_tokens: 5 } } },
  { name: 'vLLM extra fields', options: { vllmExtras: true, model: 'Qwen/Qwen3-8B' } },
  { name: 'reasoning_content deltas', options: { reasoning: { field: 'reasoning_content', pieces: ['Let me ', 'think… 🤔'] } } },
  { name: 'reasoning deltas', options: { reasoning: { field: 'reasoning', pieces: ['考え', 'ます'] } } },
  { name: 'finish_reason null and no [DONE]', options: { finishReason: null, done: false } },
  { name: 'an error event after some content', options: { errorAfter: { message: 'CUDA out of memory', type: 'InternalServerError' } } },
];

describe('sseJson', () => {
  it('parses a tidy stream into data items and a done marker', async () => {
    const items = await parse([utf8.encode(openAiSseBody(['Hi', ' there'], { model: 'm1' }))]);
    assert.equal(items.length, 5);
    assert.deepEqual(items[items.length - 1], { kind: 'done' });
    assert.equal(deltaText(items, 'content'), 'Hi there');
    const first = items[0];
    assert.ok(first?.kind === 'data');
    assert.deepEqual((first.value as { model: string; choices: unknown[] }).model, 'm1');
    const finish = items[3];
    assert.ok(finish?.kind === 'data');
    assert.deepEqual((finish.value as { choices: unknown[] }).choices, [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]);
  });

  for (const { name, options } of CASES) {
    it(`gives the same items however the bytes are split: ${name}`, async () => {
      const bytes = utf8.encode(openAiSseBody(PIECES, options));
      const expected = expectedItems(PIECES, options);
      const unsplit = await parse([bytes]);
      assert.deepEqual(unsplit, expected, 'unsplit parse');
      assert.equal(deltaText(unsplit, 'content'), CONTENT);
      for (const split of allSplits(bytes)) {
        assert.deepEqual(await parse(split.chunks), expected, `${name}: ${split.label}`);
      }
    });
  }

  it('ends with a done item only when the stream sends [DONE]', async () => {
    const withDone = await parse([utf8.encode(openAiSseBody(PIECES))]);
    const withoutDone = await parse([utf8.encode(openAiSseBody(PIECES, { done: false }))]);
    assert.deepEqual(withDone[withDone.length - 1], { kind: 'done' });
    assert.equal(withoutDone.length, withDone.length - 1);
    assert.ok(withoutDone.every((item) => item.kind === 'data'));
  });

  it('keeps reasoning and content apart', async () => {
    const options: OpenAiStreamOptions = { reasoning: { field: 'reasoning_content', pieces: ['Let me ', 'think… 🤔'] } };
    const items = await parse(bytewise(utf8.encode(openAiSseBody(PIECES, options))).chunks);
    assert.equal(deltaText(items, 'reasoning_content'), 'Let me think… 🤔');
    assert.equal(deltaText(items, 'content'), CONTENT);
  });

  it('passes an error event through as data, with no done item after it', async () => {
    const items = await parse([utf8.encode(openAiSseBody(PIECES, { errorAfter: { message: 'boom' } }))]);
    const last = items[items.length - 1];
    assert.deepEqual(last, { kind: 'data', value: { error: { message: 'boom', type: 'server_error' } } });
    assert.ok(!items.some((item) => item.kind === 'done'));
  });

  it('parses one JSON value spread over several data lines of one event', async () => {
    const body = 'data: {\ndata:   "choices": [],\ndata:   "id": "x"\ndata: }\n\ndata: [DONE]\n\n';
    for (const split of allSplits(utf8.encode(body), 5)) {
      assert.deepEqual(await parse(split.chunks), [{ kind: 'data', value: { choices: [], id: 'x' } }, { kind: 'done' }], split.label);
    }
  });

  it('parses back-to-back JSON lines (no blank lines) each on its own, including [DONE]', async () => {
    const body = 'data: {"n":1}\ndata:{"n":2}\r\ndata: [DONE]\n';
    assert.deepEqual(await parse([utf8.encode(body)]), [
      { kind: 'data', value: { n: 1 } },
      { kind: 'data', value: { n: 2 } },
      { kind: 'done' },
    ]);
  });

  it('ignores events whose data is blank', async () => {
    assert.deepEqual(await parse([utf8.encode('data:\n\ndata:   \n\ndata: {"ok":true}\n\n')]), [{ kind: 'data', value: { ok: true } }]);
  });

  it('accepts a ReadableStream (a fetch body)', async () => {
    const bytes = utf8.encode(openAiSseBody(PIECES, { lineEnding: '\r\n' }));
    const tracked = trackedStream(bytewise(bytes).chunks);
    const items = await collect(sseJson(tracked.stream));
    assert.deepEqual(items, expectedItems(PIECES));
    assert.equal(tracked.pulled, bytes.length);
    assert.equal(tracked.cancelled, false);
  });

  describe('a payload that is not JSON', () => {
    const body = 'data: {"n":1}\n\ndata: <!DOCTYPE html><html>Not found</html>\n\ndata: {"n":2}\n\n';

    it('throws a server PatchbayError after the items before it', async () => {
      const { items, error } = await collectUntilError(sseJson(fromChunks([utf8.encode(body)])));
      assert.deepEqual(items, [{ kind: 'data', value: { n: 1 } }]);
      assertBrokenStream(error, '<!DOCTYPE html>');
      assert.ok(error instanceof PatchbayError && error.hint !== undefined && error.hint.length > 0);
    });

    it('throws the same way however the bytes are split', async () => {
      for (const split of [...twoWaySplits(utf8.encode(body)), bytewise(utf8.encode(body))]) {
        const { items, error } = await collectUntilError(sseJson(fromChunks(split.chunks)));
        assert.deepEqual(items, [{ kind: 'data', value: { n: 1 } }], split.label);
        assertBrokenStream(error, 'not JSON');
      }
    });

    it('throws for plain text in a data line, and for a JSON value cut short', async () => {
      const plain = await collectUntilError(sseJson(fromChunks([utf8.encode('data: hello world\n\n')])));
      assertWrongEndpoint(plain.error, 'hello world');
      const cut = await collectUntilError(sseJson(fromChunks([utf8.encode('data: {"choices":[{"delta":{"content":"Hi\n\n')])));
      assertWrongEndpoint(cut.error, '{"choices"');
    });

    it('shortens a long payload in the message', async () => {
      const long = 'x'.repeat(1000);
      const { error } = await collectUntilError(sseJson(fromChunks([utf8.encode(`data: ${long}\n\n`)])));
      assertWrongEndpoint(error, 'xxx');
      assert.ok(error instanceof Error && error.message.length < 300, `message length ${String((error as Error).message.length)}`);
    });
  });

  it('cancels the body when the consumer stops early', async () => {
    const eventChunks = openAiSseBody(PIECES)
      .split(/(?<=\n\n)/)
      .map((event) => utf8.encode(event));
    const trackedByEvent = trackedStream(eventChunks);
    let seen = 0;
    for await (const item of sseJson(trackedByEvent.stream)) {
      assert.equal(item.kind, 'data');
      if (++seen === 2) break;
    }
    assert.equal(trackedByEvent.cancelled, true);
    assert.ok(trackedByEvent.pulled < eventChunks.length, `pulled ${trackedByEvent.pulled} of ${eventChunks.length}`);
    assert.equal(trackedByEvent.stream.locked, false);
  });
});

describe('sseJson: bodies that end or start unlike a tidy stream', () => {
  it('turns an `event: error` into an error item with the server\'s message, at any split', async () => {
    const body = utf8.encode(openAiSseBody(['Partial'], { errorEvent: { message: 'Model overloaded' } }));
    for (const split of allSplits(body, 7)) {
      const items = await parse(split.chunks);
      assert.deepEqual(items.slice(-2), [{ kind: 'error', message: 'Model overloaded' }, { kind: 'done' }], split.label);
    }
    assert.deepEqual(await parse([utf8.encode('event: error\ndata: upstream timed out\n\n')]), [{ kind: 'error', message: 'upstream timed out' }]);
  });

  it('drops an event the body stopped in the middle of, as the SSE spec says', async () => {
    const body = utf8.encode(openAiSseBody(PIECES, { cutMidEvent: true }));
    for (const split of [...twoWaySplits(body), bytewise(body)]) {
      const items = await parse(split.chunks);
      assert.equal(deltaText(items, 'content'), CONTENT, split.label);
      assert.ok(!items.some((item) => item.kind === 'done'));
    }
  });

  it('reports an HTML page as such, wherever its first byte falls', async () => {
    const body = utf8.encode('\n  <!DOCTYPE html><html><body>Open WebUI</body></html>');
    for (const split of twoWaySplits(body)) {
      const { items, error } = await collectUntilError(sseJson(fromChunks(split.chunks)));
      assert.deepEqual(items, []);
      assertWrongEndpoint(error, 'HTML page');
    }
  });

  it('passes on a plain JSON body (one completion, or {"error": …}) as one data item', async () => {
    assert.deepEqual(await parse([utf8.encode('{"error":'), utf8.encode('{"message":"boom"}}')]), [{ kind: 'data', value: { error: { message: 'boom' } } }]);
    assert.deepEqual(await parse([utf8.encode('\uFEFF{\n  "id": "x"\n}\n')]), [{ kind: 'data', value: { id: 'x' } }]);
  });
});
