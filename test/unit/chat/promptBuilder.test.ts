import assert from 'node:assert/strict';
import type { Turn } from '../../../src/core/chat/conversation';
import { buildMessages, userContent } from '../../../src/core/chat/promptBuilder';

describe('buildMessages', () => {
  const turns: Turn[] = [
    { id: '1', role: 'user', text: 'hi', attachments: [], createdAt: 0 },
    { id: '2', role: 'assistant', content: 'hello', reasoning: 'greet them', status: 'complete', createdAt: 0 },
    { id: '3', role: 'user', text: 'again', attachments: [], createdAt: 0 },
    { id: '4', role: 'assistant', content: '', reasoning: '', status: 'failed', createdAt: 0 },
    { id: '5', role: 'user', text: 'third', attachments: [], createdAt: 0 },
  ];

  it('sends the system prompt, questions and earlier answers but no reasoning or empty failed answers', () => {
    assert.deepEqual(buildMessages(turns, 'be brief'), [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
      { role: 'user', content: 'again' },
      { role: 'user', content: 'third' },
    ]);
  });

  it('puts attachments before the question with their file label, fenced safely', () => {
    const content = userContent('what is this?', [{ kind: 'selection', label: 'src/a.md:1-3', language: 'markdown', text: 'x\n```js\ny\n```' }]);
    assert.equal(content, 'src/a.md:1-3:\n````markdown\nx\n```js\ny\n```\n````\n\nwhat is this?');
  });
});
