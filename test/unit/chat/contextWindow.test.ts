import assert from 'node:assert/strict';
import type { ChatMessage } from '../../../src/core/api';
import { estimateTokens, fitToWindow, messageTokens } from '../../../src/core/chat/contextWindow';

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
const limits = { windowTokens: 400, answerTokens: 100, toolTokens: 0, modelName: 'tiny' };

describe('fitting a conversation to the model\'s window', () => {
  const history: ChatMessage[] = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: `old question ${words(60)}` },
    { role: 'assistant', content: `old answer ${words(60)}` },
    { role: 'user', content: `newer question ${words(40)}` },
    { role: 'assistant', content: `newer answer ${words(40)}` },
    { role: 'user', content: 'current question' },
  ];

  it('sends everything when it fits', () => {
    const fit = fitToWindow(history, 5, { ...limits, windowTokens: 10_000 });
    assert.equal(fit.messages.length, 6);
    assert.equal(fit.note, undefined);
  });

  it('leaves out the oldest exchanges first, keeps the system message and the question, and says so', () => {
    const fit = fitToWindow(history, 5, limits);
    assert.deepEqual(fit.messages.map((m) => m.content.split(' ')[0] + (m.role === 'system' ? '' : ` ${m.content.split(' ')[1]}`)), ['Be', 'newer question', 'newer answer', 'current question']);
    assert.match(fit.note ?? '', /^To fit tiny's 400-token window, 2 earlier messages were left out \(about \d+ tokens\)\.$/);
    assert.ok(fit.promptTokens <= limits.windowTokens - limits.answerTokens);
  });

  it('never sends more than the window minus the room for the answer and the tools', () => {
    for (const windowTokens of [150, 200, 300, 500, 800]) {
      for (const toolTokens of [0, 30]) {
        const fit = fitToWindow(history, 5, { ...limits, windowTokens, toolTokens, answerTokens: 50 });
        const total = fit.messages.reduce((sum, m) => sum + messageTokens(m), 0);
        assert.ok(total <= windowTokens - 50 - toolTokens, `${windowTokens}/${toolTokens}: ${total}`);
      }
    }
  });

  it('cuts the middle of a question that alone is too long, and says so', () => {
    const messages: ChatMessage[] = [{ role: 'user', content: `START ${words(400)} END` }];
    const fit = fitToWindow(messages, 0, limits);
    const content = fit.messages[0]?.content ?? '';
    assert.ok(content.startsWith('START') && content.endsWith('END'));
    assert.match(content, /\[… part of this message was left out to fit the model's window …\]/);
    assert.match(fit.note ?? '', /the middle of a long message was cut/);
    assert.ok(fit.promptTokens <= 300);
  });

  it('refuses with a way out when even a shortened question cannot fit', () => {
    assert.throws(() => fitToWindow([{ role: 'user', content: words(2000) }], 0, { ...limits, windowTokens: 120, answerTokens: 100 }), (error: Error & { kind?: string; hint?: string }) =>
      error.kind === 'bad-request' && /too long for tiny's 120-token window/.test(error.message) && /larger window/.test(error.hint ?? ''));
  });

  it('estimates generously', () => {
    assert.equal(estimateTokens('abcdef'), 2);
  });
});
