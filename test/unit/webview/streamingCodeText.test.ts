import assert from 'node:assert/strict';
import { StreamingCodeText } from '../../../src/webview/render/streamingCodeText';

function feed(pieces: readonly string[]): string[] {
  const gate = new StreamingCodeText();
  return pieces.map((piece) => gate.push(piece));
}

describe('StreamingCodeText', () => {
  it('passes code through as it arrives', () => {
    assert.deepEqual(feed(['const a', ' = 1;\n', 'let b']), ['const a', ' = 1;\n', 'let b']);
  });

  it('holds back a line that may become the closing fence', () => {
    assert.deepEqual(feed(['x\n`', '`']), ['x\n', '']);
  });

  it('releases held backticks once the line turns out to be code', () => {
    assert.deepEqual(feed(['x\n``', '`js template`;\n']), ['x\n', '```js template`;\n']);
  });

  it('does not hold backticks in the middle of a line', () => {
    assert.deepEqual(feed(['const s = ', '`']), ['const s = ', '`']);
  });

  it('holds a fence-like start of the very first line', () => {
    assert.deepEqual(feed(['~~', '~']), ['', '']);
  });

  it('drops carriage returns', () => {
    assert.deepEqual(feed(['a\r', '\nb\r\n']), ['a', '\nb\n']);
  });

  it('starts over after reset', () => {
    const gate = new StreamingCodeText();
    gate.push('x\n``');
    gate.reset();
    assert.equal(gate.push('y'), 'y');
  });
});
