import assert from 'node:assert/strict';
import { textLines } from '../../../src/core/streaming/lines';

async function collect(chunks: Uint8Array[]): Promise<string[]> {
  const out: string[] = [];
  async function* source() { yield* chunks; }
  for await (const line of textLines(source())) out.push(line);
  return out;
}

describe('textLines', () => {
  it('keeps a CRLF split between chunks as one line end', async () => {
    const enc = new TextEncoder();
    assert.deepEqual(await collect([enc.encode('a\r'), enc.encode('\nb\n')]), ['a', 'b']);
  });
});
