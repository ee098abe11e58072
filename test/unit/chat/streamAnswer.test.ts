import assert from 'node:assert/strict';
import type { ChatRequest, ChatStreamEvent } from '../../../src/core/api';
import { streamAnswer, type AnswerEvent, type StreamAnswerOptions } from '../../../src/core/chat/streamAnswer';
import { ManualClock } from '../../support/manualClock';

const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'hi' }], options: {} };
const failureContext = { endpointLabel: 'Test server', baseUrl: 'http://127.0.0.1:9/v1', model: 'm' };

type Chat = (request: ChatRequest, signal: AbortSignal) => AsyncIterable<ChatStreamEvent>;

/** Time passes only when a test advances `clock`. */
function run(chat: Chat, overrides: Partial<StreamAnswerOptions> & { clock?: ManualClock } = {}) {
  const events: AnswerEvent[] = [];
  const clock = overrides.clock ?? new ManualClock();
  const outcome = streamAnswer({
    provider: { chat },
    request,
    failureContext,
    signal: new AbortController().signal,
    idleTimeoutMs: 5000,
    onEvent: (event) => events.push(event),
    ...overrides,
    clock,
  });
  return { events, outcome, clock };
}

function text(events: AnswerEvent[]): string {
  return events.map((event) => (event.type === 'text' ? event.text : '')).join('');
}

function waitForAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
}

