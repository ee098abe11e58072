import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChatServices, ChatServicesDeps, ChatSettings } from '../../../src/core/chatServices';
import type { AssistantTurn, Conversation, ModelRef } from '../../../src/core/chat/conversation';
import { ConversationStore } from '../../../src/core/history/conversationStore';
import { realClock, silentLogger, type Clock, type SecretPort } from '../../../src/core/ports';
import type { EndpointLayer } from '../../../src/core/providers/endpointLayers';
import { FakeModelServer, fakeAnswerFor } from '../../support/fakeModelServer';
import { bundledPlugins, testBackend, type TestBackend } from '../../support/testBackend';

type Harness = TestBackend;

function makeBackend(options: {
  layers?: () => EndpointLayer[];
  extraPluginDir?: string;
  settings?: Partial<ChatSettings>;
  conversation?: Conversation;
  selected?: ModelRef;
  secrets?: SecretPort;
  clock?: Clock;
  toolCalling?: ChatServicesDeps['toolCalling'];
}): Harness {
  return testBackend({
    pluginRoots: () => [{ dir: bundledPlugins, source: 'bundled' }, ...(options.extraPluginDir ? [{ dir: options.extraPluginDir, source: 'global' as const }] : [])],
    ...(options.layers ? { endpointLayers: options.layers } : {}),
    settings: () => ({ discoverLocalServers: false, idleTimeoutMs: 5000, generation: {}, ...options.settings }),
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.toolCalling ? { toolCalling: options.toolCalling } : {}),
    loadConversation: () => options.conversation,
    loadSelectedModel: () => options.selected,
  });
}

function lastAnswer(backend: ChatServices): AssistantTurn {
  const turn = backend.conversations.conversation.turns.at(-1);
  assert.equal(turn?.role, 'assistant');
  return turn as AssistantTurn;
}

