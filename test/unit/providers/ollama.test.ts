import assert from 'node:assert/strict';
import { chooseContextWindow, estimateTokens } from '../../../plugins/ollama/src/contextWindow';
import { FakeModelServer, fakeAnswerFor, type RecordedRequest } from '../../support/fakeModelServer';
import { ollamaNdjsonBody, stepsFor, type OllamaStreamOptions } from '../../support/wireFormats';
import { ask, endpoint } from './harness';
import { waitFor } from './openAiCompatible.test';
import { callSignal } from '../../../src/core/plugins/callSignal';
import { silentLogger } from '../../../src/core/ports';

describe('ollama provider plugin against a fake server', () => {
  let server: FakeModelServer;

  beforeEach(async () => {
    server = await FakeModelServer.start();
  });

  afterEach(async () => {
    await server.close();
  });

  function chatBodies(): Record<string, unknown>[] {
    return server.requests.filter((request: RecordedRequest) => request.path === '/api/chat').map((request) => request.json as Record<string, unknown>);
  }

  function scriptNdjson(pieces: string[], options: OllamaStreamOptions = {}, chunkSize?: number): void {
    server.onChat = () => ({ steps: stepsFor(ollamaNdjsonBody(pieces, options)), ...(chunkSize ? { chunkSize } : {}) });
  }

  it('lists local models with family, size, quantization, window and whether they take tools and images', async () => {
    server.ollamaModels = [
      { name: 'qwen3:8b', family: 'qwen3', parameterSize: '8.2B', quantization: 'Q4_K_M', contextLength: 40960 },
      { name: 'llava:7b', family: 'llama', parameterSize: '7B', quantization: 'Q4_0', contextLength: 4096, capabilities: ['completion', 'vision'] },
    ];
    const { instance } = await endpoint('ollama', server.url);
    assert.deepEqual(await instance.listModels(callSignal(new AbortController().signal, silentLogger)), [
      { id: 'qwen3:8b', details: 'qwen3 · 8.2B · Q4_K_M · context 40,960', contextLength: 40960, capabilities: { tools: false, vision: false } },
      { id: 'llava:7b', details: 'llama · 7B · Q4_0 · context 4,096', contextLength: 4096, capabilities: { tools: false, vision: true } },
    ]);
  });

  it('streams an answer and always sends num_ctx, sized to the prompt within the model\'s window', async () => {
    server.ollamaModels = [{ name: 'fake-llama:latest', contextLength: 8192 }];
    const target = await endpoint('ollama', server.url);
    const short = await ask(target, 'fake-llama:latest', { generation: { temperature: 0.1, maxTokens: 100, topP: 0.5, stop: ['END'] } });
    assert.equal(short.outcome.status, 'complete');
    assert.equal(short.text, fakeAnswerFor('hello'));
    assert.ok(short.outcome.usage?.outputTokens);
    assert.deepEqual(chatBodies()[0]?.['options'], { num_ctx: 4096, temperature: 0.1, top_p: 0.5, num_predict: 100, stop: ['END'] });

    server.deltaDelayMs = 0;
    const long = 'x'.repeat(30_000);
    await ask(target, 'fake-llama:latest', { messages: [{ role: 'user', content: long }] });
    assert.equal((chatBodies()[1]?.['options'] as { num_ctx: number }).num_ctx, 8192, 'capped at the model\'s 8192');
    assert.equal(server.requests.filter((request) => request.path === '/api/show').length, 1, 'the window is asked once per model');
  });

  it('reads the same answer when every byte arrives alone', async () => {
    scriptNdjson(['ünï', 'cødé ✓'], {}, 1);
    const answer = await ask(await endpoint('ollama', server.url), 'fake-llama:latest');
    assert.equal(answer.outcome.status, 'complete');
    assert.equal(answer.text, 'ünïcødé ✓');
  });

  it('keeps the `thinking` field apart from the answer', async () => {
    scriptNdjson(['Four.'], { thinking: ['two and ', 'two'] });
    const answer = await ask(await endpoint('ollama', server.url), 'fake-llama:latest');
    assert.equal(answer.reasoning, 'two and two');
    assert.equal(answer.text, 'Four.');
  });

  it('accepts a final line with done_reason but no done', async () => {
    scriptNdjson(['fine'], { omitDone: true });
    const answer = await ask(await endpoint('ollama', server.url), 'fake-llama:latest');
    assert.equal(answer.outcome.status, 'complete');
    assert.equal(answer.outcome.finishReason, 'stop');
  });

  it('keeps the partial answer when an error line arrives mid-stream', async () => {
    scriptNdjson(['half '], { errorAfter: 'llama runner process has terminated' });
    const answer = await ask(await endpoint('ollama', server.url), 'fake-llama:latest');
    assert.equal(answer.outcome.status, 'incomplete');
    assert.match(answer.outcome.problem?.message ?? '', /llama runner process has terminated/);
    assert.equal(answer.text, 'half ');
  });

  it('calls a stream that ends without its final line incomplete', async () => {
    scriptNdjson(['never ', 'finished'], { noFinalLine: true });
    const answer = await ask(await endpoint('ollama', server.url), 'fake-llama:latest');
    assert.equal(answer.outcome.status, 'incomplete');
    assert.equal(answer.outcome.problem?.kind, 'interrupted');
  });

  it('suggests `ollama pull` for a model that is not there', async () => {
    const answer = await ask(await endpoint('ollama', server.url), 'llama9:70b');
    assert.equal(answer.outcome.problem?.kind, 'model-not-found');
    assert.equal(answer.outcome.problem?.hint, 'Download it with `ollama pull llama9:70b`, or pick a model Ollama lists.');
  });

  it('Stop aborts the streaming HTTP request', async () => {
    server.ollamaModels = [{ name: 'fake-slow:latest', contextLength: 4096 }];
    const stop = new AbortController();
    const pending = ask(await endpoint('ollama', server.url), 'fake-slow:latest', { signal: stop.signal });
    await waitFor(() => chatBodies().length === 1 && server.activeResponses === 1);
    stop.abort();
    assert.equal((await pending).outcome.status, 'stopped');
    await waitFor(() => server.activeResponses === 0);
  });

  it('pulls a model with progress, then lists it; shows its details; deletes it', async () => {
    server.pullStepMs = 5;
    const { instance } = await endpoint('ollama', server.url);
    const manage = instance.modelManagement!;
    const progress: { status: string; completed?: number; total?: number }[] = [];
    await manage.pull('tinyllama', (step) => progress.push(step), new AbortController().signal);
    assert.equal(progress[0]?.status, 'pulling manifest');
    assert.deepEqual(progress.filter((step) => step.total).map((step) => step.completed), [0, 500_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000, 3_000_000, 3_500_000, 4_000_000]);
    assert.equal(progress.at(-1)?.status, 'success');
    assert.ok((await instance.listModels(callSignal(new AbortController().signal, silentLogger))).some((model) => model.id === 'tinyllama:latest'));
    assert.deepEqual(await manage.details('fake-llama:latest', new AbortController().signal), {
      Family: 'llama', Parameters: '8.0B', Quantization: 'Q4_K_M', Format: 'gguf', 'Context length': '8,192', Capabilities: 'completion',
    });
    await manage.delete('tinyllama:latest', new AbortController().signal);
    assert.ok(!(await instance.listModels(callSignal(new AbortController().signal, silentLogger))).some((model) => model.id === 'tinyllama:latest'));
    await assert.rejects(manage.delete('nope:latest', new AbortController().signal), /not found/);
  });

  it('cancels a pull when asked, and the model is not listed', async () => {
    server.pullStepMs = 100;
    const { instance } = await endpoint('ollama', server.url);
    const stop = new AbortController();
    const seen: string[] = [];
    const pulling = instance.modelManagement!.pull('slowpoke', (step) => {
      seen.push(step.status);
      if (seen.length === 2) stop.abort();
    }, stop.signal);
    await assert.rejects(pulling);
    await waitFor(() => server.activeResponses === 0);
    assert.ok(!(await instance.listModels(callSignal(new AbortController().signal, silentLogger))).some((model) => model.id.startsWith('slowpoke')));
  });

  it('explains a refused connection with how to start Ollama', async () => {
    const port = new URL(server.url).port;
    await server.close();
    const answer = await ask(await endpoint('ollama', `http://127.0.0.1:${port}`), 'fake-llama:latest');
    assert.equal(answer.outcome.problem?.kind, 'connection');
    assert.match(answer.outcome.problem?.hint ?? '', /Ollama is running/);
  });
});

describe('chooseContextWindow', () => {
  it('rounds up to a fixed step so the model is not reloaded for every prompt size', () => {
    assert.equal(chooseContextWindow(100, 2048, undefined), 4096);
    assert.equal(chooseContextWindow(3000, 2048, undefined), 8192);
    assert.equal(chooseContextWindow(20000, 2048, 131072), 32768);
  });

  it('never exceeds the model\'s own window', () => {
    assert.equal(chooseContextWindow(100_000, 2048, 40960), 40960);
  });

  it('estimates tokens generously', () => {
    assert.equal(estimateTokens('abcdef'), 2);
    assert.ok(estimateTokens('x'.repeat(4000)) >= 1000);
  });
});