describe('streamAnswer', () => {
  it('streams text, usage and the finish reason to a complete outcome', async () => {
    const { events, outcome } = run(async function* () {
      yield { type: 'text', text: 'Hel' };
      yield { type: 'text', text: 'lo' };
      yield { type: 'usage', inputTokens: 3, outputTokens: 2 };
      yield { type: 'finish', reason: 'stop' };
    });
    assert.deepEqual(await outcome, { status: 'complete', usage: { inputTokens: 3, outputTokens: 2 }, finishReason: 'stop' });
    assert.equal(text(events), 'Hello');
  });

  it('splits inline think tags into reasoning events', async () => {
    const { events, outcome } = run(async function* () {
      yield { type: 'text', text: '<thi' };
      yield { type: 'text', text: 'nk>plan</think>answer' };
    });
    await outcome;
    assert.deepEqual(events, [
      { type: 'reasoning', text: 'plan' },
      { type: 'text', text: 'answer' },
    ]);
  });

  it('returns "stopped" at once when the user stops a provider that ignores its signal', async () => {
    const user = new AbortController();
    let providerSignal: AbortSignal | undefined;
    const { outcome } = run(
      (_request, signal) => {
        providerSignal = signal;
        return (async function* () {
          yield { type: 'text', text: 'partial' } as ChatStreamEvent;
          await new Promise(() => undefined); // never yields again, never looks at the signal
        })();
      },
      { signal: user.signal },
    );
    setTimeout(() => user.abort(), 20);
    assert.equal((await outcome).status, 'stopped');
    assert.equal(providerSignal?.aborted, true);
  });

  it('gives up on a server that goes quiet, keeping the partial answer as incomplete', async () => {
    const { events, outcome, clock } = run(async function* (_request, signal) {
      yield { type: 'text', text: 'so far' };
      await waitForAbort(signal);
    }, { idleTimeoutMs: 50 });
    await clock.advanceWhenDue(50);
    const result = await outcome;
    assert.equal(result.status, 'incomplete');
    assert.equal(result.problem?.kind, 'stalled');
    assert.match(result.problem?.message ?? '', /Test server sent nothing/);
    assert.equal(text(events), 'so far');
  });

  it('marks a silent server that never answered as failed', async () => {
    const { outcome, clock } = run(async function* (_request, signal) {
      await waitForAbort(signal);
    }, { idleTimeoutMs: 30 });
    await clock.advanceWhenDue(30);
    const result = await outcome;
    assert.equal(result.status, 'failed');
    assert.equal(result.problem?.kind, 'stalled');
  });

  it('retries a rate-limited request after the wait the server asked for', async () => {
    let calls = 0;
    const clock = new ManualClock();
    const callTimes: number[] = [];
    const { events, outcome } = run(
      async function* () {
        calls++;
        callTimes.push(clock.now());
        if (calls < 3) throw Object.assign(new Error('429 Too Many Requests'), { status: 429, headers: { 'retry-after': '2' } });
        yield { type: 'text', text: 'finally' };
      },
      { clock },
    );
    const result = await clock.runUntilSettled(outcome);
    const waits = callTimes.slice(1).map((time, index) => time - (callTimes[index] ?? 0));
    assert.equal(result.status, 'complete');
    assert.equal(calls, 3);
    assert.deepEqual(waits, [2000, 2000]);
    const statuses = events.filter((event) => event.type === 'status').map((event) => (event as { text?: string }).text);
    assert.match(statuses[0] ?? '', /rate limiting; retrying in 2 s \(retry 1 of 3\)/);
    assert.equal(statuses[1], undefined);
  });

  it('does not wait longer than the policy allows and says how long the server wants', async () => {
    const clock = new ManualClock();
    const callTimes: number[] = [];
    const { outcome } = run(
      async function* () {
        callTimes.push(clock.now());
        throw Object.assign(new Error('429'), { status: 429, headers: { 'retry-after': '600' } });
      },
      { clock },
    );
    const result = await clock.runUntilSettled(outcome);
    const waits = callTimes.slice(1).map((time, index) => time - (callTimes[index] ?? 0));
    assert.equal(result.status, 'failed');
    assert.equal(result.problem?.kind, 'rate-limited');
    assert.match(result.problem?.hint ?? '', /wait 600 s/);
    assert.deepEqual(waits, []);
  });

  it('stops during a rate-limit wait when the user presses Stop', async () => {
    const user = new AbortController();
    const { outcome } = run(
      async function* () {
        throw Object.assign(new Error('429'), { status: 429, headers: { 'retry-after': '30' } });
      },
      { signal: user.signal },
    );
    setTimeout(() => user.abort(), 20);
    const started = Date.now();
    assert.equal((await outcome).status, 'stopped');
    assert.ok(Date.now() - started < 5000);
  });

  it('keeps text that arrived before a mid-stream failure and classifies the failure', async () => {
    const { events, outcome } = run(async function* () {
      yield { type: 'text', text: 'half an ans' };
      throw Object.assign(new TypeError('terminated'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    });
    const result = await outcome;
    assert.equal(result.status, 'incomplete');
    assert.equal(result.problem?.kind, 'interrupted');
    assert.deepEqual(result.problem?.actions, ['retry', 'showLogs']);
    assert.equal(text(events), 'half an ans');
  });
});

describe('streamAnswer: how an answer ends', () => {
  it('marks an answer the token limit cut off as incomplete, with Continue and the limit named', async () => {
    const { events, outcome } = run(async function* () {
      yield { type: 'text', text: 'Half of it' };
      yield { type: 'finish', reason: 'length' };
    }, { request: { ...request, options: { maxTokens: 256 } } });
    const result = await outcome;
    assert.equal(result.status, 'incomplete');
    assert.equal(result.problem?.kind, 'token-limit');
    assert.equal(result.problem?.message, 'The answer was cut off by the token limit (patchbay.maxTokens is 256).');
    assert.deepEqual(result.problem?.actions, ['continue', 'openSettings']);
    assert.equal(text(events), 'Half of it');
  });

  it('passes a refusal on as a refusal event, apart from the answer', async () => {
    const { events, outcome } = run(async function* () {
      yield { type: 'refusal', text: 'I cannot help with that.' };
      yield { type: 'finish', reason: 'stop' };
    });
    assert.equal((await outcome).status, 'complete');
    assert.deepEqual(events, [{ type: 'refusal', text: 'I cannot help with that.' }]);
  });

  it('keeps the text before a prompt tool call the token limit cut off, and makes no call', async () => {
    const { events, outcome } = run(async function* () {
      yield { type: 'text', text: 'Let me read the file. <tool_call>{"name": "read_fi' };
      yield { type: 'text', text: 'le", "arguments": {"path": "src/' };
      yield { type: 'finish', reason: 'length' };
    }, { extractToolCalls: { idPrefix: 'call_1_' } });
    const result = await outcome;
    assert.equal(result.problem?.kind, 'token-limit');
    assert.ok(!events.some((event) => event.type === 'toolCall'), 'no nameless or half call');
    assert.equal(text(events), 'Let me read the file. <tool_call>{"name": "read_file", "arguments": {"path": "src/');
  });

  it('still takes a whole prompt tool call whose closing tag the model left out', async () => {
    const { events, outcome } = run(async function* () {
      yield { type: 'text', text: 'Reading. <tool_call>{"name": "read_file", "arguments": {"path": "a.ts"}}' };
      yield { type: 'finish', reason: 'stop' };
    }, { extractToolCalls: { idPrefix: 'call_1_' } });
    assert.equal((await outcome).status, 'complete');
    assert.deepEqual(events.filter((event) => event.type === 'toolCall'), [{ type: 'toolCall', call: { id: 'call_1_1', name: 'read_file', arguments: '{"path":"a.ts"}' } }]);
    assert.equal(text(events), 'Reading. ');
  });

  it('stops a prompt tool call that grows past the limit, keeping the text before it', async () => {
    const { events, outcome } = run(async function* () {
      yield { type: 'text', text: 'Writing. <tool_call>{"name": "write_file", "arguments": {"text": "' };
      for (let i = 0; i < 20; i++) yield { type: 'text', text: 'w'.repeat(64 * 1024) };
      yield { type: 'finish', reason: 'stop' };
    }, { extractToolCalls: { idPrefix: 'call_1_' } });
    const result = await outcome;
    assert.equal(result.status, 'incomplete');
    assert.match(result.problem?.message ?? '', /tool call longer than 1 MB/);
    assert.equal(text(events), 'Writing. ');
    assert.ok(!events.some((event) => event.type === 'toolCall'));
  });

  it('says "The partial answer is kept" only when part of the answer arrived', async () => {
    const failing = (first: string | undefined) => async function* (): AsyncGenerator<ChatStreamEvent> {
      if (first !== undefined) yield { type: 'text', text: first };
      throw Object.assign(new TypeError('terminated'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    };
    const nothing = await run(failing(undefined)).outcome;
    assert.equal(nothing.status, 'failed');
    assert.doesNotMatch(nothing.problem?.hint ?? '', /partial answer/i);
    const some = await run(failing('Some')).outcome;
    assert.equal(some.status, 'incomplete');
    assert.match(some.problem?.hint ?? '', /^The partial answer is kept\. /);
  });
});
