import assert from 'node:assert/strict';
import type { SseJsonItem } from '../../../src/core/api';
import { ndjson } from '../../../src/core/streaming/ndjson';
import { sseJson } from '../../../src/core/streaming/sseJson';
import { collect, collectUntilError } from '../../support/chunking';
import { FakeModelServer, fakeAnswerFor, type RecordedRequest } from '../../support/fakeModelServer';
import { ollamaNdjsonBody, openAiSseBody, openAiSsePayloads, stepsFor } from '../../support/wireFormats';

type Json = Record<string, unknown>;

function postJson(url: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
    body: JSON.stringify(body),
  });
}

function contentOfSse(items: SseJsonItem[]): string {
  let text = '';
  for (const item of items) {
    if (item.kind !== 'data') continue;
    const piece = (item.value as { choices?: Array<{ delta?: { content?: unknown } }> }).choices?.[0]?.delta?.content;
    if (typeof piece === 'string') text += piece;
  }
  return text;
}

function dataValues(items: SseJsonItem[]): Json[] {
  return items.flatMap((item) => (item.kind === 'data' ? [item.value as Json] : []));
}

async function readAllChunks(response: Response): Promise<Uint8Array[]> {
  assert.ok(response.body);
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body) chunks.push(chunk);
  return chunks;
}

const USER_TEXT = 'héllo 🌍 日本';

