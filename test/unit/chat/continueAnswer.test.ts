import assert from 'node:assert/strict';
import type { ChatRequest, ChatStreamEvent } from '../../../src/core/api';
import { CONTINUE_PROMPT } from '../../../src/core/chat/answerRun';
import { ChatSession } from '../../../src/core/chat/chatSession';
import type { AssistantTurn } from '../../../src/core/chat/conversation';
import { ManualClock } from '../../support/manualClock';

/** A provider that plays one scripted answer per request and records the requests. */
function scriptedProvider(answers: ChatStreamEvent[][]) {
  const requests: ChatRequest[] = [];
  return {
    requests,
    provider: {
      async *chat(request: ChatRequest): AsyncGenerator<ChatStreamEvent> {
        requests.push(structuredClone(request));
        yield* answers[requests.length - 1] ?? [];
      },
    },
  };
}

function sessionWith(provider: { chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatStreamEvent> }): ChatSession {
  let id = 0;
  return new ChatSession({
    resolveModel: async () => ({ modelId: 'm', provider, failureContext: { endpointLabel: 'Test server', baseUrl: 'http://127.0.0.1:9/v1' }, label: 'm · Test server' }),
    settings: () => ({ generation: { maxTokens: 8 }, idleTimeoutMs: 5000 }),
    save: () => undefined,
    newId: () => `id${++id}`,
    clock: new ManualClock(1000),
  });
}

function lastAnswer(session: ChatSession): AssistantTurn {
  const turn = session.conversation.turns.at(-1);
  assert.ok(turn?.role === 'assistant');
  return turn;
}

describe('Continue an answer the token limit cut off', () => {
  it('asks the model to go on from the answer so far and joins what it writes to the same answer', async () => {
    const { provider, requests } = scriptedProvider([
      [{ type: 'text', text: 'Step one, then step' }, { type: 'usage', outputTokens: 8 }, { type: 'finish', reason: 'length' }],
      [{ type: 'text', text: ' two.' }, { type: 'usage', inputTokens: 30, outputTokens: 2 }, { type: 'finish', reason: 'stop' }],
    ]);
    const session = sessionWith(provider);
    await session.send('How?', { providerId: 'p', modelId: 'm' });
    const cut = lastAnswer(session);
    assert.equal(cut.status, 'incomplete');
    assert.equal(cut.problem?.kind, 'token-limit');
    assert.ok(cut.problem?.actions.includes('continue'));

    await session.continueAnswer();
    assert.equal(session.conversation.turns.length, 2, 'no new question or answer turn');
    const joined = lastAnswer(session);
    assert.equal(joined.id, cut.id);
    assert.equal(joined.content, 'Step one, then step two.');
    assert.equal(joined.status, 'complete');
    assert.equal(joined.problem, undefined);
    assert.deepEqual(joined.usage, { inputTokens: 30, outputTokens: 10 });
    assert.deepEqual(requests[1]?.messages, [
      { role: 'user', content: 'How?' },
      { role: 'assistant', content: 'Step one, then step' },
      { role: 'user', content: CONTINUE_PROMPT },
    ]);
  });

  it('does nothing on an answer that was not cut off', async () => {
    const { provider, requests } = scriptedProvider([[{ type: 'text', text: 'Done.' }, { type: 'finish', reason: 'stop' }]]);
    const session = sessionWith(provider);
    await session.send('Hi', undefined);
    await session.continueAnswer();
    assert.equal(requests.length, 1);
    assert.equal(lastAnswer(session).content, 'Done.');
  });

  it('keeps a refusal on the answer, apart from its text', async () => {
    const { provider } = scriptedProvider([[{ type: 'refusal', text: 'I can\'t ' }, { type: 'refusal', text: 'do that.' }, { type: 'finish', reason: 'stop' }]]);
    const session = sessionWith(provider);
    await session.send('Do it', undefined);
    const answer = lastAnswer(session);
    assert.equal(answer.refusal, 'I can\'t do that.');
    assert.equal(answer.content, '');
    assert.equal(answer.status, 'complete');
  });
});
