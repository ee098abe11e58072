import assert from 'node:assert/strict';
import { bodyChunks } from '../../../src/core/streaming/bodyChunks';
import { textLines } from '../../../src/core/streaming/lines';
import { sseEvents, type SseEvent } from '../../../src/core/streaming/sse';
import { allSplits, collect, fromChunks, utf8 } from '../../support/chunking';
import { openAiSseBody, openAiSsePayloads, type OpenAiStreamOptions } from '../../support/wireFormats';

async function* fromLines(lines: string[]): AsyncGenerator<string> {
  yield* lines;
}

function eventsOfLines(lines: string[]): Promise<SseEvent[]> {
  return collect(sseEvents(fromLines(lines)));
}

function eventsOfChunks(chunks: Uint8Array[]): Promise<SseEvent[]> {
  return collect(sseEvents(textLines(bodyChunks(fromChunks(chunks)))));
}

/** The `data` of each event a stream built with `openAiSseBody` must give, when events are separated by blank lines. */
function expectedEvents(pieces: string[], options: OpenAiStreamOptions): SseEvent[] {
  return openAiSsePayloads(pieces, options).map((p) => ({ event: undefined, data: p === '[DONE]' ? '[DONE]' : JSON.stringify(p) }));
}

const PIECES = ['héllo', ' 🌍', ' 日本', '\n\n```py\nprint("x")\n```'];

describe('sseEvents', () => {
  describe('field rules', () => {
    it('dispatches an event at each blank line, removing one space after the colon', async () => {
      assert.deepEqual(await eventsOfLines(['data: one', '', 'data:two', '', 'data:  three', '']), [
        { event: undefined, data: 'one' },
        { event: undefined, data: 'two' },
        { event: undefined, data: ' three' },
      ]);
    });

    it('joins several data lines of one event with LF', async () => {
      assert.deepEqual(await eventsOfLines(['data: {', 'data:   "a": 1', 'data: }', '']), [{ event: undefined, data: '{\n  "a": 1\n}' }]);
    });

    it('ignores comment lines, also between the data lines of one event', async () => {
      assert.deepEqual(await eventsOfLines([': OPENROUTER PROCESSING', '', 'data: a', ': keep-alive', 'data: b', '', ':', '']), [
        { event: undefined, data: 'a\nb' },
      ]);
    });

    it('reports the event name and resets it after dispatch', async () => {
      assert.deepEqual(await eventsOfLines(['event: error', 'data: {"message":"boom"}', '', 'data: next', '']), [
        { event: 'error', data: '{"message":"boom"}' },
        { event: undefined, data: 'next' },
      ]);
    });

    it('ignores id, retry and unknown fields', async () => {
      assert.deepEqual(await eventsOfLines(['id: 7', 'retry: 1000', 'foo: bar', 'data: x', '']), [{ event: undefined, data: 'x' }]);
    });

    it('does not dispatch for blank lines without data', async () => {
      assert.deepEqual(await eventsOfLines(['', '', 'event: ping', '', '', 'data: x', '', '']), [{ event: undefined, data: 'x' }]);
    });

    it('still delivers a last event that has no blank line after it, marked unfinished', async () => {
      assert.deepEqual(await eventsOfLines(['data: a', '', 'data: [DONE]']), [
        { event: undefined, data: 'a' },
        { event: undefined, data: '[DONE]', unfinished: true },
      ]);
    });

    it('keeps a colon inside the value', async () => {
      assert.deepEqual(await eventsOfLines(['data: {"url":"http://x:1"}', '']), [{ event: undefined, data: '{"url":"http://x:1"}' }]);
    });
  });

  describe('from bytes, split at every offset', () => {
    const cases: Array<{ name: string; options: OpenAiStreamOptions }> = [
      { name: 'plain LF', options: {} },
      { name: 'CRLF', options: { lineEnding: '\r\n' } },
      { name: 'lone CR', options: { lineEnding: '\r' } },
      { name: 'no space after data:', options: { spaceAfterColon: false } },
      { name: 'keep-alive comments', options: { keepAliveComments: true, lineEnding: '\r\n' } },
      { name: 'last event without blank line', options: { endOfLastEvent: 'line-end' } },
      { name: 'last event without any line end', options: { endOfLastEvent: 'none', lineEnding: '\r\n' } },
    ];
    for (const { name, options } of cases) {
      it(`gives the events of the stream: ${name}`, async () => {
        const text = openAiSseBody(PIECES, options);
        const bytes = utf8.encode(text);
        const expected: SseEvent[] = expectedEvents(PIECES, options);
        assert.equal(expected.length, PIECES.length + 3);
        const last = expected[expected.length - 1];
        if (options.endOfLastEvent !== undefined && last) expected[expected.length - 1] = { ...last, unfinished: true };
        for (const split of allSplits(bytes)) {
          assert.deepEqual(await eventsOfChunks(split.chunks), expected, `${name}: ${split.label}`);
        }
      });
    }

    it('joins events written without blank lines into one multi-line event (as the spec says)', async () => {
      const options: OpenAiStreamOptions = { blankLineBetweenEvents: false };
      const bytes = utf8.encode(openAiSseBody(PIECES, options));
      // The body ends with a line end but no blank line: the one event is unfinished.
      const expected = [{ event: undefined, data: expectedEvents(PIECES, options).map((e) => e.data).join('\n'), unfinished: true }];
      for (const split of allSplits(bytes)) {
        assert.deepEqual(await eventsOfChunks(split.chunks), expected, split.label);
      }
    });
  });
});
