import assert from 'node:assert/strict';
import { ToolCallTextExtractor, toolsSystemPrompt } from '../../../src/core/tools/promptToolCalls';
import { approvalVerdict, canAlwaysAllow } from '../../../src/core/tools/toolPolicy';

function extract(pieces: string[]) {
  const extractor = new ToolCallTextExtractor('c');
  let text = '';
  const calls: unknown[] = [];
  for (const piece of [...pieces.map((p) => extractor.push(p)), extractor.flush()]) {
    text += piece.text;
    calls.push(...piece.calls);
  }
  return { text, calls };
}

describe('prompt-based tool calls', () => {
  const answer = 'Checking.<tool_call>{"name": "getItem", "arguments": {"itemId": 1}}</tool_call> Done?';

  it('takes calls out of the text wherever the stream splits it', () => {
    for (let i = 0; i <= answer.length; i++) {
      assert.deepEqual(extract([answer.slice(0, i), answer.slice(i)]), {
        text: 'Checking. Done?',
        calls: [{ id: 'c1', name: 'getItem', arguments: '{"itemId":1}' }],
      }, `split at ${i}`);
    }
  });

  it('keeps several calls apart, accepts "parameters" and an unclosed last block, and keeps bad JSON for the model to hear about', () => {
    assert.deepEqual(extract(['<tool_call>{"name":"a","parameters":{"x":1}}</tool_call><tool_call>{"name":"b","arguments":"{\\"y\\":2}"}']).calls, [
      { id: 'c1', name: 'a', arguments: '{"x":1}' },
      { id: 'c2', name: 'b', arguments: '{"y":2}' },
    ]);
    assert.deepEqual(extract(['<tool_call>{"name": "a", oops}</tool_call>']).calls, [{ id: 'c1', name: 'a', arguments: '{"name": "a", oops}' }]);
  });

  it('leaves text without blocks alone, "<" included', () => {
    assert.deepEqual(extract(['a < b', ' <tool']), { text: 'a < b <tool', calls: [] });
  });

  it('describes the tools and the block format in the system prompt', () => {
    const prompt = toolsSystemPrompt([{ name: 'getItem', description: 'Look up an item', parameters: { type: 'object' } }]);
    assert.match(prompt, /{"name":"getItem","description":"Look up an item","parameters":{"type":"object"}}/);
    assert.match(prompt, /<tool_call>{"name": "tool_name", "arguments": {"argument": "value"}}<\/tool_call>/);
  });
});

describe('tool approval policy', () => {
  const rules = { default: 'ask' as const, allow: ['inv.getItem', 'notes.*'], deny: ['inv.deleteItem', 'notes.purge'] };

  it('applies deny, then allow, then "always allow", then the default', () => {
    assert.deepEqual(approvalVerdict('inv.deleteItem', 'DELETE', rules, new Set()), { decision: 'deny', reason: 'denied by toolApproval.deny in config.yaml' });
    assert.equal(approvalVerdict('notes.purge', 'POST', rules, new Set()).decision, 'deny');
    assert.equal(approvalVerdict('notes.add', 'POST', rules, new Set()).decision, 'allow');
    assert.equal(approvalVerdict('inv.listItems', 'GET', rules, new Set(['inv.listItems'])).decision, 'allow');
    assert.equal(approvalVerdict('inv.addItem', 'POST', rules, new Set(['inv.addItem'])).decision, 'ask', 'a remembered POST is still asked');
    assert.equal(approvalVerdict('inv.listItems', 'GET', { ...rules, default: 'deny' }, new Set()).decision, 'deny');
    assert.equal(approvalVerdict('inv.addItem', 'POST', { ...rules, default: 'allow' }, new Set()).decision, 'allow');
  });

  it('lets only reading calls be always allowed', () => {
    assert.deepEqual(['GET', 'HEAD', 'get', undefined, 'POST', 'PUT', 'PATCH', 'DELETE'].map(canAlwaysAllow), [true, true, true, true, false, false, false, false]);
  });
});
