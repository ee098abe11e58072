import assert from 'node:assert/strict';
import { Redactor } from '../../../src/core/util/redactor';

function redactorWith(...secrets: string[]): Redactor {
  const redactor = new Redactor();
  for (const secret of secrets) redactor.remember(secret);
  return redactor;
}

/** Every way of cutting `text` into two pieces, and into three. */
function* splits(text: string): Generator<string[]> {
  for (let a = 0; a <= text.length; a++) {
    yield [text.slice(0, a), text.slice(a)];
    for (let b = a; b <= text.length; b += 3) yield [text.slice(0, a), text.slice(a, b), text.slice(b)];
  }
}

describe('Redactor.streamRedaction: a known secret split across streamed pieces never shows', () => {
  it('however the text is cut, what comes out is the whole text redacted', () => {
    const redactor = redactorWith('sk-live-12345', 'tok_abc');
    const text = 'the key sk-live-12345 and tok_abc, then sk-live-1 (not it) and tok_ab.';
    const expected = redactor.redactKnown(text);
    assert.ok(!expected.includes('sk-live-12345') && !expected.includes('tok_abc'));
    for (const pieces of splits(text)) {
      const stream = redactor.streamRedaction();
      const shown = pieces.map((piece) => stream.push(piece));
      const all = shown.join('') + stream.flush();
      assert.equal(all, expected, `cut as ${JSON.stringify(pieces)}`);
      assert.ok(!shown.join('').includes('sk-live-12345'), `cut as ${JSON.stringify(pieces)}`);
    }
  });

  it('a secret that ends where the next could begin (abcab…) is still taken out whole', () => {
    const redactor = redactorWith('abcab');
    for (const pieces of splits('xxabcabcab yy')) {
      const stream = redactor.streamRedaction();
      const all = pieces.map((piece) => stream.push(piece)).join('') + stream.flush();
      assert.equal(all, redactor.redactKnown('xxabcabcab yy'), `cut as ${JSON.stringify(pieces)}`);
    }
  });

  it('holds back only what could be the start of a secret, and lets it out once it is not', () => {
    const stream = redactorWith('secret-value').streamRedaction();
    assert.equal(stream.push('an answer about secr'), 'an answer about ');
    assert.equal(stream.push('ecy'), 'secrecy');
    assert.equal(stream.flush(), '');
  });

  it('with no secret known, every piece passes at once', () => {
    const stream = new Redactor().streamRedaction();
    assert.equal(stream.push('sk-'), 'sk-');
    assert.equal(stream.flush(), '');
  });
});
