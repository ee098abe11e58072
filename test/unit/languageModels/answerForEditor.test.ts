import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerForEditor, EditorModelError, type EditorAnswerOptions, type EditorAnswerPart } from '../../../src/core/languageModels/answerForEditor';
import { TokenCounter } from '../../../src/core/languageModels/tokenCount';
import { failureContextFor } from '../../../src/core/providers/providerCatalog';
import type { ResolvedModel } from '../../../src/core/providers/resolvedModel';
import { FakeModelServer, type ScriptedResponse } from '../../support/fakeModelServer';
import { stepsFor } from '../../support/wireFormats';
import { endpoint } from '../providers/harness';

function sse(deltas: object[], finishReason: string): ScriptedResponse {
  const events = deltas.map((delta) => `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
  events.push(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: finishReason }] })}\n\n`, 'data: [DONE]\n\n');
  return { headers: { 'content-type': 'text/event-stream' }, steps: stepsFor(events.join('')), chunkSize: 5 };
}

describe('answering a vscode.lm request with Patchbay\'s pipeline', function () {
  this.timeout(20_000);
  let server: FakeModelServer;

  before(async () => (server = await FakeModelServer.start()));
  after(() => server.close());

  async function resolved(apiKey?: string): Promise<ResolvedModel> {
    const target = await endpoint('openai-compatible', server.openAiBaseUrl, apiKey ? { apiKey } : {});
    return { modelId: 'fake-model', provider: target.instance, label: 'fake-model · Test server', failureContext: { ...failureContextFor(target.config, undefined, target.registry), model: 'fake-model' } };
  }

  async function answer(signal = new AbortController().signal, apiKey?: string, tools: Pick<EditorAnswerOptions, 'toolMode' | 'learnPromptOnly'> = {}): Promise<EditorAnswerPart[]> {
    const parts: EditorAnswerPart[] = [];
    await answerForEditor({
      resolved: await resolved(apiKey),
      request: { model: 'fake-model', messages: [{ role: 'user', content: 'hi' }], options: {}, tools: [{ name: 'weather', description: 'Weather', parameters: { type: 'object', properties: {} } }] },
      signal,
      idleTimeoutMs: 10_000,
      ...tools,
      report: (part) => parts.push(part),
    });
    return parts;
  }

  /** The bodies of the chat requests the server received since `from`. */
  const bodiesSince = (from: number) => server.requests.slice(from).filter((request) => request.path.includes('/chat/completions')).map((request) => request.json as { tools?: unknown; messages: { role: string; content: string }[] });

  it('streams text, keeps reasoning apart as thinking, and reports a whole tool call with its input', async () => {
    server.onChat = () =>
      sse(
        [
          { role: 'assistant', reasoning_content: 'Let me ' },
          { reasoning_content: 'check.' },
          { content: 'Checking ' },
          { content: 'the weather.' },
          { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"ci' } }] },
          { tool_calls: [{ index: 0, function: { arguments: 'ty":"Oslo"}' } }] },
        ],
        'tool_calls',
      );
    const parts = await answer();
    const joined = (kind: 'text' | 'thinking') => parts.flatMap((part) => (part.kind === kind ? [part.text] : [])).join('');
    assert.equal(joined('thinking'), 'Let me check.');
    assert.equal(joined('text'), 'Checking the weather.');
    assert.deepEqual(parts.filter((part) => part.kind === 'toolCall'), [{ kind: 'toolCall', callId: 'call_1', name: 'weather', input: { city: 'Oslo' } }]);
  });

  it('stops when the caller cancels: the server sees the request closed, and nothing is thrown', async () => {
    server.onChat = undefined;
    const controller = new AbortController();
    const parts: EditorAnswerPart[] = [];
    const target = await resolved();
    const done = answerForEditor({
      resolved: { ...target, modelId: 'fake-slow' },
      request: { model: 'fake-slow', messages: [{ role: 'user', content: 'a long one' }], options: {} },
      signal: controller.signal,
      idleTimeoutMs: 10_000,
      report: (part) => {
        parts.push(part);
        controller.abort();
      },
    });
    await done;
    assert.ok(parts.length >= 1 && parts.length < 5, `${parts.length} parts after the cancel`);
    // The slow answer takes seconds; its response is over at once only because the request was closed.
    const until = Date.now() + 1_000;
    while (server.activeResponses > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(server.activeResponses, 0, 'the server saw the request closed');
  });

  it("describes the caller's tools in the prompt for a model that cannot take them, and reports its <tool_call> block as a tool call", async () => {
    server.onChat = () => sse([{ role: 'assistant', content: 'Let me look. <tool_' }, { content: 'call>{"name": "weather", "arguments": {"city": "Oslo"}}</tool_call>' }], 'stop');
    const from = server.requests.length;
    const parts = await answer(undefined, undefined, { toolMode: 'prompt' });
    const [body] = bodiesSince(from);
    assert.equal(body?.tools, undefined, 'no native tools are sent');
    assert.equal(body?.messages[0]?.role, 'system');
    assert.match(body?.messages[0]?.content ?? '', /"name":"weather"/);
    assert.equal(parts.flatMap((part) => (part.kind === 'text' ? [part.text] : [])).join(''), 'Let me look. ');
    assert.deepEqual(parts.filter((part) => part.kind === 'toolCall').map((part) => part.kind === 'toolCall' && [part.name, part.input]), [['weather', { city: 'Oslo' }]]);
  });

  it('asks again with the tools in the prompt when the server says the model does not support tools', async () => {
    server.onChat = (request) =>
      JSON.stringify(request.json).includes('"tools"')
        ? { status: 400, headers: { 'content-type': 'application/json' }, steps: stepsFor(JSON.stringify({ error: { message: 'registry.ollama.ai/library/gemma:2b does not support tools', type: 'api_error' } })) }
        : sse([{ role: 'assistant', content: 'Sunny.' }], 'stop');
    const learned: string[] = [];
    const from = server.requests.length;
    const parts = await answer(undefined, undefined, { toolMode: 'native', learnPromptOnly: (problem) => (learned.push(problem.message), true) });
    assert.equal(bodiesSince(from).length, 2);
    assert.equal(bodiesSince(from)[1]?.tools, undefined);
    assert.match(learned.join(), /does not support tools/);
    assert.deepEqual(parts, [{ kind: 'text', text: 'Sunny.' }]);
    // Without a way to learn it, the refusal is the caller's error.
    await assert.rejects(answer(undefined, undefined, { toolMode: 'native' }), EditorModelError);
  });

  it('fails with the API\'s kinds: a refused key is NoPermissions, an unknown model NotFound', async () => {
    server.onChat = undefined;
    server.requiredApiKey = 'right';
    await assert.rejects(answer(undefined, 'wrong'), (error: unknown) => error instanceof EditorModelError && error.code === 'NoPermissions' && /key/i.test(error.message));
    server.requiredApiKey = undefined;
    server.onChat = () => ({ status: 404, headers: { 'content-type': 'application/json' }, steps: stepsFor(JSON.stringify({ error: { message: 'model "fake-model" not found', type: 'invalid_request_error', code: 'model_not_found' } })) });
    await assert.rejects(answer(), (error: unknown) => error instanceof EditorModelError && error.code === 'NotFound');
  });
});

describe('token counts for vscode.lm', () => {
  let tokenizer: http.Server;
  let calls: string[];
  let shape: 'llama.cpp' | 'vllm' | 'none';

  before(async () => {
    tokenizer = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        calls.push(`${req.method} ${req.url} ${body}`);
        const json = JSON.parse(body || '{}') as { content?: string; prompt?: string };
        if (req.url !== '/tokenize' || shape === 'none') return res.writeHead(404).end();
        if (shape === 'llama.cpp' && json.content !== undefined) return res.end(JSON.stringify({ tokens: json.content.split(' ').map((_, index) => index) }));
        if (shape === 'vllm' && json.prompt !== undefined) return res.end(JSON.stringify({ count: json.prompt.split(' ').length * 2, tokens: [] }));
        res.writeHead(400).end('{"error":"bad body"}');
      });
    });
    await new Promise<void>((resolve) => tokenizer.listen(0, '127.0.0.1', resolve));
  });
  after(() => tokenizer.close());
  beforeEach(() => (calls = []));

  const base = () => `http://127.0.0.1:${(tokenizer.address() as AddressInfo).port}/v1`;

  it("counts with a llama.cpp server's tokenizer, and a vLLM server's, learning which once", async () => {
    shape = 'llama.cpp';
    assert.equal(await new TokenCounter({ fetch }).count('one two three', 'm', base()), 3);
    shape = 'vllm';
    calls = [];
    const counter = new TokenCounter({ fetch });
    assert.equal(await counter.count('one two three', 'm', base()), 6);
    assert.equal(await counter.count('four five', 'm', base()), 4);
    assert.equal(calls.filter((call) => call.includes('"content"')).length, 1, 'the llama.cpp shape is tried once, then remembered as not understood');
  });

  it('estimates when the server has no tokenizer (Ollama, LM Studio), and stops asking it', async () => {
    shape = 'none';
    const counter = new TokenCounter({ fetch });
    const text = 'x'.repeat(30);
    assert.equal(await counter.count(text, 'm', base()), 10);
    const asked = calls.length;
    assert.equal(await counter.count(text, 'm', base()), 10);
    assert.equal(calls.length, asked, 'a server without a tokenizer is not asked again');
    assert.equal(await counter.count(text, 'm', undefined), 10);
  });
});
