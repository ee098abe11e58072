import assert from 'node:assert/strict';
import { ThinkTagSplitter, type SplitPiece } from '../../../src/core/chat/thinkTagSplitter';

/** Feeds the text in the given pieces and folds the output into answer/reasoning strings. */
function split(pieces: string[], options: { disableReclassify?: boolean } = {}): { answer: string; reasoning: string; reclassified: boolean } {
  const splitter = new ThinkTagSplitter();
  if (options.disableReclassify) splitter.disableReclassify();
  let answer = '';
  let reasoning = '';
  let reclassified = false;
  const apply = (out: SplitPiece[]) => {
    for (const piece of out) {
      if (piece.type === 'text') answer += piece.text;
      else if (piece.type === 'reasoning') reasoning += piece.text;
      else {
        reasoning += answer;
        answer = '';
        reclassified = true;
      }
    }
  };
  for (const piece of pieces) apply(splitter.push(piece));
  apply(splitter.flush());
  return { answer, reasoning, reclassified };
}

function everySplit(text: string): string[][] {
  const splits: string[][] = [];
  for (let i = 0; i <= text.length; i++) splits.push([text.slice(0, i), text.slice(i)]);
  splits.push([...text]);
  return splits;
}

describe('ThinkTagSplitter', () => {
  it('separates leading <think> reasoning from the answer at every split point', () => {
    const text = '<think>\nLet me add 2 and 2.\n</think>\n\nThe answer is **4**.';
    for (const pieces of everySplit(text)) {
      assert.deepEqual(split(pieces), { answer: 'The answer is **4**.', reasoning: 'Let me add 2 and 2.\n', reclassified: false }, JSON.stringify(pieces));
    }
  });

  it('accepts whitespace before the opening tag', () => {
    assert.equal(split(['  \n<think>x</think>y']).answer, 'y');
    assert.equal(split(['  \n<think>x</think>y']).reasoning, 'x');
  });

  it('moves everything before a lone </think> into reasoning (opening tag in the prompt)', () => {
    const text = 'I should greet.\n</think>\n\nHello!';
    for (const pieces of everySplit(text)) {
      assert.deepEqual(split(pieces), { answer: 'Hello!', reasoning: 'I should greet.\n', reclassified: true }, JSON.stringify(pieces));
    }
  });

  it('leaves an answer without tags alone, including a "<" at the end', () => {
    assert.deepEqual(split(['if a <', ' b then']), { answer: 'if a < b then', reasoning: '', reclassified: false });
    assert.deepEqual(split(['x <']), { answer: 'x <', reasoning: '', reclassified: false });
  });

  it('takes a <think> later in the answer literally', () => {
    assert.deepEqual(split(['Use the ', '<think> tag']), { answer: 'Use the <think> tag', reasoning: '', reclassified: false });
  });

  it('keeps an unclosed think block as reasoning when the stream ends', () => {
    assert.deepEqual(split(['<think>still thinking']), { answer: '', reasoning: 'still thinking', reclassified: false });
  });

  it('does not reclassify when the provider streams reasoning separately', () => {
    assert.deepEqual(split(['answer </think> more'], { disableReclassify: true }), { answer: 'answer </think> more', reasoning: '', reclassified: false });
  });

  it('reclassifies at most once', () => {
    const result = split(['a</think>b</think>c']);
    assert.equal(result.reasoning, 'a');
    assert.equal(result.answer, 'b</think>c');
  });
});