describe('ChatServices on shutdown', () => {
  it('puts the open conversation on disk before dispose resolves', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'patchbay-shutdown-'));
    try {
      const history = new ConversationStore(folder, silentLogger);
      const open: Conversation = {
        id: 'open-one',
        title: 'open',
        createdAt: 1,
        updatedAt: 2,
        turns: [{ id: 'q', role: 'user', text: 'still here after a reload?', attachments: [], createdAt: 1 }],
      };
      const { backend } = testBackend({ history, loadConversation: () => open, saveConversation: (conversation) => void history.save(conversation) });
      await backend.start();
      await backend.dispose();
      const saved = JSON.parse(await readFile(path.join(folder, 'open-one.json'), 'utf8')) as Conversation;
      assert.equal(saved.turns.length, 1);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('ChatServices with the bundled plugins and a fake server', () => {
  let server: FakeModelServer;
  let temp: string;

  beforeEach(async () => {
    server = await FakeModelServer.start();
    temp = await mkdtemp(path.join(os.tmpdir(), 'patchbay-backend-'));
  });

  afterEach(async () => {
    await server.close();
    await rm(temp, { recursive: true, force: true });
  });

  const layers = (): EndpointLayer[] => [
    { source: 'workspace-config', providers: [
      { id: 'lab', type: 'openai-compatible', baseUrl: server.openAiBaseUrl, label: 'Lab vLLM' },
      { id: 'local-ollama', type: 'ollama', baseUrl: server.url },
    ] },
  ];

  it('lists every model of every endpoint, grouped, and selects one', async () => {
    const { backend, selected } = makeBackend({ layers });
    const snapshot = await backend.models.refresh();
    assert.deepEqual(snapshot.groups.map((group) => [group.providerId, group.label, group.models.map((m) => m.id), group.problem]), [
      ['lab', 'Lab vLLM', ['fake-model', 'fake-slow'], undefined],
      ['local-ollama', 'local-ollama', ['fake-llama:latest'], undefined],
    ]);
    assert.deepEqual(snapshot.selected, { providerId: 'lab', modelId: 'fake-model' });
    assert.deepEqual(selected, [{ providerId: 'lab', modelId: 'fake-model' }]);
  });

  it('keeps a remembered model whose server is down, and shows why the group is empty', async () => {
    const remembered = { providerId: 'gone', modelId: 'x' };
    const { backend } = makeBackend({
      layers: () => [{ source: 'settings', providers: [{ id: 'gone', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1' }] }],
      selected: remembered,
    });
    const snapshot = await backend.models.refresh();
    assert.deepEqual(snapshot.selected, remembered);
    assert.equal(snapshot.groups[0]?.problem?.kind, 'connection');
  });

  it('streams an answer into the conversation, then Retry replaces it', async () => {
    const { backend, events, saved } = makeBackend({ layers });
    await backend.models.refresh();
    await backend.conversations.send('what is up?');
    const answer = lastAnswer(backend);
    assert.equal(answer.status, 'complete');
    assert.equal(answer.content, fakeAnswerFor('what is up?'));
    assert.equal(answer.model?.label, 'fake-model · Lab vLLM');
    assert.equal(backend.conversations.conversation.title, 'what is up?');
    const streamed = events.filter((e) => e.type === 'turnDelta').map((e) => (e as { content?: string }).content ?? '').join('');
    assert.equal(streamed, answer.content);
    assert.deepEqual(events.filter((e) => e.type === 'busy'), [{ type: 'busy', busy: true }, { type: 'busy', busy: false }]);
    assert.equal(saved.at(-1)?.turns.length, 2, 'saved after the answer');

    backend.models.select({ providerId: 'local-ollama', modelId: 'fake-llama:latest' });
    await backend.conversations.retry({ providerId: 'local-ollama', modelId: 'fake-llama:latest' });
    assert.equal(backend.conversations.conversation.turns.length, 2, 'the old answer was replaced');
    assert.equal(lastAnswer(backend).model?.providerId, 'local-ollama');
    assert.equal(lastAnswer(backend).content, fakeAnswerFor('what is up?'));
  });

  it('sends earlier turns with a follow-up question', async () => {
    const { backend } = makeBackend({ layers });
    await backend.models.refresh();
    await backend.conversations.send('first');
    await backend.conversations.send('second');
    const body = server.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)?.json as { messages: unknown[] };
    assert.deepEqual(body.messages, [
      { role: 'user', content: 'first' },
      { role: 'assistant', content: fakeAnswerFor('first') },
      { role: 'user', content: 'second' },
    ]);
  });

  it('stops a slow answer and keeps what arrived, marked stopped', async () => {
    const { backend } = makeBackend({ layers });
    await backend.models.refresh();
    backend.models.select({ providerId: 'lab', modelId: 'fake-slow' });
    const pending = backend.conversations.send('count');
    while (lastAnswerOrUndefined(backend)?.content.includes('Counting') !== true) await new Promise((r) => setTimeout(r, 20));
    backend.conversations.stop();
    await pending;
    assert.equal(lastAnswer(backend).status, 'stopped');
    assert.match(lastAnswer(backend).content, /Counting slowly/);
    assert.equal(backend.conversations.busy, false);
  });

  it('answers "no model selected" with a way out instead of failing silently', async () => {
    const { backend } = makeBackend({});
    await backend.models.refresh();
    await backend.conversations.send('anyone?');
    const answer = lastAnswer(backend);
    assert.equal(answer.status, 'failed');
    assert.equal(answer.problem?.message, 'No model is selected.');
    assert.deepEqual(answer.problem?.actions, ['selectModel', 'refreshModels', 'openConfig']);
  });

  it('marks an answer that was streaming when the window closed as incomplete on restore', async () => {
    const conversation: Conversation = {
      id: 'c', title: 't', createdAt: 0, updatedAt: 0,
      turns: [
        { id: 'u', role: 'user', text: 'q', attachments: [], createdAt: 0 },
        { id: 'a', role: 'assistant', content: 'part', reasoning: '', status: 'streaming', createdAt: 0 },
      ],
    };
    const { backend } = makeBackend({ conversation });
    await backend.start();
    const answer = lastAnswer(backend);
    assert.equal(answer.status, 'incomplete');
    assert.equal(answer.problem?.kind, 'interrupted');
    assert.equal(answer.content, 'part');
  });

  it('reports an endpoint whose type no plugin provides', async () => {
    const { backend } = makeBackend({ layers: () => [{ source: 'global-config', providers: [{ id: 'odd', type: 'tgi', baseUrl: 'http://127.0.0.1:3000' }] }] });
    const snapshot = await backend.models.refresh();
    assert.equal(snapshot.groups[0]?.problem?.kind, 'config');
    assert.match(snapshot.groups[0]?.problem?.message ?? '', /type "tgi", which no loaded plugin provides/);
    assert.match(snapshot.groups[0]?.problem?.hint ?? '', /openai-compatible/);
  });

  it('lets the global config replace an endpoint of the same id from the user settings', async () => {
    const { backend } = makeBackend({
      layers: () => [
        { source: 'settings', providers: [{ id: 'lab', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1' }] },
        { source: 'global-config', providers: [{ id: 'lab', type: 'openai-compatible', baseUrl: server.openAiBaseUrl }] },
      ],
    });
    const snapshot = await backend.models.refresh();
    assert.equal(snapshot.groups.length, 1);
    assert.deepEqual(snapshot.groups[0]?.models.map((m) => m.id), ['fake-model', 'fake-slow']);
  });

  it('offers a server found on a declared default port and skips ports where nothing answers', async () => {
    // A plugin declares two "default ports": the fake server, and a port nobody listens on.
    await writeFile(path.join(temp, 'probe-test.js'), `
      exports.activate = (ctx) => ctx.registerProviderType({
        type: 'probe-test', displayName: 'Probe test',
        localServers: [
          { id: 'running', label: 'Running server', baseUrl: '${server.openAiBaseUrl}', startHint: '' },
          { id: 'absent', label: 'Absent server', baseUrl: 'http://127.0.0.1:9/v1', startHint: 'Run absent-server.' },
        ],
        create: (endpoint) => ({
          listModels: async () => { const r = await fetch(endpoint.baseUrl + '/models'); if (!r.ok) throw new Error('no'); return (await r.json()).data; },
          async *chat() {},
        }),
      });`);
    const { backend } = makeBackend({ extraPluginDir: temp, settings: { discoverLocalServers: true } });
    const snapshot = await backend.models.refresh();
    assert.deepEqual(snapshot.groups.map((group) => [group.providerId, group.label, group.models.map((m) => m.id)]), [
      ['running', 'Running server', ['fake-model', 'fake-slow']],
    ]);
    // What "No models found" tells: where Patchbay looked, and how to start what did not answer.
    const notAnswering = snapshot.localServersNotAnswering.map((item) => item.label);
    assert.deepEqual(snapshot.localServersNotAnswering.find((item) => item.label === 'Absent server'), { label: 'Absent server', address: '127.0.0.1:9', startHint: 'Run absent-server.' });
    assert.ok(!notAnswering.includes('Running server'));
    assert.ok(notAnswering.includes('Ollama'), `the bundled providers' default ports are looked at too: ${notAnswering.join(', ')}`);
    assert.equal(snapshot.discoversLocalServers, true);
  });

  it('uses a provider a plugin registers on its own, and survives a broken plugin', async () => {
    await writeFile(path.join(temp, 'echo.js'), `
      exports.activate = (ctx) => ctx.registerProvider({
        id: 'echo', label: 'Echo',
        listModels: async () => [{ id: 'parrot' }],
        async *chat(request) { yield { type: 'text', text: 'echo: ' + request.messages.at(-1).content }; },
      });`);
    await writeFile(path.join(temp, 'broken.js'), 'throw new Error("broken on purpose")');
    const { backend, logs } = makeBackend({ extraPluginDir: temp, layers });
    await backend.models.refresh();
    assert.equal(backend.plugins.records().find((p) => p.candidate.id === 'broken')?.status, 'failed');
    assert.ok(logs.some((line) => line.includes('broken on purpose')));
    backend.models.select({ providerId: 'echo', modelId: 'parrot' });
    await backend.conversations.send('hi');
    assert.equal(lastAnswer(backend).content, 'echo: hi');
    backend.models.select({ providerId: 'lab', modelId: 'fake-model' });
    await backend.conversations.send('still fine?');
    assert.equal(lastAnswer(backend).status, 'complete');
  });

  it('deletes a question with its answer, and an answer alone', async () => {
    const { backend, events } = makeBackend({ layers });
    await backend.models.refresh();
    await backend.conversations.send('one');
    await backend.conversations.send('two');
    const [q1, a1, q2, a2] = backend.conversations.conversation.turns;
    backend.conversations.deleteTurn(q1!.id);
    assert.deepEqual(backend.conversations.conversation.turns.map((t) => t.id), [q2!.id, a2!.id]);
    assert.deepEqual(events.filter((e) => e.type === 'turnsRemoved').at(-1), { type: 'turnsRemoved', turnIds: [q1!.id, a1!.id] });
    backend.conversations.deleteTurn(a2!.id);
    assert.deepEqual(backend.conversations.conversation.turns.map((t) => t.id), [q2!.id]);
  });

  it('edits an earlier question: what followed is replaced and its attachments are kept', async () => {
    const { backend } = makeBackend({ layers });
    await backend.models.refresh();
    await backend.conversations.send('first', [{ kind: 'selection', label: 'a.ts:1', text: 'let a = 1;' }]);
    await backend.conversations.send('second');
    const first = backend.conversations.conversation.turns[0]!;
    await backend.conversations.editAndResend(first.id, 'first, edited');
    const turns = backend.conversations.conversation.turns;
    assert.equal(turns.length, 2);
    assert.equal(turns[0]?.role === 'user' ? turns[0].text : '', 'first, edited');
    assert.equal(turns[0]?.role === 'user' ? turns[0].attachments[0]?.label : '', 'a.ts:1');
    const sent = server.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)?.json as { messages: { content: string }[] };
    assert.equal(sent.messages.length, 1);
    assert.match(sent.messages[0]?.content ?? '', /a\.ts:1:\n```\nlet a = 1;\n```\n\nfirst, edited/);
  });

  it('measures time to first token and tokens per second', async () => {
    // What is measured is real time on the wire.
    const { backend } = makeBackend({ layers, clock: realClock });
    await backend.models.refresh();
    await backend.conversations.send('measure me');
    const stats = lastAnswer(backend).stats;
    assert.ok(stats?.firstTokenMs !== undefined && stats.firstTokenMs >= 0, JSON.stringify(stats));
    assert.ok((stats?.tokensPerSecond ?? 0) > 0, JSON.stringify(stats));
  });

  it('never sends more than a small window and says what it left out', async () => {
    server.openAiModels = [{ id: 'tiny-window', max_model_len: 300 }];
    // Tools off: this is about the messages that fit, not the bundled tools' specs.
    const { backend } = makeBackend({ layers: () => [{ source: 'settings', providers: [{ id: 'lab', type: 'openai-compatible', baseUrl: server.openAiBaseUrl }] }], toolCalling: () => ({ modelModes: { 'tiny-window': 'off' } }) });
    await backend.models.refresh();
    for (let i = 0; i < 6; i++) await backend.conversations.send(`question number ${i} ${'with quite a lot of words in it '.repeat(3)}`);
    const last = lastAnswer(backend);
    assert.match(last.contextNote ?? '', /To fit tiny-window's 300-token window, \d+ earlier messages were left out/);
    const bodies = server.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.json as { messages: { content: string }[] });
    for (const body of bodies) {
      const tokens = body.messages.reduce((sum, m) => sum + Math.ceil(m.content.length / 3) + 6, 0);
      assert.ok(tokens <= 300 - 75, `sent about ${tokens} tokens`);
    }
    assert.match(bodies.at(-1)?.messages.at(-1)?.content ?? '', /question number 5/);
  });

  it('offers a small window only the tools that fit in half the room left for the prompt, and still answers', async () => {
    server.openAiModels = [{ id: 'tiny-window', max_model_len: 300 }];
    const long = (name: string) => `{ name: '${name}', description: '${'Looks things up in a very large catalogue of parts. '.repeat(8)}', parameters: { type: 'object', properties: {} }, invoke: async () => 'ok' }`;
    await writeFile(path.join(temp, 'catalogue.js'), `exports.activate = (ctx) => { ctx.registerTool(${long('lookup')}); ctx.registerTool({ name: 'tiny', description: 'x', parameters: { type: 'object', properties: {} }, invoke: async () => 'ok' }); };`);
    const { backend } = makeBackend({ extraPluginDir: temp, layers: () => [{ source: 'settings', providers: [{ id: 'lab', type: 'openai-compatible', baseUrl: server.openAiBaseUrl }] }] });
    await backend.models.refresh();
    await backend.conversations.send('which part fits?');
    const last = lastAnswer(backend);
    assert.equal(last.status, 'complete', JSON.stringify(last.problem));
    const offered = last.toolsOffered?.names ?? [];
    assert.ok(offered.includes('tiny') && !offered.includes('lookup'), offered.join(', '));
    const body = server.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)?.json as { tools?: { function: { name: string } }[] };
    assert.deepEqual(body.tools?.map((tool) => tool.function.name), offered);
    assert.ok(Math.ceil(JSON.stringify(body.tools).length / 3) <= (300 - 75) / 2 + 20, 'the tools take about half the room at most');
  });

  it('answers a template with the model it names', async () => {
    const { backend } = makeBackend({ layers });
    await backend.models.refresh();
    assert.deepEqual(backend.models.findModel('fake-llama:latest'), { providerId: 'local-ollama', modelId: 'fake-llama:latest' });
    assert.equal(backend.models.findModel('nope'), undefined);
  });

  it('never writes a saved key into the log', async () => {
    server.requiredApiKey = 'sk-very-secret-abcdef';
    const { backend, logs } = makeBackend({ layers });
    await backend.models.apiKeys.set(server.openAiBaseUrl, 'sk-very-secret-abcdef');
    await backend.models.refresh();
    await backend.conversations.send('hello');
    assert.equal(lastAnswer(backend).status, 'complete');
    const everything = logs.join('\n');
    assert.match(everything, /POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions -> 200/);
    assert.ok(!everything.includes('sk-very-secret-abcdef'));
  });
});

function lastAnswerOrUndefined(backend: ChatServices): AssistantTurn | undefined {
  const turn = backend.conversations.conversation.turns.at(-1);
  return turn?.role === 'assistant' ? turn : undefined;
}
