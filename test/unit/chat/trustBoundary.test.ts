/**
 * The trust boundary between the user's own setup and a workspace: a workspace may add
 * endpoints and plugins, never take over the user's, read their secrets, or see them echoed.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChatServices, ChatServicesDeps } from '../../../src/core/chatServices';
import type { AssistantTurn, ModelRef } from '../../../src/core/chat/conversation';
import { ConversationStore } from '../../../src/core/history/conversationStore';
import { declaredSpecCandidates } from '../../../src/core/openapi/declaredSpecs';
import type { PluginCandidate, PluginRoot } from '../../../src/core/plugins/discovery';
import type { SelectionRules } from '../../../src/core/plugins/pluginSelection';
import { silentLogger, type SecretPort } from '../../../src/core/ports';
import { ApiKeyStore } from '../../../src/core/providers/apiKeys';
import type { EndpointLayer, RefusedEndpoint } from '../../../src/core/providers/endpointLayers';
import { Redactor } from '../../../src/core/util/redactor';
import { FakeModelServer } from '../../support/fakeModelServer';
import { bundledPlugins, memorySecrets, testBackend } from '../../support/testBackend';

interface Setup {
  layers?: EndpointLayer[];
  selected?: ModelRef;
  specs?: PluginCandidate[];
  roots?: PluginRoot[];
  secrets?: SecretPort;
  replacement?: SelectionRules['replacement'];
  askToReplacePlugin?: ChatServicesDeps['askToReplacePlugin'];
  discover?: boolean;
}

function makeBackend(setup: Setup) {
  const refused: RefusedEndpoint[][] = [];
  const { backend, saved, redactor } = testBackend({
    pluginRoots: () => [{ dir: bundledPlugins, source: 'bundled' }, ...(setup.roots ?? [])],
    pluginRules: () => ({ workspaceTrusted: true, loadOnly: undefined, enabled: undefined, disabled: [], ...(setup.replacement ? { replacement: setup.replacement } : {}) }),
    declaredToolSpecs: () => setup.specs ?? [],
    ...(setup.askToReplacePlugin ? { askToReplacePlugin: setup.askToReplacePlugin } : {}),
    endpointLayers: () => setup.layers ?? [],
    onEndpointsRefused: (entries) => refused.push([...entries]),
    settings: () => ({ discoverLocalServers: setup.discover ?? false, idleTimeoutMs: 5000, generation: {} }),
    ...(setup.secrets ? { secrets: setup.secrets } : {}),
    log: silentLogger,
    loadSelectedModel: () => setup.selected,
  });
  return { backend, refused, saved, redactor };
}

function lastAnswer(backend: ChatServices): AssistantTurn {
  const turn = backend.conversations.conversation.turns.at(-1);
  assert.equal(turn?.role, 'assistant');
  return turn as AssistantTurn;
}

const WORKSPACE_FILE = 'file:///work/project/.patchbay/config.yaml';

describe('A workspace cannot take over an endpoint the user set up', () => {
  let users: FakeModelServer;
  let intruder: FakeModelServer;

  beforeEach(async () => {
    users = await FakeModelServer.start();
    intruder = await FakeModelServer.start();
  });

  afterEach(async () => {
    await Promise.all([users.close(), intruder.close()]);
  });

  const chats = (server: FakeModelServer) => server.requests.filter((request) => request.path.endsWith('/chat/completions') || request.path === '/api/chat');

  for (const source of ['settings', 'global-config'] as const) {
    it(`refuses a workspace entry with the id of an endpoint from ${source}: the saved choice still talks to the user's server`, async () => {
      const { backend, refused } = makeBackend({
        layers: [
          { source, providers: [{ id: 'lab', type: 'openai-compatible', baseUrl: users.openAiBaseUrl, label: 'My lab' }] },
          { source: 'workspace-config', file: WORKSPACE_FILE, providers: [
            { id: 'extra', type: 'openai-compatible', baseUrl: intruder.openAiBaseUrl },
            { id: 'lab', type: 'openai-compatible', baseUrl: intruder.openAiBaseUrl, label: 'My lab' },
          ] },
        ],
        selected: { providerId: 'lab', modelId: 'fake-model' },
      });
      const snapshot = await backend.models.refresh();
      await backend.conversations.send('here is my private code');
      assert.equal(lastAnswer(backend).status, 'complete');
      assert.equal(chats(users).length, 1, 'the prompt went to the user\'s server');
      assert.equal(chats(intruder).length, 0, 'the workspace host never saw the prompt');
      assert.deepEqual(snapshot.groups.map((group) => group.providerId), ['lab', 'extra'], 'a new workspace endpoint is still added');
      const last = refused.at(-1) ?? [];
      assert.equal(last.length, 1);
      assert.equal(last[0]?.id, 'lab');
      assert.equal(last[0]?.file, WORKSPACE_FILE);
      assert.equal(last[0]?.index, 1);
      assert.match(last[0]?.message ?? '', /endpoint "lab" is already defined in your (user settings|global config).*a workspace cannot replace it/);
    });
  }

  it('refuses a workspace entry named like a local server Patchbay finds on its own (ollama)', async () => {
    const { backend, refused } = makeBackend({
      layers: [{ source: 'workspace-config', file: WORKSPACE_FILE, providers: [{ id: 'ollama', type: 'ollama', baseUrl: intruder.url }] }],
      selected: { providerId: 'ollama', modelId: 'fake-llama:latest' },
    });
    const snapshot = await backend.models.refresh();
    assert.equal(snapshot.groups.some((group) => group.providerId === 'ollama'), false);
    assert.match(refused.at(-1)?.[0]?.message ?? '', /endpoint "ollama" is already the Ollama server that Patchbay finds on its own/);
    await backend.conversations.send('hello');
    assert.equal(chats(intruder).length, 0);
  });

  it('tells which endpoints a workspace declared and the host each talks to', async () => {
    const { backend } = makeBackend({
      layers: [
        { source: 'settings', providers: [{ id: 'mine', type: 'openai-compatible', baseUrl: users.openAiBaseUrl }] },
        { source: 'workspace-config', file: WORKSPACE_FILE, providers: [{ id: 'theirs', type: 'openai-compatible', baseUrl: intruder.openAiBaseUrl }] },
      ],
    });
    const snapshot = await backend.models.refresh();
    const byId = new Map(snapshot.groups.map((group) => [group.providerId, group]));
    assert.equal(byId.get('theirs')?.source, 'workspace-config');
    assert.equal(byId.get('theirs')?.host, new URL(intruder.url).host);
    assert.equal(byId.get('mine')?.source, 'settings');
  });
});

describe('Plugin secrets are bound to the plugin they were saved for', () => {
  let api: FakeModelServer;
  let other: FakeModelServer;
  let temp: string;
  let spec: string;

  beforeEach(async () => {
    api = await FakeModelServer.start();
    other = await FakeModelServer.start();
    temp = await mkdtemp(path.join(os.tmpdir(), 'patchbay-trust-'));
    spec = path.join(temp, 'weather.json');
    await writeFile(spec, JSON.stringify({
      openapi: '3.0.0',
      info: { title: 'Weather', version: '1' },
      paths: { '/forecast': { get: { operationId: 'forecast', responses: { 200: { description: 'ok' } } } } },
    }));
  });

  afterEach(async () => {
    await Promise.all([api.close(), other.close()]);
    await rm(temp, { recursive: true, force: true });
  });

  const declared = (source: 'global' | 'workspace', baseUrl: string, folder = temp) =>
    declaredSpecCandidates([{ openapi: spec, id: 'weather', baseUrl, auth: { type: 'bearer' } }], folder, source);

  /** Calls the weather tool; what it failed with, if it did. */
  async function callForecast(backend: ChatServices): Promise<string | undefined> {
    await backend.start();
    const tool = backend.plugins.registry.all('tool').find((item) => item.owner === 'weather');
    assert.ok(tool, `the weather tool is registered: ${JSON.stringify(backend.plugins.records().map((r) => [r.candidate.source, r.status, r.detail]))}`);
    return tool.definition.invoke({}, { signal: new AbortController().signal, log: silentLogger }).then(() => undefined, (error: Error) => error.message);
  }

  const authorizations = (server: FakeModelServer) => server.requests.filter((request) => request.path.startsWith('/forecast')).map((request) => request.headers.authorization);

  it('a global plugin keeps the secret saved by an earlier version, moved to its bound name on first read', async () => {
    const secrets = memorySecrets();
    secrets.data.set('patchbay.pluginSecret:weather:token', 'users-weather-token');
    const { backend } = makeBackend({ specs: declared('global', api.url), secrets });
    await callForecast(backend);
    assert.deepEqual(authorizations(api), ['Bearer users-weather-token']);
    assert.equal(secrets.data.has('patchbay.pluginSecret:weather:token'), false, 'the unbound copy is gone');
    assert.deepEqual([...secrets.data.values()], ['users-weather-token']);
  });

  it('a workspace spec with the id of the user\'s plugin never receives its secret, old or new', async () => {
    const secrets = memorySecrets();
    secrets.data.set('patchbay.pluginSecret:weather:token', 'users-weather-token');
    const { backend } = makeBackend({
      specs: [...declared('global', api.url), ...declared('workspace', other.url, path.join(temp, 'project'))],
      secrets,
      replacement: () => true,
    });
    assert.match(await callForecast(backend) ?? '', /this API needs "token", which is not set/);
    assert.equal(backend.plugins.records().find((record) => record.candidate.id === 'weather' && record.status === 'loaded')?.candidate.source, 'workspace');
    assert.deepEqual(authorizations(other), [], 'the workspace API got no token');
    assert.deepEqual(authorizations(api), []);

    // Saved for the user's plugin through its record, the secret still stays with it.
    const users = backend.plugins.records().find((record) => record.candidate.source === 'global');
    assert.ok(users);
    await backend.plugins.setSecret({ candidate: users.candidate, credentialOrigin: new URL(api.url).origin }, 'token', 'users-new-token');
    await backend.plugins.sync({ reloadAll: true });
    assert.match(await callForecast(backend) ?? '', /which is not set/);
    assert.deepEqual(authorizations(other), []);
  });

  it('a credential is not sent to another origin when the API address changes', async () => {
    const secrets = memorySecrets();
    secrets.data.set('patchbay.pluginSecret:weather:token', 'users-weather-token');
    const first = makeBackend({ specs: declared('global', api.url), secrets });
    await callForecast(first.backend);
    await first.backend.dispose();
    const moved = makeBackend({ specs: declared('global', other.url), secrets });
    assert.match(await callForecast(moved.backend) ?? '', /which is not set/);
    assert.deepEqual(authorizations(api), ['Bearer users-weather-token']);
    assert.deepEqual(authorizations(other), []);
  });

  it('a workspace plugin waits for the user before it replaces one of theirs, and the user\'s stays meanwhile', async () => {
    const global = path.join(temp, 'global');
    const workspace = path.join(temp, 'workspace');
    await mkdir(global);
    await mkdir(workspace);
    for (const dir of [global, workspace]) await writeFile(path.join(dir, 'helper.js'), `exports.activate = () => {};`);
    const asked: [string, string][] = [];
    let answer: boolean | undefined;
    const { backend } = makeBackend({
      roots: [{ dir: global, source: 'global' }, { dir: workspace, source: 'workspace' }],
      replacement: () => answer,
      askToReplacePlugin: async (workspacePlugin, usersPlugin) => {
        asked.push([workspacePlugin.location, usersPlugin.location]);
        answer = true;
      },
    });
    await backend.start();
    const statuses = () => backend.plugins.records().filter((record) => record.candidate.id === 'helper').map((record) => `${record.candidate.source}:${record.status}`).sort();
    // The question is asked; until it is answered, the user's plugin runs.
    assert.deepEqual(asked, [[path.join(workspace, 'helper.js'), path.join(global, 'helper.js')]]);
    const waiting = backend.plugins.records().find((record) => record.candidate.source === 'workspace');
    assert.ok(['waiting-for-consent', 'loaded'].includes(waiting?.status ?? ''), waiting?.status);
    for (let i = 0; i < 50 && !statuses().includes('workspace:loaded'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(statuses(), ['global:shadowed', 'workspace:loaded']);
  });

  it("a workspace plugin cannot take a template loader's prefix from the user's plugin, however much quicker it is", async () => {
    const global = path.join(temp, 'global');
    const workspace = path.join(temp, 'workspace');
    await mkdir(global);
    await mkdir(workspace);
    const loader = (from: string, delayMs: number) =>
      `exports.activate = async (ctx) => { await new Promise((r) => setTimeout(r, ${delayMs})); ctx.registerTemplateLoader({ prefix: 'gh', description: '${from}', load: () => ({ template: '${from}' }) }); };`;
    await writeFile(path.join(global, 'users-loader.js'), loader('yours', 300));
    await writeFile(path.join(workspace, 'repo-loader.js'), loader('the repository', 0));
    const { backend } = makeBackend({ roots: [{ dir: global, source: 'global' }, { dir: workspace, source: 'workspace' }] });
    await backend.start();
    const status = (id: string) => backend.plugins.records().find((record) => record.candidate.id === id);
    assert.equal(status('users-loader')?.status, 'loaded');
    assert.equal(status('repo-loader')?.status, 'failed');
    assert.match(status('repo-loader')?.detail ?? '', /template loader "gh" is already registered by plugin "users-loader"/);
  });

  it('without the user\'s answer the workspace plugin does not replace theirs, and says so', async () => {
    const global = path.join(temp, 'global');
    const workspace = path.join(temp, 'workspace');
    await mkdir(global);
    await mkdir(workspace);
    for (const dir of [global, workspace]) await writeFile(path.join(dir, 'helper.js'), `exports.activate = () => {};`);
    const { backend } = makeBackend({ roots: [{ dir: global, source: 'global' }, { dir: workspace, source: 'workspace' }], replacement: () => false });
    await backend.start();
    const records = backend.plugins.records().filter((record) => record.candidate.id === 'helper');
    assert.deepEqual(records.map((record) => `${record.candidate.source}:${record.status}`).sort(), ['global:loaded', 'workspace:consent-denied']);
    assert.match(records.find((record) => record.candidate.source === 'workspace')?.detail ?? '', /keep your global plugin "helper"/);
  });
});

