import assert from 'node:assert/strict';
import type { Conversation } from '../../../src/core/chat/conversation';
import { latestPage, pageBefore, PAGE_SIZE } from '../../../src/host/conversationPaging';

function conversation(turns: number): Conversation {
  return {
    id: 'c', title: 't', createdAt: 0, updatedAt: 0,
    turns: Array.from({ length: turns }, (_, i) => ({ id: `t${i}`, role: 'user' as const, text: `${i}`, attachments: [], createdAt: 0 })),
  };
}

describe('conversation pages for the webview', () => {
  it('sends only the latest page of a long conversation, then earlier pages on request', () => {
    const long = conversation(500);
    const { page, oldestShown } = latestPage(long);
    assert.equal(page.conversation.turns.length, PAGE_SIZE);
    assert.equal(page.earlier, 500 - PAGE_SIZE);
    assert.equal(oldestShown, `t${500 - PAGE_SIZE}`);
    assert.equal(long.turns.length, 500, 'the conversation itself is untouched');
    const earlier = pageBefore(long, oldestShown);
    assert.deepEqual([earlier.turns[0]?.id, earlier.turns.at(-1)?.id, earlier.earlier], [`t${500 - 2 * PAGE_SIZE}`, `t${500 - PAGE_SIZE - 1}`, 500 - 2 * PAGE_SIZE]);
  });

  it('sends a short conversation whole, and nothing before its first turn', () => {
    const short = conversation(5);
    const { page, oldestShown } = latestPage(short);
    assert.deepEqual([page.conversation.turns.length, page.earlier], [5, 0]);
    assert.deepEqual(pageBefore(short, oldestShown), { turns: [], earlier: 0 });
  });
});