describe('FakeModelServer', function () {
  this.timeout(10000);
  let server: FakeModelServer;

  beforeEach(async () => {
    server = await FakeModelServer.start();
  });

  afterEach(async () => {
    await server.close();
  });

  it('listens on 127.0.0.1 and exposes its URLs', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(server.openAiBaseUrl, `${server.url}/v1`);
  });

  describe('OpenAI-compatible routes', () => {
    it('lists models in the /v1/models shape, with max_model_len when set', async () => {
      server.openAiModels = [{ id: 'a' }, { id: 'b', max_model_len: 32768 }];
      const response = await fetch(`${server.openAiBaseUrl}/models`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/);
      const body = (await response.json()) as { object: string; data: Json[] };
      assert.equal(body.object, 'list');
      assert.deepEqual(
        body.data.map((m) => [m.id, m.object, m.owned_by, typeof m.created, m.max_model_len]),
        [
          ['a', 'model', 'fake', 'number', undefined],
          ['b', 'model', 'fake', 'number', 32768],
        ],
      );
      assert.ok(!('max_model_len' in (body.data[0] ?? {})));
    });

    it('streams the default answer as SSE in many small deltas, with usage and [DONE]', async () => {
      const response = await postJson(`${server.openAiBaseUrl}/chat/completions`, {
        model: 'fake-model',
        stream: true,
        stream_options: { include_usage: true },
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'first' },
          { role: 'assistant', content: 'ok' },
          { role: 'user', content: [{ type: 'text', text: USER_TEXT }] },
        ],
      });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
      assert.ok(response.body);
      const items = await collect(sseJson(response.body));
      const answer = fakeAnswerFor(USER_TEXT);
      assert.ok(answer.includes('```python\nprint("hello")\n```'));
      assert.equal(contentOfSse(items), answer);

      const values = dataValues(items);
      const contentChunks = values.filter((v) => typeof (v.choices as Array<{ delta: Json }>)[0]?.delta.content === 'string');
      assert.ok(contentChunks.length >= 10, `${contentChunks.length} content chunks`);
      assert.ok(values.every((v) => v.object === 'chat.completion.chunk' && v.model === 'fake-model'));

      assert.deepEqual(items[items.length - 1], { kind: 'done' });
      const usageChunk = values[values.length - 1];
      assert.deepEqual(usageChunk?.choices, []);
      const usage = usageChunk?.usage as { prompt_tokens: number; completion_tokens: number; total_tokens: number };
      assert.ok(usage.prompt_tokens > 0 && usage.completion_tokens > 0);
      assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
      const finishChunk = values[values.length - 2];
      assert.equal((finishChunk?.choices as Array<{ finish_reason: unknown }>)[0]?.finish_reason, 'stop');
    });

    it('sends no usage chunk unless stream_options.include_usage is set', async () => {
      const response = await postJson(`${server.openAiBaseUrl}/chat/completions`, {
        model: 'fake-model',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      });
      assert.ok(response.body);
      const values = dataValues(await collect(sseJson(response.body)));
      assert.ok(values.every((v) => v.usage === undefined));
      assert.ok(values.every((v) => Array.isArray(v.choices) && v.choices.length === 1));
    });

    it('answers stream: false with one chat.completion object', async () => {
      const response = await postJson(`${server.openAiBaseUrl}/chat/completions`, {
        model: 'fake-model',
        messages: [{ role: 'user', content: 'plain' }],
      });
      assert.equal(response.status, 200);
      const body = (await response.json()) as Json & { choices: Array<{ message: Json; finish_reason: string }> };
      assert.equal(body.object, 'chat.completion');
      assert.deepEqual(body.choices[0]?.message, { role: 'assistant', content: fakeAnswerFor('plain') });
      assert.equal(body.choices[0]?.finish_reason, 'stop');
    });

    it('answers an unknown model with vLLM\'s 404 body', async () => {
      const response = await postJson(`${server.openAiBaseUrl}/chat/completions`, { model: 'nope', stream: true, messages: [] });
      assert.equal(response.status, 404);
      assert.deepEqual(await response.json(), { error: { message: 'The model `nope` does not exist.', type: 'NotFoundError', code: 404 } });
    });

    it('streams fake-slow one delta about every 100 ms until the client stops', async () => {
      const controller = new AbortController();
      const response = await postJson(
        `${server.openAiBaseUrl}/chat/completions`,
        { model: 'fake-slow', stream: true, messages: [{ role: 'user', content: 'wait' }] },
        { signal: controller.signal },
      );
      assert.ok(response.body);
      const arrivals: number[] = [];
      let content = '';
      const items = sseJson(response.body);
      for await (const item of items) {
        if (item.kind !== 'data') continue;
        const piece = (item.value as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content;
        if (piece === undefined || piece === '') continue;
        content += piece;
        arrivals.push(Date.now());
        if (arrivals.length === 5) break;
      }
      assert.equal(server.activeResponses, 1, 'still streaming');
      controller.abort();
      assert.ok(content.startsWith('You said: wait'), content);
      const gaps = arrivals.slice(1).map((t, i) => t - (arrivals[i] ?? t));
      assert.ok(gaps.every((gap) => gap >= 70), `gaps ${gaps.join(',')}`);
      // The server notices that the client went away and stops its script.
      for (let i = 0; i < 50 && server.activeResponses > 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(server.activeResponses, 0);
    });
  });

  describe('Ollama native routes', () => {
    it('streams /api/chat as NDJSON by default, ending with a done line', async () => {
      const response = await postJson(`${server.url}/api/chat`, { model: 'fake-llama', messages: [{ role: 'user', content: USER_TEXT }] });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /application\/x-ndjson/);
      assert.ok(response.body);
      const values = (await collect(ndjson(response.body))) as Json[];
      assert.ok(values.length > 10);
      const content = values.map((v) => (v.message as { content: string }).content).join('');
      assert.equal(content, fakeAnswerFor(USER_TEXT));
      assert.ok(values.slice(0, -1).every((v) => v.done === false && v.model === 'fake-llama:latest'));
      const last = values[values.length - 1] ?? {};
      assert.equal(last.done, true);
      assert.equal(last.done_reason, 'stop');
      for (const field of ['total_duration', 'eval_count', 'prompt_eval_count', 'eval_duration']) {
        assert.equal(typeof last[field], 'number', field);
      }
    });

    it('answers /api/chat with stream: false as one JSON object', async () => {
      const response = await postJson(`${server.url}/api/chat`, {
        model: 'fake-llama:latest',
        stream: false,
        messages: [{ role: 'user', content: 'x' }],
      });
      const body = (await response.json()) as Json;
      assert.equal(body.done, true);
      assert.deepEqual(body.message, { role: 'assistant', content: fakeAnswerFor('x') });
    });

    it('answers an unknown model on /api/chat with Ollama\'s 404 body', async () => {
      const response = await postJson(`${server.url}/api/chat`, { model: 'ghost', messages: [] });
      assert.equal(response.status, 404);
      assert.equal(await response.text(), '{"error":"model \\"ghost\\" not found, try pulling it first"}');
    });

    it('lists models on /api/tags and describes them on /api/show', async () => {
      server.ollamaModels = [
        { name: 'qwen3:8b', contextLength: 40960, capabilities: ['completion', 'tools', 'thinking'], family: 'qwen3', parameterSize: '8.2B', quantization: 'Q4_K_M' },
        { name: 'tiny:latest' },
      ];
      const tags = (await (await fetch(`${server.url}/api/tags`)).json()) as { models: Json[] };
      assert.deepEqual(
        tags.models.map((m) => [m.name, m.model, typeof m.size, typeof m.digest, typeof m.modified_at]),
        [
          ['qwen3:8b', 'qwen3:8b', 'number', 'string', 'string'],
          ['tiny:latest', 'tiny:latest', 'number', 'string', 'string'],
        ],
      );
      assert.deepEqual(tags.models[0]?.details, {
        parent_model: '',
        format: 'gguf',
        family: 'qwen3',
        families: ['qwen3'],
        parameter_size: '8.2B',
        quantization_level: 'Q4_K_M',
      });

      const show = (await (await postJson(`${server.url}/api/show`, { model: 'qwen3:8b' })).json()) as Json;
      assert.deepEqual(show.capabilities, ['completion', 'tools', 'thinking']);
      const info = show.model_info as Json;
      assert.equal(info['general.architecture'], 'qwen3');
      assert.equal(info['qwen3.context_length'], 40960);

      const tiny = (await (await postJson(`${server.url}/api/show`, { model: 'tiny' })).json()) as Json;
      assert.deepEqual(tiny.capabilities, ['completion']);
      assert.equal((tiny.model_info as Json)['llama.context_length'], undefined);

      const missing = await postJson(`${server.url}/api/show`, { model: 'x' });
      assert.equal(missing.status, 404);
      assert.deepEqual(await missing.json(), { error: "model 'x' not found" });
    });

    it('reports a version on /api/version', async () => {
      const body = (await (await fetch(`${server.url}/api/version`)).json()) as { version: unknown };
      assert.match(String(body.version), /^\d+\.\d+\.\d+$/);
    });
  });

  it('answers unknown routes with a 404 text', async () => {
    const response = await fetch(`${server.url}/nothing/here`);
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type') ?? '', /text\/plain/);
    assert.equal(await response.text(), '404 page not found');
  });

  it('records every request with method, path, headers, raw body and parsed JSON', async () => {
    await fetch(`${server.url}/api/tags`);
    const body = { model: 'fake-model', stream: false, messages: [{ role: 'user', content: USER_TEXT }] };
    await (await postJson(`${server.openAiBaseUrl}/chat/completions?x=1`, body, { headers: { authorization: 'Bearer k1' } })).text();
    await (await fetch(`${server.url}/api/chat`, { method: 'POST', body: 'not json' })).text();
    assert.equal(server.requests.length, 3);
    const [tags, chat, bad] = server.requests as [RecordedRequest, RecordedRequest, RecordedRequest];
    assert.deepEqual([tags.method, tags.path, tags.bodyText, tags.json], ['GET', '/api/tags', '', undefined]);
    assert.equal(chat.method, 'POST');
    assert.equal(chat.path, '/v1/chat/completions?x=1');
    assert.equal(chat.headers.authorization, 'Bearer k1');
    assert.equal(chat.headers['content-type'], 'application/json');
    assert.equal(chat.bodyText, JSON.stringify(body));
    assert.deepEqual(chat.json, body);
    assert.deepEqual([bad.bodyText, bad.json], ['not json', undefined]);
  });

  describe('scripted responses', () => {
    it('lets onChat script the response and falls back to the default when it returns undefined', async () => {
      const seen: string[] = [];
      server.onChat = (request) => {
        seen.push(request.path);
        if ((request.json as Json).model !== 'scripted') return undefined;
        return { steps: stepsFor(ollamaNdjsonBody(['a', 'b'], { model: 'scripted' })) };
      };
      server.ollamaModels.push({ name: 'scripted:latest' });
      const scripted = await postJson(`${server.url}/api/chat`, { model: 'scripted', messages: [] });
      assert.match(scripted.headers.get('content-type') ?? '', /application\/x-ndjson/, 'the route\'s content type by default');
      assert.ok(scripted.body);
      const values = (await collect(ndjson(scripted.body))) as Json[];
      assert.deepEqual(values.map((v) => (v.message as Json | undefined)?.content), ['a', 'b', '']);

      const fallback = await postJson(`${server.openAiBaseUrl}/chat/completions`, { model: 'fake-model', messages: [{ role: 'user', content: 'q' }] });
      assert.equal(((await fallback.json()) as { choices: Array<{ message: Json }> }).choices[0]?.message.content, fakeAnswerFor('q'));
      assert.deepEqual(seen, ['/api/chat', '/v1/chat/completions']);
    });

    it('sends the scripted status and headers', async () => {
      server.onChat = () => ({
        status: 429,
        headers: { 'Retry-After': '7', 'content-type': 'application/json' },
        steps: [{ kind: 'write', data: '{"error":{"message":"slow down"}}' }],
      });
      const response = await postJson(`${server.openAiBaseUrl}/chat/completions`, { model: 'fake-model', messages: [] });
      assert.equal(response.status, 429);
      assert.equal(response.headers.get('retry-after'), '7');
      assert.deepEqual(await response.json(), { error: { message: 'slow down' } });
    });

    it('lets onModels answer with an HTML page or a server error', async () => {
      server.onModels = (request) =>
        request.path.startsWith('/v1/')
          ? { headers: { 'content-type': 'text/html' }, steps: [{ kind: 'write', data: '<!DOCTYPE html><html><body>router login</body></html>' }] }
          : { status: 500, steps: [{ kind: 'write', data: '{"error":"boom"}' }] };
      const html = await fetch(`${server.openAiBaseUrl}/models`);
      assert.equal(html.status, 200);
      assert.equal(html.headers.get('content-type'), 'text/html');
      assert.match(await html.text(), /router login/);
      const failing = await fetch(`${server.url}/api/tags`);
      assert.equal(failing.status, 500);
      assert.deepEqual(await failing.json(), { error: 'boom' });
    });

    it('delivers many separate chunks to the client with chunkSize: 1', async () => {
      const body = openAiSseBody(['héllo ', '🌍 ', '日本'], { model: 'fake-model' });
      const bytes = new TextEncoder().encode(body);
      server.onChat = () => ({ headers: { 'content-type': 'text/event-stream' }, chunkSize: 1, steps: [{ kind: 'write', data: body }] });
      const response = await postJson(`${server.openAiBaseUrl}/chat/completions`, { model: 'fake-model', stream: true, messages: [] });
      const chunks = await readAllChunks(response);
      if (process.env.FAKE_SERVER_DEBUG) console.log(`${chunks.length} chunks for ${bytes.length} bytes`);
      assert.ok(chunks.length > bytes.length / 2, `${chunks.length} chunks for ${bytes.length} bytes`);
      assert.deepEqual(Buffer.concat(chunks), Buffer.from(bytes));
    });

    it('decodes a chunkSize: 1 stream with the project\'s parser', async () => {
      const pieces = ['héllo ', '🌍 ', '日本'];
      server.onChat = () => ({ chunkSize: 1, steps: stepsFor(openAiSseBody(pieces, { lineEnding: '\r\n', spaceAfterColon: false })) });
      const response = await postJson(`${server.openAiBaseUrl}/chat/completions`, { model: 'fake-model', stream: true, messages: [] });
      assert.ok(response.body);
      const items = await collect(sseJson(response.body));
      assert.equal(contentOfSse(items), 'héllo 🌍 日本');
      assert.equal(items.length, openAiSsePayloads(pieces).length);
    });

    it('waits for delay steps between writes', async () => {
      server.onChat = () => ({ steps: [{ kind: 'write', data: 'a' }, { kind: 'delay', ms: 150 }, { kind: 'write', data: 'b' }] });
      const response = await postJson(`${server.openAiBaseUrl}/chat/completions`, { model: 'fake-model', stream: true, messages: [] });
      assert.ok(response.body);
      const times: number[] = [];
      let text = '';
      for await (const chunk of response.body) {
        times.push(Date.now());
        text += new TextDecoder().decode(chunk);
      }
      assert.equal(text, 'ab');
      assert.equal(times.length, 2);
      assert.ok((times[1] ?? 0) - (times[0] ?? 0) >= 120, `gap ${(times[1] ?? 0) - (times[0] ?? 0)}`);
    });

    it('makes the client\'s body read fail on cut, after the data written before it', async () => {
      server.onChat = () => ({ steps: [{ kind: 'write', data: 'data: {"n":1}\n\n' }, { kind: 'cut' }] });
      const response = await postJson(`${server.openAiBaseUrl}/chat/completions`, { model: 'fake-model', stream: true, messages: [] });
      assert.equal(response.status, 200);
      assert.ok(response.body);
      const { items, error } = await collectUntilError(sseJson(response.body));
      assert.deepEqual(items, [{ kind: 'data', value: { n: 1 } }]);
      assert.ok(error instanceof Error, `expected the read to fail, got ${String(error)}`);
    });

    it('makes fetch itself fail on cut before any header when holdHeaders is set', async () => {
      server.onChat = () => ({ holdHeaders: true, steps: [{ kind: 'cut' }] });
      await assert.rejects(postJson(`${server.openAiBaseUrl}/chat/completions`, { model: 'fake-model', messages: [] }));
    });

    it('never finishes a stalled response: the client gives up through its AbortSignal', async () => {
      server.onChat = () => ({ steps: [{ kind: 'write', data: 'data: {"n":1}\n\n' }, { kind: 'stall' }] });
      const started = Date.now();
      const response = await postJson(
        `${server.openAiBaseUrl}/chat/completions`,
        { model: 'fake-model', stream: true, messages: [] },
        { signal: AbortSignal.timeout(400) },
      );
      assert.ok(response.body);
      const { items, error } = await collectUntilError(sseJson(response.body));
      assert.deepEqual(items, [{ kind: 'data', value: { n: 1 } }]);
      assert.ok(error instanceof Error);
      assert.match(error.name, /TimeoutError|AbortError/);
      assert.ok(Date.now() - started >= 350, `gave up after ${Date.now() - started} ms`);
    });

    it('sends no headers at all for a stall before any write with holdHeaders', async () => {
      server.onChat = () => ({ holdHeaders: true, steps: [{ kind: 'stall' }] });
      await assert.rejects(
        postJson(`${server.openAiBaseUrl}/chat/completions`, { model: 'fake-model', messages: [] }, { signal: AbortSignal.timeout(300) }),
        (error: Error) => /TimeoutError|AbortError/.test(error.name),
      );
    });
  });

  describe('requiredApiKey', () => {
    it('answers /v1/* with 401 unless the bearer key matches, and leaves /api/* open', async () => {
      server.requiredApiKey = 'sk-test';
      const missing = await fetch(`${server.openAiBaseUrl}/models`);
      assert.equal(missing.status, 401);
      const missingBody = (await missing.json()) as { error: Json };
      assert.equal(missingBody.error.code, 'invalid_api_key');
      assert.equal(missingBody.error.type, 'invalid_request_error');
      assert.equal(typeof missingBody.error.message, 'string');

      const wrong = await postJson(`${server.openAiBaseUrl}/chat/completions`, { model: 'fake-model', messages: [] }, { headers: { authorization: 'Bearer nope' } });
      assert.equal(wrong.status, 401);
      assert.match(((await wrong.json()) as { error: { message: string } }).error.message, /Incorrect API key/);

      const right = await fetch(`${server.openAiBaseUrl}/models`, { headers: { authorization: 'Bearer sk-test' } });
      assert.equal(right.status, 200);
      assert.equal(((await right.json()) as { object: string }).object, 'list');

      assert.equal((await fetch(`${server.url}/api/tags`)).status, 200);
      assert.equal(server.requests.length, 4, 'rejected requests are recorded too');
    });
  });

  describe('close()', () => {
    it('ends stalled connections, failing the client\'s pending read', async () => {
      server.onChat = () => ({ steps: [{ kind: 'write', data: 'data: {"n":1}\n\n' }, { kind: 'stall' }] });
      const response = await postJson(`${server.openAiBaseUrl}/chat/completions`, { model: 'fake-model', stream: true, messages: [] });
      assert.ok(response.body);
      const reader = response.body.getReader();
      const first = await reader.read();
      assert.equal(first.done, false);
      const pending = reader.read();
      const started = Date.now();
      await server.close();
      assert.ok(Date.now() - started < 1000, `close took ${Date.now() - started} ms`);
      await assert.rejects(pending);
    });

    it('ends a running fake-slow stream and can be called twice', async () => {
      server.ollamaModels.push({ name: 'fake-slow:latest' });
      const slow = await postJson(`${server.url}/api/chat`, { model: 'fake-slow', messages: [{ role: 'user', content: 'x' }] });
      assert.ok(slow.body);
      const { items, error } = await Promise.all([collectUntilError(ndjson(slow.body)), server.close(), server.close()]).then(([r]) => r);
      assert.ok(error instanceof Error, 'the slow stream was ended without its done line');
      assert.ok(items.length < 10, `${items.length} lines before close`);
      assert.equal(server.activeResponses, 0);
    });
  });
});