describe('Secrets never reach what the user sees or what is saved', () => {
  let server: FakeModelServer;
  let temp: string;

  beforeEach(async () => {
    server = await FakeModelServer.start();
    temp = await mkdtemp(path.join(os.tmpdir(), 'patchbay-redact-'));
  });

  afterEach(async () => {
    await server.close();
    await rm(temp, { recursive: true, force: true });
  });

  it('redacts a key the server echoes in its error from the chat, the saved conversation, the export and the model list', async () => {
    const key = 'lab-key-0123456789';
    const echo = { status: 400, steps: [{ kind: 'write' as const, data: JSON.stringify({ error: { message: `Bad request: api key ${key} is not valid for this model (Authorization: Bearer ${key})` } }) }] };
    server.onChat = () => echo;
    const layers: EndpointLayer[] = [{ source: 'settings', providers: [{ id: 'lab', type: 'openai-compatible', baseUrl: server.openAiBaseUrl }] }];
    const { backend, saved } = makeBackend({ layers, selected: { providerId: 'lab', modelId: 'fake-model' } });
    const updates: string[] = [];
    backend.conversations.onEvent((event) => updates.push(JSON.stringify(event)));
    await backend.models.apiKeys.set(server.openAiBaseUrl, key);
    await backend.models.refresh();
    await backend.conversations.send('hello');
    const answer = lastAnswer(backend);
    assert.equal(answer.status, 'failed');
    assert.match(answer.problem?.message ?? '', /\[redacted\]/, 'the echoed message is still shown, without the key');
    assert.ok(!JSON.stringify(answer).includes(key), JSON.stringify(answer.problem));
    assert.ok(!updates.join('\n').includes(key), 'nothing sent to the chat view holds the key');
    assert.ok(!JSON.stringify(saved).includes(key), 'nothing saved holds the key');
    const exported = await backend.conversations.export(backend.conversations.conversation.id);
    assert.ok(exported && !exported.markdown.includes(key));

    server.onModels = () => echo;
    const snapshot = await backend.models.refresh();
    assert.ok(snapshot.groups[0]?.problem, 'the listing failed');
    assert.ok(!JSON.stringify(snapshot).includes(key), JSON.stringify(snapshot.groups[0]?.problem));
    assert.ok(!backend.describeForUser(new Error(`server said ${key}`)).includes(key));
  });

  it('redacts a key the server echoes into the streamed answer and its reasoning, however the deltas cut it', async () => {
    const key = 'lab-key-0123456789';
    const delta = (field: 'content' | 'reasoning_content', text: string) =>
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'fake-model', choices: [{ index: 0, delta: { [field]: text }, finish_reason: null }] })}\n\n`;
    const pieces = ['I was sent lab-', 'key-01234', '56789 as your key; and lab-', 'kit is a word.'];
    const body = [
      delta('reasoning_content', 'the header said lab-key-0'),
      delta('reasoning_content', '123456789.'),
      ...pieces.map((piece) => delta('content', piece)),
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'fake-model', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`,
    ];
    server.onChat = () => ({ headers: { 'content-type': 'text/event-stream' }, steps: body.map((data) => ({ kind: 'write' as const, data })) });
    const layers: EndpointLayer[] = [{ source: 'settings', providers: [{ id: 'lab', type: 'openai-compatible', baseUrl: server.openAiBaseUrl }] }];
    const { backend, saved } = makeBackend({ layers, selected: { providerId: 'lab', modelId: 'fake-model' } });
    const updates: string[] = [];
    backend.conversations.onEvent((event) => updates.push(JSON.stringify(event)));
    await backend.models.apiKeys.set(server.openAiBaseUrl, key);
    await backend.models.refresh();
    await backend.conversations.send('what key did I send?');
    const answer = lastAnswer(backend);
    assert.equal(answer.status, 'complete', JSON.stringify(answer.problem));
    assert.equal(answer.content, 'I was sent [redacted] as your key; and lab-kit is a word.');
    assert.equal(answer.reasoning, 'the header said [redacted].');
    const streamed = updates.map((update) => JSON.parse(update) as { type: string; content?: string; reasoning?: string }).filter((event) => event.type === 'turnDelta');
    assert.equal(streamed.map((event) => event.content ?? '').join(''), answer.content, 'the deltas add up to the answer');
    assert.ok(!updates.join('\n').includes('0123456789'), 'no part of the key reached the chat view');
    assert.ok(!JSON.stringify(saved).includes(key), 'nothing saved holds the key');
  });

  it('takes known secrets out of a conversation before the history writes it', async () => {
    const redactor = new Redactor();
    redactor.remember('pasted-secret-42');
    const store = new ConversationStore(temp, silentLogger, (conversation) => redactor.redactStrings(conversation));
    await store.save({
      id: 'c1',
      title: 'about pasted-secret-42',
      createdAt: 1,
      updatedAt: 1,
      turns: [{ id: 't1', role: 'user', text: 'my key is pasted-secret-42', attachments: [], createdAt: 1 }],
    });
    await store.flush();
    const files = await readdir(temp);
    const written = (await Promise.all(files.map((file) => readFile(path.join(temp, file), 'utf8')))).join('\n');
    assert.ok(written.includes('my key is [redacted]'), written);
    assert.ok(!written.includes('pasted-secret-42'));
  });

  it('says clearly when the OS secret store cannot save a key, and writes it nowhere else', async () => {
    const writes: string[] = [];
    const broken: SecretPort = {
      get: async () => undefined,
      store: async (name) => {
        writes.push(name);
        throw new Error('Cannot create an item in a locked collection');
      },
      delete: async () => undefined,
    };
    await assert.rejects(new ApiKeyStore(broken).set('http://127.0.0.1:8000/v1', 'sk-abc-12345678'), (error: Error & { hint?: string }) => {
      assert.match(error.message, /Could not save the API key for http:\/\/127\.0\.0\.1:8000: the operating system's secret store refused it \(Cannot create an item in a locked collection\)\. It was not saved anywhere\./);
      assert.match(error.hint ?? '', /keyring/);
      return true;
    });
    const { backend } = makeBackend({ secrets: broken });
    const candidate: PluginCandidate = { id: 'weather', displayName: 'weather', source: 'global', kind: 'code', location: '/p/weather.js', entryPath: '/p/weather.js' };
    await assert.rejects(backend.plugins.setSecret({ candidate }, 'token', 'abc-secret'), /Could not save the secret "token" of plugin "weather": the operating system's secret store refused it/);
    assert.equal(writes.length, 2, 'one attempt each, no fallback');
  });
});
