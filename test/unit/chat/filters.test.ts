import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ChatServices } from '../../../src/core/chatServices';
import type { AssistantTurn } from '../../../src/core/chat/conversation';
import { Redactor } from '../../../src/core/util/redactor';
import { ManualClock } from '../../support/manualClock';

/**
 * Filters, templates, actions and commands through the real backend: plugins are files in a
 * folder, loaded by the plugin runtime; the provider is a standalone plugin provider that
 * logs what it was asked (each plugin runs in a worker of its own: the log is how it tells).
 */
const recordingProvider = `
exports.activate = (ctx) => ctx.registerProvider({
  id: 'rec', label: 'Recorder',
  listModels: async () => [{ id: 'm' }],
  async *chat(request) {
    ctx.log.info('request ' + JSON.stringify(request));
    for (const piece of ['Hello', ' ', 'world']) yield { type: 'text', text: piece };
  },
});`;

describe('filters, prompt templates, actions and commands', () => {
  let dir: string;
  let logs: string[];
  /** What plugin call timeouts wait on: time passes only when a test advances it. */
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock();
    dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-filters-'));
    logs = [];
    await writeFile(path.join(dir, 'rec.js'), recordingProvider);
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function backend(pluginCallTimeoutMs = 2000): Promise<ChatServices> {
    let id = 0;
    const log = { debug: () => undefined, info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };
    const chat = new ChatServices({
      pluginRoots: () => [{ dir, source: 'global' }],
      pluginRules: () => ({ workspaceTrusted: true, loadOnly: undefined, enabled: undefined, disabled: [] }),
      pluginSettings: () => undefined,
      endpointLayers: () => [],
      settings: () => ({ discoverLocalServers: false, idleTimeoutMs: 2000, generation: {} }),
      secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined },
      log,
      redactor: new Redactor(),
      loadConversation: () => undefined,
      saveConversation: () => undefined,
      loadSelectedModel: () => ({ providerId: 'rec', modelId: 'm' }),
      saveSelectedModel: () => undefined,
      newId: () => `id-${++id}`,
      pluginCallTimeoutMs,
      clock,
    });
    await chat.start();
    return chat;
  }

  const requests = () =>
    logs.flatMap((line) => /request (\{.*\})$/.exec(line)?.[1] ?? []).map((json) => JSON.parse(json) as { messages: { role: string; content: string }[] });
  const answer = (chat: ChatServices) => chat.conversations.conversation.turns.at(-1) as AssistantTurn;

  it('runs inlets, stream filters and outlets in priority order', async () => {
    await writeFile(path.join(dir, 'late.js'), `exports.activate = (ctx) => ctx.registerFilter({ id: 'late', priority: 10,
      inlet: (request) => { request.messages.push({ role: 'system', content: 'late' }); },
      stream: (event) => ({ ...event, text: event.text.toUpperCase() }),
      outlet: (answer) => ({ ...answer, content: answer.content + ' [late]' }) });`);
    await writeFile(path.join(dir, 'early.js'), `exports.activate = (ctx) => ctx.registerFilter({ id: 'early', priority: -5,
      inlet: (request) => ({ ...request, messages: [{ role: 'system', content: 'early' }, ...request.messages] }),
      stream: (event) => event.text === ' ' ? null : [event, { type: 'text', text: '.' }],
      outlet: async (answer) => ({ ...answer, content: answer.content + ' [early]' }) });`);
    const chat = await backend();
    await chat.conversations.send('hi');
    assert.deepEqual(requests()[0]?.messages, [
      { role: 'system', content: 'early' },
      { role: 'user', content: 'hi' },
      { role: 'system', content: 'late' },
    ]);
    // early drops the space and adds a dot after each piece; late upper-cases what it gets.
    assert.equal(answer(chat).content, 'HELLO.WORLD. [early] [late]');
    assert.equal(answer(chat).status, 'complete');
  });

  it('skips a filter that throws, marks its plugin failed, and still answers', async () => {
    await writeFile(path.join(dir, 'bad.js'), `exports.activate = (ctx) => ctx.registerFilter({ id: 'bad',
      stream: (event) => { if (event.text === ' ') throw new Error('filter exploded'); return event; } });`);
    await writeFile(path.join(dir, 'good.js'), `exports.activate = (ctx) => ctx.registerFilter({ id: 'good', priority: 1, outlet: (a) => ({ ...a, content: a.content + '!' }) });`);
    const chat = await backend();
    await chat.conversations.send('hi');
    assert.equal(answer(chat).content, 'Hello world!');
    await waitFor(() => chat.plugins.records().find((p) => p.candidate.id === 'bad')?.status === 'failed');
    assert.match(chat.plugins.records().find((p) => p.candidate.id === 'bad')?.detail ?? '', /filter exploded/);
    assert.equal(chat.plugins.records().find((p) => p.candidate.id === 'good')?.status, 'loaded');
    assert.ok(logs.some((line) => line.includes('filter exploded')));
  });

  it('gives up on an inlet that hangs for 10 s (not the 30 s of commands), marks it failed, and answers without it', async () => {
    await writeFile(path.join(dir, 'slow.js'), `exports.activate = (ctx) => ctx.registerFilter({ id: 'slow', inlet: () => new Promise(() => {}) });`);
    const chat = await backend(30_000);
    const sending = chat.conversations.send('hi');
    await clock.advanceWhenDue(10_000);
    await sending;
    assert.equal(answer(chat).content, 'Hello world');
    await waitFor(() => chat.plugins.records().find((p) => p.candidate.id === 'slow')?.status === 'failed');
    assert.match(chat.plugins.records().find((p) => p.candidate.id === 'slow')?.detail ?? '', /did not finish within/);
  });

  it('expands a slash command from a plugin template, showing what the user typed', async () => {
    await writeFile(path.join(dir, 'templates.js'), `exports.activate = (ctx) => {
      ctx.registerPromptTemplate({ name: 'shout', description: 'Say it loudly', template: 'Repeat loudly: {{input}}' });
      ctx.registerPromptTemplate({ name: 'count', description: 'Count words', template: async (input) => 'Count the words in: ' + input.split(' ').length });
    };`);
    const chat = await backend();
    assert.deepEqual(chat.plugins.pluginUi().slashCommands.map((c) => `${c.name}:${c.source}`), ['count:templates', 'shout:templates', 'explain:built-in', 'fix:built-in', 'tests:built-in', 'doc:built-in']);
    await chat.conversations.send('/shout hello there');
    assert.equal(requests()[0]?.messages.at(-1)?.content, 'Repeat loudly: hello there');
    const question = chat.conversations.conversation.turns[0];
    assert.equal(question?.role === 'user' ? question.text : '', '/shout hello there');
    await chat.conversations.send('/count a b c');
    assert.equal(requests()[1]?.messages.at(-1)?.content, 'Count the words in: 3');
    await chat.conversations.send('/unknown stays as typed');
    assert.equal(requests()[2]?.messages.at(-1)?.content, '/unknown stays as typed');
  });

  it('marks a plugin whose prompt template hangs as failed, and fails only the send for one that throws', async () => {
    await writeFile(path.join(dir, 'slowTemplates.js'), `exports.activate = (ctx) => {
      ctx.registerPromptTemplate({ name: 'stall', description: 'Never renders', template: () => new Promise(() => {}) });
      ctx.registerPromptTemplate({ name: 'broken', description: 'Throws', template: async () => { throw new Error('template bug'); } });
    };`);
    const chat = await backend(30_000);
    await assert.rejects(chat.conversations.send('/broken x'), /template bug/);
    assert.equal(chat.plugins.records().find((p) => p.candidate.id === 'slowTemplates')?.status, 'loaded', 'a thrown error is the call\'s own');
    const stalling = chat.conversations.send('/stall x');
    await clock.advanceWhenDue(10_000);
    await assert.rejects(stalling, /did not finish within 10 s/);
    await waitFor(() => chat.plugins.records().find((p) => p.candidate.id === 'slowTemplates')?.status === 'failed');
  });

  it('gives providers, stream filters and template functions a CallContext, and a provider written for (request, signal) still works', async () => {
    await writeFile(path.join(dir, 'rec.js'), `exports.activate = (ctx) => ctx.registerProvider({ id: 'rec', label: 'Recorder',
      listModels: async ({ signal, log }) => { log.info('listModels has a log, aborted=' + signal.aborted); return [{ id: 'm' }]; },
      async *chat(request, { signal, log }) {
        log.info('chat has a log, aborted=' + signal.aborted);
        for (const piece of ['Hello', ' ', 'world']) yield { type: 'text', text: piece };
      } });`);
    await writeFile(path.join(dir, 'old.js'), `exports.activate = (ctx) => ctx.registerProvider({ id: 'old', label: 'Old style',
      listModels: async (signal) => signal.aborted ? [] : [{ id: 'o' }],
      async *chat(request, signal) { const r = await fetch('data:text/plain,fetched', { signal }); yield { type: 'text', text: await r.text() }; } });`);
    await writeFile(path.join(dir, 'ctxFilter.js'), `exports.activate = (ctx) => {
      ctx.registerFilter({ id: 'f', stream: (event, { signal, log }) => { if (event.text === 'world') log.info('stream filter has a log, aborted=' + signal.aborted); return event; } });
      ctx.registerPromptTemplate({ name: 'ctx', description: 'uses its context', template: (input, { signal, log }) => { log.info('template has a log, aborted=' + signal.aborted); return 'T ' + input; } });
    };`);
    const chat = await backend();
    const listed = await chat.models.refresh();
    assert.deepEqual(listed.groups.map((group) => [group.providerId, group.models.map((model) => model.id), group.problem?.message]), [['old', ['o'], undefined], ['rec', ['m'], undefined]]);
    await chat.conversations.send('/ctx hi');
    assert.equal(answer(chat).content, 'Hello world');
    for (const what of ['listModels', 'chat', 'stream filter', 'template']) assert.ok(logs.some((line) => line.includes(`${what} has a log, aborted=false`)), `${what}: ${logs.join('\n')}`);
    chat.models.select({ providerId: 'old', modelId: 'o' });
    await chat.conversations.send('again');
    assert.equal(answer(chat).content, 'fetched');
  });

  it('runs an action with the answer and its question, and a command from the palette list', async () => {
    await writeFile(path.join(dir, 'actions.js'), `exports.activate = (ctx) => {
      ctx.registerAction({ id: 'length', label: 'Count characters', run: async (message) => ({ notify: message.question + ' -> ' + message.content.length }) });
      ctx.registerCommand({ id: 'ping', title: 'Ping', run: async (call) => ({ notify: call.signal.aborted ? 'aborted' : 'pong' }) });
    };`);
    const chat = await backend();
    await chat.conversations.send('measure this');
    assert.deepEqual(chat.plugins.pluginUi().actions, [{ key: 'actions/length', label: 'Count characters', plugin: 'actions' }]);
    assert.deepEqual(await chat.conversations.runAction('actions/length', answer(chat).id), { notify: 'measure this -> 11' });
    assert.deepEqual(chat.plugins.pluginUi().commands, [{ key: 'actions/ping', title: 'Ping', plugin: 'actions' }]);
    assert.deepEqual(await chat.plugins.runCommand('actions/ping'), { notify: 'pong' });
  });

  it('marks a plugin whose command hangs as failed, and reports an action that throws', async () => {
    await writeFile(path.join(dir, 'stuck.js'), `exports.activate = (ctx) => {
      ctx.registerCommand({ id: 'hang', title: 'Hang', run: () => new Promise(() => {}) });
      ctx.registerAction({ id: 'oops', label: 'Oops', run: async () => { throw new Error('no network'); } });
    };`);
    const chat = await backend(200);
    await chat.conversations.send('q');
    await assert.rejects(chat.conversations.runAction('stuck/oops', answer(chat).id), /The action "Oops" of plugin "stuck" failed: no network/);
    assert.equal(chat.plugins.records().find((p) => p.candidate.id === 'stuck')?.status, 'loaded', 'an action error is its own, not a plugin failure');
    const hanging = chat.plugins.runCommand('stuck/hang');
    await clock.advanceWhenDue(200);
    await assert.rejects(hanging, /did not finish within/);
    await waitFor(() => chat.plugins.records().find((p) => p.candidate.id === 'stuck')?.status === 'failed');
  });

  it('marks a provider plugin failed when its own code breaks mid-stream, keeping the partial answer', async () => {
    await writeFile(path.join(dir, 'rec.js'), `exports.activate = (ctx) => ctx.registerProvider({ id: 'rec', label: 'Recorder',
      listModels: async () => [{ id: 'm' }],
      async *chat() { yield { type: 'text', text: 'partial' }; undefinedFunction(); } });`);
    const chat = await backend();
    await chat.conversations.send('go');
    assert.equal(answer(chat).status, 'incomplete');
    assert.equal(answer(chat).content, 'partial');
    await waitFor(() => chat.plugins.records().find((p) => p.candidate.id === 'rec')?.status === 'failed');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
