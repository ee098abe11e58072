import assert from 'node:assert/strict';
import type { ChatRequest, ChatStreamEvent } from '../../../src/core/api';
import { ChatSession } from '../../../src/core/chat/chatSession';
import { PatchbayError } from '../../../src/core/errors';

/** A provider whose answer streams until the request is aborted. */
const endlessProvider = {
  async *chat(_request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatStreamEvent> {
    yield { type: 'text', text: 'Thinking' };
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  },
};

function streamingSession(): ChatSession {
  let id = 0;
  return new ChatSession({
    resolveModel: async () => ({ modelId: 'm', provider: endlessProvider, failureContext: { endpointLabel: 'Test server', baseUrl: 'http://127.0.0.1:9/v1' }, label: 'm · Test server' }),
    settings: () => ({ generation: { maxTokens: 8 }, idleTimeoutMs: 5000 }),
    save: () => undefined,
    newId: () => `id${++id}`,
    now: () => 1000,
  });
}

const stillStreaming = (error: unknown) =>
  error instanceof PatchbayError && error.kind === 'busy' && error.message === 'An answer is still streaming: stop it first.';

describe('a request the chat refuses while an answer streams', () => {
  it('is a busy problem, not a bad request, with the same sentence for the user', async () => {
    const session = streamingSession();
    const model = { providerId: 'p', modelId: 'm' };
    const answering = session.send('First', model);
    while (!session.busy) await new Promise((resolve) => setImmediate(resolve));
    const question = session.conversation.turns[0];
    assert.ok(question);

    await assert.rejects(session.send('Second', model), stillStreaming);
    await assert.rejects(session.editAndResend(question.id, 'Changed', model), stillStreaming);
    assert.throws(() => session.deleteTurn(question.id), stillStreaming);

    await session.stop();
    await answering;
  });
});
