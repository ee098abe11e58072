import assert from 'node:assert/strict';
import type { EditorAnswerPart } from '../../../src/core/languageModels/answerForEditor';
import { coalescedParts } from '../../../src/core/languageModels/coalescedParts';

describe('parts for vscode.lm, coalesced', () => {
  it('merges consecutive text into one part, and keeps the order around a thinking part and a tool call', () => {
    const sent: EditorAnswerPart[] = [];
    const parts = coalescedParts((part) => sent.push(part), 1_000);
    parts.push({ kind: 'thinking', text: 'hm' });
    parts.push({ kind: 'thinking', text: 'm.' });
    for (const text of ['a', 'b', 'c']) parts.push({ kind: 'text', text });
    parts.push({ kind: 'toolCall', callId: 'c1', name: 'weather', input: {} });
    parts.push({ kind: 'text', text: 'd' });
    assert.deepEqual(sent, [
      { kind: 'thinking', text: 'hmm.' },
      { kind: 'text', text: 'abc' },
      { kind: 'toolCall', callId: 'c1', name: 'weather', input: {} },
    ]);
    parts.flush();
    assert.deepEqual(sent.at(-1), { kind: 'text', text: 'd' }, 'the end sends what waits');
  });

  it('sends waiting text after a few milliseconds without more', async () => {
    const sent: EditorAnswerPart[] = [];
    const parts = coalescedParts((part) => sent.push(part), 5);
    parts.push({ kind: 'text', text: 'slow ' });
    parts.push({ kind: 'text', text: 'server' });
    assert.deepEqual(sent, []);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.deepEqual(sent, [{ kind: 'text', text: 'slow server' }]);
  });
});
