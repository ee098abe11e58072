/**
 * Every answer a real server sends ends in the right state: complete, cut off by the token
 * limit, refused, failed with the server's words, or interrupted with the partial answer kept.
 * Each shape below was seen from a real server; the fake server plays it byte for byte.
 */
import assert from 'node:assert/strict';
import { FakeModelServer, type ScriptedResponse } from '../../support/fakeModelServer';
import {
  htmlPage, ollamaNdjsonBody, openAiCompletion, openAiSseBody, stepsFor, type OllamaStreamOptions, type OpenAiStreamOptions,
} from '../../support/wireFormats';
import { ask, endpoint, type Answer } from './harness';

const quickRetries = { maxRetries: 3, maxWaitMs: 60_000, defaultWaitMs: 5 };

describe('wire states: how each real answer ends', function () {
  this.timeout(20_000);
  let server: FakeModelServer;

  beforeEach(async () => {
    server = await FakeModelServer.start();
  });

  afterEach(async () => {
    await server.close();
  });

  function script(response: ScriptedResponse): void {
    server.onChat = () => response;
  }

  function sse(pieces: string[], options: OpenAiStreamOptions = {}): ScriptedResponse {
    return { steps: stepsFor(openAiSseBody(pieces, options)) };
  }

  function ndjson(pieces: string[], options: OllamaStreamOptions = {}): ScriptedResponse {
    return { steps: stepsFor(ollamaNdjsonBody(pieces, options)) };
  }

  async function askOpenAi(): Promise<Answer> {
    return ask(await endpoint('openai-compatible', server.openAiBaseUrl), 'fake-model', { rateLimit: quickRetries });
  }

  async function askOllama(): Promise<Answer> {
    return ask(await endpoint('ollama', server.url), 'fake-llama:latest', { rateLimit: quickRetries });
  }

  function refusals(answer: Answer): string {
    return answer.events.map((event) => (event.type === 'refusal' ? event.text : '')).join('');
  }

  describe('OpenAI-compatible servers', () => {
    it('marks an answer that stopped at the token limit as cut off, with Continue', async () => {
      script(sse(['The first ', 'half of'], { finishReason: 'length' }));
      const answer = await askOpenAi();
      assert.equal(answer.outcome.status, 'incomplete');
      assert.equal(answer.outcome.problem?.kind, 'token-limit');
      assert.match(answer.outcome.problem?.message ?? '', /cut off by the token limit/);
      assert.deepEqual(answer.outcome.problem?.actions, ['continue', 'openSettings']);
      assert.match(answer.outcome.problem?.hint ?? '', /patchbay\.maxTokens/);
      assert.equal(answer.text, 'The first half of');
    });

    it('shows a streamed refusal, marked as one, instead of an empty complete answer', async () => {
      script(sse([], { refusal: ['I can\'t help ', 'with that.'] }));
      const answer = await askOpenAi();
      assert.equal(answer.outcome.status, 'complete');
      assert.equal(refusals(answer), 'I can\'t help with that.');
      assert.equal(answer.text, '');
    });

    it('shows only choice 0 of a server that returns several choices', async () => {
      script(sse(['Alpha ', 'beta ', 'gamma'], { secondChoice: { pieces: ['One ', 'two ', 'three'] } }));
      assert.equal((await askOpenAi()).text, 'Alpha beta gamma');
      script(sse(['Alpha ', 'beta ', 'gamma'], { secondChoice: { pieces: ['One ', 'two ', 'three'], first: true } }));
      const reordered = await askOpenAi();
      assert.equal(reordered.text, 'Alpha beta gamma', 'index 0 is not at array position 0');
      assert.equal(reordered.outcome.status, 'complete');
    });

    it('reports an `event: error` after a 200 with the server\'s words, keeping the partial answer', async () => {
      script(sse(['Partial ', 'answer'], { errorEvent: { message: 'Model overloaded, try later' } }));
      const answer = await askOpenAi();
      assert.equal(answer.outcome.status, 'incomplete');
      assert.equal(answer.outcome.problem?.kind, 'server');
      assert.match(answer.outcome.problem?.message ?? '', /Model overloaded, try later/);
      assert.match(answer.outcome.problem?.hint ?? '', /^The partial answer is kept\./);
      assert.equal(answer.text, 'Partial answer');
    });

    it('reports a 200 JSON body holding {"error": …} with the server\'s words', async () => {
      script({ headers: { 'content-type': 'application/json' }, steps: [{ kind: 'write', data: '{"error":{"message":"context length exceeded: 9000 > 8192","type":"invalid_request_error"}}' }] });
      const answer = await askOpenAi();
      assert.equal(answer.outcome.status, 'failed');
      assert.equal(answer.outcome.problem?.kind, 'server');
      assert.match(answer.outcome.problem?.message ?? '', /context length exceeded: 9000 > 8192/);
      assert.doesNotMatch(answer.outcome.problem?.hint ?? '', /partial answer/, 'nothing arrived, so nothing is kept');
    });

    it('calls a stream that closes in the middle of an event interrupted, not "not JSON"', async () => {
      script(sse(['Kept ', 'so far'], { cutMidEvent: true }));
      const answer = await askOpenAi();
      assert.equal(answer.outcome.status, 'incomplete');
      assert.equal(answer.outcome.problem?.kind, 'interrupted');
      assert.ok(answer.outcome.problem?.actions.includes('retry'));
      assert.doesNotMatch(answer.outcome.problem?.message ?? '', /JSON/);
      assert.equal(answer.text, 'Kept so far');
    });

    it('recognises a 200 HTML page sent without a content-type as the wrong URL', async () => {
      script({ headers: { 'content-type': '' }, steps: [{ kind: 'write', data: htmlPage('Open WebUI') }] });
      const answer = await askOpenAi();
      assert.equal(answer.outcome.status, 'failed');
      assert.equal(answer.outcome.problem?.kind, 'wrong-endpoint');
      assert.match(answer.outcome.problem?.message ?? '', /Test server at .* answered with an HTML page instead of the API\./);
    });

    it('accepts one JSON completion from a server that ignored stream: true', async () => {
      script({ headers: { 'content-type': 'application/json' }, steps: [{ kind: 'write', data: JSON.stringify(openAiCompletion('Whole answer at once.', { usage: { prompt_tokens: 4, completion_tokens: 5 } })) }] });
      const answer = await askOpenAi();
      assert.equal(answer.outcome.status, 'complete');
      assert.equal(answer.text, 'Whole answer at once.');
      assert.deepEqual(answer.outcome.usage, { inputTokens: 4, outputTokens: 5 });

      script({ headers: { 'content-type': 'application/json' }, steps: [{ kind: 'write', data: JSON.stringify(openAiCompletion('', { refusal: 'No.' })) }] });
      assert.equal(refusals(await askOpenAi()), 'No.', 'a refusal in a whole completion');
    });

    it('stops reading a line longer than the limit, with a clear error, keeping the partial answer', async () => {
      script(sse(['Partial ', 'y'.repeat(9 * 1024 * 1024)]));
      const answer = await askOpenAi();
      assert.equal(answer.outcome.status, 'incomplete');
      assert.equal(answer.outcome.problem?.kind, 'server');
      assert.match(answer.outcome.problem?.message ?? '', /Test server: The server sent a line longer than 8 MB, so Patchbay stopped reading\./);
      assert.equal(answer.text, 'Partial ');
    });

    it('stops reading tool-call arguments longer than the limit', async () => {
      const piece = 'z'.repeat(64 * 1024);
      const chunk = (args: string, first: boolean) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, ...(first ? { id: 'call_1', function: { name: 'write_file', arguments: args } } : { function: { arguments: args } }) }] }, finish_reason: null }] })}\n\n`;
      const events = ['data: {"choices":[{"index":0,"delta":{"content":"Writing it."},"finish_reason":null}]}\n\n', chunk('{"text":"', true)];
      for (let i = 0; i < 20; i++) events.push(chunk(piece, false));
      events.push('data: {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}\n\ndata: [DONE]\n\n');
      script({ steps: events.map((data) => ({ kind: 'write' as const, data })) });
      const answer = await askOpenAi();
      assert.equal(answer.outcome.status, 'incomplete');
      assert.equal(answer.outcome.problem?.kind, 'bad-request');
      assert.match(answer.outcome.problem?.message ?? '', /tool-call arguments longer than 1024 KB/);
      assert.ok(!answer.events.some((event) => event.type === 'toolCall'));
      assert.equal(answer.text, 'Writing it.');
    });

    it('ends a message with one full stop when the server\'s own sentence has one', async () => {
      script({ status: 500, steps: [{ kind: 'write', data: '{"error":{"message":"The engine crashed."}}' }] });
      const answer = await askOpenAi();
      assert.equal(answer.outcome.problem?.message, 'Test server failed with 500: The engine crashed.');
    });
  });

  describe('Ollama', () => {
    it('marks done_reason "length" as cut off by the token limit, with Continue', async () => {
      script(ndjson(['Half ', 'an answer'], { doneReason: 'length' }));
      const answer = await askOllama();
      assert.equal(answer.outcome.status, 'incomplete');
      assert.equal(answer.outcome.problem?.kind, 'token-limit');
      assert.ok(answer.outcome.problem?.actions.includes('continue'));
      assert.equal(answer.text, 'Half an answer');
    });

    it('shows an error for a line that is not JSON in the middle, keeping what came before', async () => {
      script(ndjson(['Before ', 'the bad line', ' after'], { invalidLine: { after: 2, text: 'runner crashed: CUDA error' } }));
      const answer = await askOllama();
      assert.equal(answer.outcome.status, 'incomplete');
      assert.equal(answer.outcome.problem?.kind, 'server');
      assert.match(answer.outcome.problem?.message ?? '', /not JSON in the middle of the answer: runner crashed: CUDA error/);
      assert.equal(answer.text, 'Before the bad line');
    });

    it('calls a stream that closes in the middle of a line interrupted', async () => {
      script(ndjson(['Kept ', 'so far'], { cutMidLine: true }));
      const answer = await askOllama();
      assert.equal(answer.outcome.status, 'incomplete');
      assert.equal(answer.outcome.problem?.kind, 'interrupted');
      assert.equal(answer.text, 'Kept so far');
    });

    for (const headers of [{ 'content-type': 'text/html; charset=utf-8' }, { 'content-type': '' }]) {
      it(`recognises an HTML page as the wrong URL (content-type "${headers['content-type']}")`, async () => {
        script({ headers, steps: [{ kind: 'write', data: htmlPage('Ollama is running behind a proxy') }] });
        const answer = await askOllama();
        assert.equal(answer.outcome.status, 'failed');
        assert.equal(answer.outcome.problem?.kind, 'wrong-endpoint');
        assert.match(answer.outcome.problem?.message ?? '', /HTML page/);
      });
    }

    it('honours a 429\'s Retry-After instead of retrying after a few seconds', async () => {
      let calls = 0;
      server.onChat = () => {
        calls++;
        return { status: 429, headers: { 'retry-after': '3600' }, steps: [{ kind: 'write', data: '{"error":"too many requests"}' }] };
      };
      const answer = await askOllama();
      assert.equal(calls, 1, 'an hour is longer than Patchbay waits: no retry');
      assert.equal(answer.outcome.problem?.kind, 'rate-limited');
      assert.match(answer.outcome.problem?.hint ?? '', /wait 3600 s/);

      calls = 0;
      server.onChat = () => (++calls === 1 ? { status: 429, headers: { 'retry-after': '0' }, steps: [{ kind: 'write', data: '{"error":"too many requests"}' }] } : undefined);
      const retried = await askOllama();
      assert.equal(calls, 2);
      assert.equal(retried.outcome.status, 'complete');
      assert.ok(retried.events.some((event) => event.type === 'status' && /retrying in 0 s/.test(event.text ?? '')));
    });

    const badRequests: [string, RegExp][] = [
      ['registry.ollama.ai/library/nomic-embed-text:latest does not support chat', /embedding model/],
      ['registry.ollama.ai/library/gemma:2b does not support tools', /cannot call tools/],
      ['"deepseek-coder" does not support thinking', /does not think/],
      ['json: cannot unmarshal string into Go struct field Options.options.temperature of type float32', /patchbay\.temperature/],
    ];
    for (const [words, hint] of badRequests) {
      it(`gives a 400 "${words.slice(0, 40)}…" the hint for its cause`, async () => {
        script({ status: 400, steps: [{ kind: 'write', data: JSON.stringify({ error: words }) }] });
        const answer = await askOllama();
        assert.equal(answer.outcome.problem?.kind, 'bad-request');
        assert.match(answer.outcome.problem?.hint ?? '', hint);
        assert.ok(answer.outcome.problem?.message.includes(words));
      });
    }
  });
});
