import assert from 'node:assert/strict';
import { textLines } from '../../../src/core/streaming/lines';
import { allSplits, bytewise, collect, fromChunks, referenceLines, twoWaySplits, utf8 } from '../../support/chunking';
import { ollamaNdjsonBody, openAiSseBody } from '../../support/wireFormats';

async function linesOf(chunks: Uint8Array[]): Promise<string[]> {
  return collect(textLines(fromChunks(chunks)));
}

const enc = utf8;
const INTERNATIONAL = ['héllo ', '🌍 ', '日本', ' ü€𝄞'];

/** Bodies whose exact lines are known, with every kind of line end and multi-byte text. */
const BODIES: Array<{ name: string; text: string }> = [
  { name: 'SSE with LF', text: openAiSseBody(INTERNATIONAL) },
  { name: 'SSE with CRLF', text: openAiSseBody(INTERNATIONAL, { lineEnding: '\r\n' }) },
  { name: 'SSE with lone CR', text: openAiSseBody(INTERNATIONAL, { lineEnding: '\r' }) },
  {
    name: 'SSE, CRLF, no blank lines, comments, no space, no trailing line end',
    text: openAiSseBody(INTERNATIONAL, {
      lineEnding: '\r\n',
      blankLineBetweenEvents: false,
      keepAliveComments: true,
      spaceAfterColon: false,
      endOfLastEvent: 'none',
    }),
  },
  { name: 'NDJSON', text: ollamaNdjsonBody(INTERNATIONAL, { thinking: ['思考', '中…'] }) },
  { name: 'mixed line ends and empty lines', text: 'a\r\nb\rc\n\r\n\r\rd é\n\n🌍\r' },
  { name: 'text after the last line end', text: 'first\nsecond 日本' },
  { name: 'BOM at the start', text: '\uFEFFdata: {"a":1}\n\n' },
];

describe('textLines', () => {
  it('keeps a CRLF split between chunks as one line end', async () => {
    assert.deepEqual(await linesOf([enc.encode('a\r'), enc.encode('\nb\n')]), ['a', 'b']);
  });

  it('gives the expected lines for a hand-written body', async () => {
    assert.deepEqual(await linesOf([enc.encode('a\r\nb\rc\n\r\n\r\rd é\n\n🌍\r')]), ['a', 'b', 'c', '', '', '', 'd é', '', '🌍']);
  });

  it('gives the lines of the reference splitter for realistic bodies', async () => {
    for (const { name, text } of BODIES) {
      assert.deepEqual(await linesOf([enc.encode(text)]), referenceLines(text), name);
    }
  });

  for (const { name, text } of BODIES) {
    it(`gives identical lines however the bytes are split: ${name}`, async () => {
      const bytes = enc.encode(text);
      const expected = referenceLines(text);
      assert.ok(expected.length > 0);
      let tried = 0;
      for (const split of allSplits(bytes)) {
        assert.deepEqual(await linesOf(split.chunks), expected, `${name}: ${split.label}`);
        tried++;
      }
      assert.ok(tried > bytes.length, 'every offset was tried');
    });
  }

  it('decodes a multi-byte character split inside it at every byte', async () => {
    const text = 'héllo 🌍 日本\n';
    const bytes = enc.encode(text);
    // 'é' is 2 bytes, '🌍' 4, '日' and '本' 3 each: many offsets fall inside a character.
    assert.equal(bytes.length, 19);
    for (const split of twoWaySplits(bytes)) {
      assert.deepEqual(await linesOf(split.chunks), ['héllo 🌍 日本'], split.label);
    }
    assert.deepEqual(await linesOf(bytewise(bytes).chunks), ['héllo 🌍 日本']);
  });

  it('treats a CR at the end of a chunk followed by another character as a line end on its own', async () => {
    assert.deepEqual(await linesOf([enc.encode('a\r'), enc.encode('b\r'), enc.encode('\rc')]), ['a', 'b', '', 'c']);
  });

  it('still pairs CR and LF when empty chunks come between them', async () => {
    assert.deepEqual(await linesOf([enc.encode('a\r'), new Uint8Array(0), new Uint8Array(0), enc.encode('\nb')]), ['a', 'b']);
  });

  it('does not pair a CR with an LF that follows a split character', async () => {
    // CR, then the first byte of 'é' alone (decodes to nothing yet), then the rest and an LF.
    const e = enc.encode('é');
    assert.equal(e.length, 2);
    const chunks = [enc.encode('a\r'), e.slice(0, 1), Uint8Array.of(e[1] ?? 0, 10)];
    assert.deepEqual(await linesOf(chunks), ['a', 'é']);
  });

  it('yields the text after the last line end, but no empty line for a trailing line end', async () => {
    assert.deepEqual(await linesOf([enc.encode('x\ny')]), ['x', 'y']);
    assert.deepEqual(await linesOf([enc.encode('x\ny\n')]), ['x', 'y']);
    assert.deepEqual(await linesOf([enc.encode('x\ny\r')]), ['x', 'y']);
    assert.deepEqual(await linesOf([enc.encode('x\ny\r\n')]), ['x', 'y']);
  });

  it('yields nothing for an empty body, and one empty line for a lone line end', async () => {
    assert.deepEqual(await linesOf([]), []);
    assert.deepEqual(await linesOf([new Uint8Array(0)]), []);
    assert.deepEqual(await linesOf([enc.encode('\n')]), ['']);
    assert.deepEqual(await linesOf([enc.encode('\r\n')]), ['']);
    assert.deepEqual(await linesOf([enc.encode('\r')]), ['']);
  });

  it('drops a leading byte order mark even when it is split', async () => {
    const bytes = enc.encode('\uFEFFdata: 1\n');
    for (const split of twoWaySplits(bytes)) {
      assert.deepEqual(await linesOf(split.chunks), ['data: 1'], split.label);
    }
  });

  it('flushes a character left incomplete at the end of the body as U+FFFD', async () => {
    const bytes = enc.encode('ok 🌍');
    assert.deepEqual(await linesOf([bytes.slice(0, bytes.length - 1)]), ['ok \uFFFD']);
  });
});
