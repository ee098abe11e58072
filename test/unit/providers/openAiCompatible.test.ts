import assert from 'node:assert/strict';
import { failureContextFor } from '../../../src/core/providers/providerCatalog';
import { FakeModelServer, fakeAnswerFor, type RecordedRequest } from '../../support/fakeModelServer';
import { openAiSseBody, splitIntoDeltas, stepsFor, type OpenAiStreamOptions } from '../../support/wireFormats';
import { ask, endpoint } from './harness';
import { callSignal } from '../../../src/core/plugins/callSignal';
import { silentLogger } from '../../../src/core/ports';

const ANSWER = fakeAnswerFor('hello');

describe('openai-compatible provider plugin against a fake server', function () {
  let server: FakeModelServer;

  beforeEach(async () => {
    server = await FakeModelServer.start();
  });

  afterEach(async () => {
    await server.close();
  });

  function chatRequests(): RecordedRequest[] {
    return server.requests.filter((request) => request.path.endsWith('/chat/completions'));
  }

  function scriptSse(pieces: string[], options: OpenAiStreamOptions = {}, extra: { chunkSize?: number } = {}): void {
    server.onChat = () => ({ steps: stepsFor(openAiSseBody(pieces, options)), ...extra });
  }

  it('lists the models with the context length vLLM reports', async () => {
    server.openAiModels = [{ id: 'Qwen/Qwen3-8B', max_model_len: 32768 }, { id: 'small' }];
    const { instance } = await endpoint('openai-compatible', server.openAiBaseUrl);
    const models = await instance.listModels(callSignal(new AbortController().signal, silentLogger));
    assert.deepEqual(models, [
      { id: 'Qwen/Qwen3-8B', contextLength: 32768, details: 'context 32,768 tokens' },
      { id: 'small' },
    ]);
  });

  it('streams an answer and sends the model, messages and generation options', async () => {
    const target = await endpoint('openai-compatible', server.openAiBaseUrl);
    const answer = await ask(target, 'fake-model', { generation: { temperature: 0.2, maxTokens: 300, topP: 0.9, stop: ['###'] } });
    assert.equal(answer.outcome.status, 'complete');
    assert.equal(answer.text, ANSWER);
    assert.ok(answer.outcome.usage?.outputTokens && answer.outcome.usage.outputTokens > 0);
    const body = chatRequests()[0]?.json as Record<string, unknown>;
    assert.deepEqual(
      { ...body, messages: undefined },
      { model: 'fake-model', messages: undefined, stream: true, stream_options: { include_usage: true }, temperature: 0.2, max_tokens: 300, top_p: 0.9, stop: ['###'] },
    );
    assert.deepEqual(body['messages'], [{ role: 'user', content: 'hello' }]);
    assert.equal(chatRequests()[0]?.headers['authorization'], undefined, 'no key saved: no Authorization header');
  });

  it('reads the same answer when every byte arrives in its own chunk', async () => {
    scriptSse(splitIntoDeltas('héllo 🌍 日本 — done', 3), {}, { chunkSize: 1 });
    const answer = await ask(await endpoint('openai-compatible', server.openAiBaseUrl), 'fake-model');
    assert.equal(answer.outcome.status, 'complete');
    assert.equal(answer.text, 'héllo 🌍 日本 — done');
  });

  const quirks: [string, OpenAiStreamOptions][] = [
    ['CRLF line endings', { lineEnding: '\r\n' }],
    ['no space after "data:"', { spaceAfterColon: false }],
    ['events without blank lines between them', { blankLineBetweenEvents: false }],
    ['keep-alive comments', { keepAliveComments: true }],
    ['chunks with choices: []', { emptyChoicesChunks: true }],
    ["vLLM's extra fields", { vllmExtras: true }],
    ['finish_reason null on the last chunk (Ollama /v1)', { finishReason: null }],
  ];
  for (const [name, options] of quirks) {
    it(`tolerates ${name}`, async () => {
      scriptSse(['Hel', 'lo ', 'there'], { includeUsage: { prompt_tokens: 5, completion_tokens: 3 }, ...options }, { chunkSize: 7 });
      const answer = await ask(await endpoint('openai-compatible', server.openAiBaseUrl), 'fake-model');
      assert.equal(answer.outcome.status, 'complete', JSON.stringify(answer.outcome.problem?.message));
      assert.equal(answer.text, 'Hello there');
      assert.deepEqual(answer.outcome.usage, { inputTokens: 5, outputTokens: 3 });
    });
  }

  for (const field of ['reasoning_content', 'reasoning'] as const) {
    it(`keeps ${field} deltas apart from the answer`, async () => {
      scriptSse(['The answer is 4.'], { reasoning: { field, pieces: ['2 plus ', '2 is 4'] } });
      const answer = await ask(await endpoint('openai-compatible', server.openAiBaseUrl), 'fake-model');
      assert.equal(answer.reasoning, '2 plus 2 is 4');
      assert.equal(answer.text, 'The answer is 4.');
    });
  }

  it('separates inline <think> reasoning even when tags are split across chunks', async () => {
    scriptSse(['<thi', 'nk>\nweigh it', ' up</th', 'ink>\n\nFour.'], {}, { chunkSize: 2 });
    const answer = await ask(await endpoint('openai-compatible', server.openAiBaseUrl), 'fake-model');
    assert.equal(answer.reasoning, 'weigh it up');
    assert.equal(answer.text, 'Four.');
  });

  it('accepts a finished answer without [DONE] but calls a stream without an ending incomplete', async () => {
    scriptSse(['complete'], { done: false });
    const finished = await ask(await endpoint('openai-compatible', server.openAiBaseUrl), 'fake-model');
    assert.equal(finished.outcome.status, 'complete');

    scriptSse(['cut ', 'short'], { done: false, finishReason: null });
    const cut = await ask(await endpoint('openai-compatible', server.openAiBaseUrl), 'fake-model');
    assert.equal(cut.outcome.status, 'incomplete');
    assert.equal(cut.outcome.problem?.kind, 'interrupted');
    assert.equal(cut.text, 'cut short');
  });

  it('keeps the partial answer when the connection is cut mid-stream', async () => {
    const events = openAiSseBody(['first part, ', 'second part'], {}).split('\n\n');
    server.onChat = () => ({ steps: [{ kind: 'write', data: `${events[0]}\n\n${events[1]}\n\n` }, { kind: 'delay', ms: 20 }, { kind: 'cut' }] });
    const answer = await ask(await endpoint('openai-compatible', server.openAiBaseUrl), 'fake-model');
    assert.equal(answer.outcome.status, 'incomplete');
    assert.equal(answer.outcome.problem?.kind, 'interrupted');
    assert.deepEqual(answer.outcome.problem?.actions.includes('retry'), true);
    assert.ok(answer.text.length > 0);
  });

  it('stops waiting for a server that stalls after the headers', async () => {
    const first = 'data: {"choices":[{"index":0,"delta":{"content":"so far"},"finish_reason":null}]}\n\n';
    server.onChat = () => ({ steps: [{ kind: 'write', data: first }, { kind: 'stall' }] });
    const started = Date.now();
    const answer = await ask(await endpoint('openai-compatible', server.openAiBaseUrl), 'fake-model', { idleTimeoutMs: 300 });
    assert.ok(Date.now() - started < 3000);
    assert.equal(answer.outcome.status, 'incomplete');
    assert.equal(answer.outcome.problem?.kind, 'stalled');
    assert.equal(answer.text, 'so far');
    await waitFor(() => server.activeResponses === 0);
  });

  it('reports an error event that arrives after a 200 and some content', async () => {
    scriptSse(['Partial '], { errorAfter: { message: 'CUDA out of memory' } });
    const answer = await ask(await endpoint('openai-compatible', server.openAiBaseUrl), 'fake-model');
    assert.equal(answer.outcome.status, 'incomplete');
    assert.equal(answer.outcome.problem?.kind, 'server');
    assert.match(answer.outcome.problem?.message ?? '', /CUDA out of memory/);
    assert.equal(answer.text, 'Partial ');
  });

  it('Stop aborts the HTTP request', async () => {
    const stop = new AbortController();
    const target = await endpoint('openai-compatible', server.openAiBaseUrl);
    const pending = ask(target, 'fake-slow', { signal: stop.signal });
    await waitFor(() => server.activeResponses === 1);
    stop.abort();
    const answer = await pending;
    assert.equal(answer.outcome.status, 'stopped');
    await waitFor(() => server.activeResponses === 0);
  });

  it('sends the saved key and explains a 401 when it is missing', async () => {
    server.requiredApiKey = 'sk-local-123456';
    const withoutKey = await ask(await endpoint('openai-compatible', server.openAiBaseUrl), 'fake-model');
    assert.equal(withoutKey.outcome.status, 'failed');
    assert.equal(withoutKey.outcome.problem?.kind, 'auth');
    assert.deepEqual(withoutKey.outcome.problem?.actions, ['setApiKey', 'retry']);
    const withKey = await ask(await endpoint('openai-compatible', server.openAiBaseUrl, { apiKey: 'sk-local-123456' }), 'fake-model');
    assert.equal(withKey.outcome.status, 'complete');
    assert.equal(chatRequests().at(-1)?.headers['authorization'], 'Bearer sk-local-123456');
  });

  it('says which model is unknown', async () => {
    const answer = await ask(await endpoint('openai-compatible', server.openAiBaseUrl), 'no-such-model');
    assert.equal(answer.outcome.problem?.kind, 'model-not-found');
    assert.match(answer.outcome.problem?.message ?? '', /"no-such-model" is not available on Test server/);
    assert.match(answer.outcome.problem?.hint ?? '', /Load "no-such-model" on the server/);
  });

  it('retries after a 429 with Retry-After and then answers', async () => {
    let calls = 0;
    server.onChat = () => (++calls === 1 ? { status: 429, headers: { 'retry-after-ms': '40' }, steps: [{ kind: 'write', data: '{"error":{"message":"Rate limit reached"}}' }] } : undefined);
    const answer = await ask(await endpoint('openai-compatible', server.openAiBaseUrl), 'fake-model');
    assert.equal(answer.outcome.status, 'complete');
    assert.equal(calls, 2);
    assert.ok(answer.events.some((event) => event.type === 'status' && /retrying in 1 s/.test(event.text ?? '')));
  });

  it('reports a 5xx with the server\'s message', async () => {
    server.onChat = () => ({ status: 500, steps: [{ kind: 'write', data: '{"error":{"message":"engine crashed"}}' }] });
    const answer = await ask(await endpoint('openai-compatible', server.openAiBaseUrl), 'fake-model');
    assert.equal(answer.outcome.problem?.kind, 'server');
    assert.match(answer.outcome.problem?.message ?? '', /failed with 500: engine crashed/);
  });

  it('recognises an HTML page (a base URL without /v1) on chat and on the model list', async () => {
    const html = { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, steps: [{ kind: 'write' as const, data: '<!DOCTYPE html><html><body>LM Studio</body></html>' }] };
    server.onChat = () => html;
    server.onModels = () => html;
    const withoutV1 = await ask(await endpoint('openai-compatible', server.url), 'fake-model');
    assert.equal(withoutV1.outcome.problem?.kind, 'wrong-endpoint', 'a 404 page for /chat/completions');
    const target = await endpoint('openai-compatible', server.openAiBaseUrl);
    const answer = await ask(target, 'fake-model');
    assert.equal(answer.outcome.problem?.kind, 'wrong-endpoint');
    assert.match(answer.outcome.problem?.message ?? '', /HTML page/);
    assert.match(answer.outcome.problem?.hint ?? '', /end in \/v1/);
    await assert.rejects(target.instance.listModels(callSignal(new AbortController().signal, silentLogger)), (error: Error & { kind?: string }) => error.kind === 'wrong-endpoint');
  });

  it('explains a port that fetch refuses to use', async () => {
    const answer = await ask(await endpoint('openai-compatible', 'http://127.0.0.1:6000/v1'), 'x');
    assert.equal(answer.outcome.problem?.kind, 'connection');
    assert.match(answer.outcome.problem?.message ?? '', /port 6000 is blocked/);
  });

  it('explains a refused connection with the URL and how to start the server', async () => {
    const port = Number(new URL(server.url).port);
    await server.close();
    const answer = await ask(await endpoint('openai-compatible', `http://127.0.0.1:${port}/v1`), 'fake-model');
    assert.equal(answer.outcome.status, 'failed');
    assert.equal(answer.outcome.problem?.kind, 'connection');
    assert.equal(answer.outcome.problem?.message, `Could not connect to Test server at http://127.0.0.1:${port}/v1 (connection refused).`);
    assert.match(answer.outcome.problem?.hint ?? '', /server is running/);
  });

  it('uses the well-known start hint for a default port', async () => {
    const lmStudio = await endpoint('openai-compatible', 'http://127.0.0.1:1234/v1');
    assert.match(failureContextFor(lmStudio.config, lmStudio.registry.providerType('openai-compatible')?.definition, lmStudio.registry).startHint ?? '', /LM Studio/);
  });

  it('asks again without stream_options when an old server rejects them', async () => {
    server.onChat = (request) =>
      (request.json as { stream_options?: unknown }).stream_options
        ? { status: 400, steps: [{ kind: 'write', data: '{"error":{"message":"Unrecognized request argument supplied: stream_options"}}' }] }
        : undefined;
    const target = await endpoint('openai-compatible', server.openAiBaseUrl);
    assert.equal((await ask(target, 'fake-model')).outcome.status, 'complete');
    assert.equal((await ask(target, 'fake-model')).outcome.status, 'complete');
    assert.deepEqual(chatRequests().map((request) => 'stream_options' in (request.json as object)), [true, false, false]);
  });
});

export async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
