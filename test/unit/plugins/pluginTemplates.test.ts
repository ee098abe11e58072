import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeModelServer } from '../../support/fakeModelServer';
import { Script } from 'node:vm';
import { parse as parseYaml } from 'yaml';
import type { CallContext, ChatStreamEvent, PluginLogger } from '../../../src/core/api';
import { FilterChain } from '../../../src/core/chat/filterChain';
import { ContributionRegistry } from '../../../src/core/plugins/contributionRegistry';
import { prepareOpenApiPlugin } from '../../../src/core/openapi/openApiPlugin';
import { discoverPlugins } from '../../../src/core/plugins/discovery';
import { PluginRuntime } from '../../../src/core/plugins/pluginRuntime';
import { selectPlugins } from '../../../src/core/plugins/pluginSelection';
import { callSignal } from '../../../src/core/plugins/callSignal';
import { checkActionResult } from '../../../src/core/plugins/actionResults';
import { silentLogger } from '../../../src/core/ports';
import {
  API_DECLARATIONS_FILE,
  displayNameFor,
  newPluginIdProblem,
  PLUGIN_TEMPLATES,
  pluginsFolderReadme,
  pluginTemplateFiles,
  TEMPLATE_PLACEHOLDERS,
  type PluginTemplateKind,
} from '../../../src/core/plugins/pluginTemplates';

const root = path.resolve(__dirname, '../../..');
const templatesFolder = path.join(root, 'src', 'templates');
const run = promisify(execFile);
const openRules = { workspaceTrusted: true, loadOnly: undefined, enabled: undefined, disabled: [] };

describe('plugin templates', () => {
  let dir: string;
  let apiDeclarations: string;
  let logged: string[];

  before(async () => {
    apiDeclarations = await readFile(path.join(root, 'src/core/api/index.ts'), 'utf8');
  });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-templates-'));
    logged = [];
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const logger: PluginLogger = {
    info: (message) => logged.push(`info ${message}`),
    warn: (message) => logged.push(`warn ${message}`),
    error: (message) => logged.push(`error ${message}`),
  };

  async function writeTemplate(kind: PluginTemplateKind, id: string): Promise<string> {
    const folder = path.join(dir, id);
    for (const file of await pluginTemplateFiles(templatesFolder, kind, id, apiDeclarations)) {
      await mkdir(path.dirname(path.join(folder, file.path)), { recursive: true });
      await writeFile(path.join(folder, file.path), file.content);
    }
    return folder;
  }

  /** Through the real discovery, selection and plugin runtime, as the extension loads a global plugin. */
  async function load(settings: Record<string, unknown> | undefined = undefined) {
    const registry = new ContributionRegistry();
    const runtime = new PluginRuntime({ registry, loggerFor: () => logger, activationTimeoutMs: 5000 });
    const { candidates, problems } = await discoverPlugins([{ dir, source: 'global' }]);
    assert.deepEqual(problems, []);
    await runtime.sync(selectPlugins(candidates, openRules), { settingsFor: () => settings });
    const records = runtime.plugins();
    for (const record of records) assert.equal(record.status, 'loaded', `${record.candidate.id}: ${record.detail}`);
    return { registry, runtime, records };
  }

  function callContext(signal = new AbortController().signal): CallContext {
    return { signal, log: logger };
  }

  it('offers every kind, each naming a main file it writes', async () => {
    assert.deepEqual(PLUGIN_TEMPLATES.map((template) => template.kind), ['provider', 'tool', 'filter', 'context-provider', 'openapi', 'action', 'command', 'prompt-template', 'provider-type']);
    for (const template of PLUGIN_TEMPLATES) {
      const paths = (await pluginTemplateFiles(templatesFolder, template.kind, 'x', '')).map((file) => file.path);
      assert.ok(paths.includes(template.mainFile), `${template.kind} writes ${template.mainFile}`);
    }
  });

  it('accepts only lowercase ids that discovery accepts, and derives a display name', async () => {
    assert.equal(newPluginIdProblem('my-tool.v2_x'), undefined);
    assert.match(newPluginIdProblem('') ?? '', /Enter an id/);
    for (const bad of ['My-Tool', '-lead', 'has space', 'a'.repeat(65), 'slash/x']) assert.ok(newPluginIdProblem(bad), bad);
    await assert.rejects(pluginTemplateFiles(templatesFolder, 'tool', '../escape', ''), /not a valid plugin id/);
    assert.equal(displayNameFor('my-word_count'), 'My word count');
  });

  for (const kind of ['provider', 'tool', 'filter', 'context-provider', 'action', 'command', 'prompt-template', 'provider-type'] as const) {
    it(`the ${kind} template is a folder plugin with a patchbay manifest and the API declarations`, async () => {
      const folder = await writeTemplate(kind, `my-${kind}`);
      const manifest = JSON.parse(await readFile(path.join(folder, 'package.json'), 'utf8')) as Record<string, unknown>;
      assert.equal(manifest['main'], 'index.js');
      assert.deepEqual(
        { id: (manifest['patchbay'] as Record<string, unknown>)['id'], displayName: (manifest['patchbay'] as Record<string, unknown>)['displayName'] },
        { id: `my-${kind}`, displayName: displayNameFor(`my-${kind}`) },
      );
      assert.equal(await readFile(path.join(folder, 'patchbay-plugin.d.ts'), 'utf8'), apiDeclarations);
      const source = await readFile(path.join(folder, 'index.js'), 'utf8');
      assert.match(source, /^\/\/ @ts-check/);
      assert.match(source, /@param \{import\('\.\/patchbay-plugin'\)\.PluginContext\} context/);
      const { candidates } = await discoverPlugins([{ dir, source: 'workspace' }]);
      assert.deepEqual(candidates.map((c) => [c.id, c.kind, path.relative(dir, c.entryPath)]), [[`my-${kind}`, 'code', path.join(`my-${kind}`, 'index.js')]]);
    });
  }

  it('the provider template lists a model that answers in several pieces', async () => {
    await writeTemplate('provider', 'echo-bot');
    const { registry, records } = await load();
    assert.deepEqual(records[0]?.contributions, ['provider echo-bot']);
    const provider = registry.standaloneProviders()[0];
    assert.equal(provider?.owner, 'echo-bot');
    assert.equal(provider.definition.label, 'Echo bot');
    const models = await provider.definition.listModels(callSignal(new AbortController().signal, silentLogger));
    assert.deepEqual(models.map((model) => model.id), ['echo']);

    const events: ChatStreamEvent[] = [];
    const request = {
      model: 'echo',
      messages: [
        { role: 'user' as const, content: 'first question' },
        { role: 'assistant' as const, content: 'You said: first question' },
        { role: 'user' as const, content: 'how are you today' },
      ],
      options: {},
    };
    for await (const event of provider.definition.chat(request, callSignal(new AbortController().signal, silentLogger))) events.push(event);
    const texts = events.flatMap((event) => (event.type === 'text' ? [event.text] : []));
    assert.equal(texts.join(''), 'You said: how are you today');
    assert.ok(texts.length >= 5, `streamed in pieces, got ${JSON.stringify(texts)}`);
    assert.deepEqual(events.at(-1), { type: 'finish', reason: 'stop' });
  });

  it('the provider template stops streaming at once when its signal is aborted between pieces', async () => {
    await writeTemplate('provider', 'echo-bot');
    const { registry } = await load();
    const provider = registry.standaloneProviders()[0]!;
    const controller = new AbortController();
    const request = { model: 'echo', messages: [{ role: 'user' as const, content: 'one two three four five six seven eight nine ten' }], options: {} };
    const answer = provider.definition.chat(request, callSignal(controller.signal, silentLogger))[Symbol.asyncIterator]();
    const texts: string[] = [];
    for (let step = await answer.next(); !step.done; step = await answer.next()) {
      if (step.value.type === 'text') texts.push(step.value.text);
      if (texts.length === 2) break;
    }
    assert.deepEqual(texts, ['You ', 'said: ']);
    // Stop arrives while the provider waits at a yield, so its pause starts with the signal
    // already aborted: the pause must not wait at all. Settling before the event loop gets
    // another turn (setImmediate) means no timer was waited for.
    controller.abort();
    const rest = answer.next();
    const firstToSettle = await Promise.race([rest.then(() => 'answer'), new Promise((resolve) => setImmediate(() => resolve('a turn of the event loop')))]);
    assert.equal(firstToSettle, 'answer', 'the pause ignored the already-aborted signal');
    assert.deepEqual(await rest, { done: true, value: undefined });
  });

  it('the prompt template template adds /summarize, /translate in its language, and a /team: loader over HTTP', async () => {
    const files = new Map([['/prompts/index.json', JSON.stringify([{ name: 'review', description: 'Review a change' }, { name: '../escape' }])], ['/prompts/review.md', 'Review this:\n\n{{input}}']]);
    const server = http.createServer((request, response) => {
      const body = files.get(request.url ?? '');
      response.writeHead(body === undefined ? 404 : 200).end(body ?? 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await writeTemplate('prompt-template', 'team-prompts');
      const { registry } = await load({ language: 'French', templatesUrl: `http://127.0.0.1:${port}/prompts/` });
      const templates = registry.promptTemplates().map((item) => item.definition);
      assert.deepEqual(templates.map((item) => item.name).sort(), ['summarize', 'translate']);
      const translate = templates.find((item) => item.name === 'translate')!;
      assert.match(typeof translate.template === 'function' ? await translate.template('bonjour', callContext()) : '', /into French[\s\S]*bonjour$/);
      const loader = registry.all('templateLoader')[0]!.definition;
      assert.equal(loader.prefix, 'team');
      assert.deepEqual(await loader.list?.(callContext()), [{ name: 'review', description: 'Review a change' }]);
      assert.deepEqual(await loader.load('review', callContext()), { template: 'Review this:\n\n{{input}}' });
      assert.equal(await loader.load('missing', callContext()), undefined);
      assert.equal(await loader.load('../index', callContext()), undefined);
    } finally {
      server.close();
    }
    // A prefix is one plugin's: without the configured copy, a second one with no URL set.
    await rm(path.join(dir, 'team-prompts'), { recursive: true });
    await writeTemplate('prompt-template', 'unset');
    const unset = (await load()).registry.all('templateLoader').find((item) => item.owner === 'unset')!.definition;
    await assert.rejects(Promise.resolve(unset.load('review', callContext())), /Set "templatesUrl"/);
  });

  it('the provider type template makes endpoints that list and stream an OpenAI-style server\'s models', async () => {
    const server = await FakeModelServer.start();
    try {
      await writeTemplate('provider-type', 'my-server-type');
      const { registry } = await load();
      const type = registry.providerType('my-server-type');
      assert.ok(type, 'the type is named after the plugin id');
      const services = { getApiKey: async () => 'k-123', headers: async () => ({ 'x-team': 'lab' }), fetch, log: logger };
      const instance = type.definition.create({ id: 'mine', label: 'Mine', type: 'my-server-type', baseUrl: server.openAiBaseUrl, options: {} }, services);
      assert.deepEqual((await instance.listModels(callSignal(new AbortController().signal, silentLogger))).map((model) => model.id), ['fake-model', 'fake-slow']);
      const events: ChatStreamEvent[] = [];
      const request = { model: 'fake-model', messages: [{ role: 'user' as const, content: 'hi there' }], options: { temperature: 0.3 } };
      for await (const event of instance.chat(request, callSignal(new AbortController().signal, silentLogger))) events.push(event);
      assert.match(events.flatMap((event) => (event.type === 'text' ? [event.text] : [])).join(''), /^You said: hi there/);
      assert.deepEqual(events.at(-1), { type: 'finish', reason: 'stop' });
      const sent = server.requests.at(-1)!;
      assert.equal(sent.headers['authorization'], 'Bearer k-123');
      assert.equal(sent.headers['x-team'], 'lab');
      assert.equal((sent.json as { temperature?: number }).temperature, 0.3);
    } finally {
      await server.close();
    }
  });

  it('the tool template registers a tool with object parameters whose invoke counts words', async () => {
    await writeTemplate('tool', 'word-counter');
    const { registry, records } = await load();
    assert.deepEqual(records[0]?.contributions, ['tool count_words']);
    const tool = registry.tools()[0]!.definition;
    assert.equal((tool.parameters as { type: string }).type, 'object');
    assert.deepEqual((tool.parameters as { required: string[] }).required, ['text']);
    const result = await tool.invoke({ text: 'The cat saw the dog. The end!', top: 2 }, callContext());
    assert.deepEqual(result, { words: 7, distinctWords: 5, mostCommon: [{ word: 'the', count: 3 }, { word: 'cat', count: 1 }] });
    assert.ok(logged.includes('info counted 7 words'));
  });

  it('the tool template honours its settings and its call signal', async () => {
    await writeTemplate('tool', 'word-counter');
    const { registry } = await load({ ignoreCase: false, minWordLength: 4 });
    const tool = registry.tools()[0]!.definition;
    assert.deepEqual(await tool.invoke({ text: 'This this THIS is it', top: 5 }, callContext()), {
      words: 3,
      distinctWords: 3,
      mostCommon: [{ word: 'this', count: 1 }, { word: 'This', count: 1 }, { word: 'THIS', count: 1 }],
    });
    const controller = new AbortController();
    controller.abort(new Error('stopped by the user'));
    await assert.rejects(tool.invoke({ text: 'a b c' }, callContext(controller.signal)), /stopped by the user/);
  });

  it('the tool template rejects settings its schema forbids, naming the field', async () => {
    await writeTemplate('tool', 'word-counter');
    const registry = new ContributionRegistry();
    const runtime = new PluginRuntime({ registry, loggerFor: () => logger });
    const { candidates } = await discoverPlugins([{ dir, source: 'global' }]);
    await runtime.sync(selectPlugins(candidates, openRules), { settingsFor: () => ({ minWordLength: 0 }) });
    const [record] = runtime.plugins();
    assert.equal(record?.status, 'failed');
    assert.match(record?.detail ?? '', /minWordLength/);
  });

  function chainOf(registry: ContributionRegistry): FilterChain {
    return new FilterChain(registry.filters(), {
      loggerFor: () => logger,
      signalOf: () => undefined,
      fail: (id, error) => assert.fail(`filter of ${id} failed: ${String(error)}`),
      timeoutMs: 2000,
    });
  }

  it('the filter template adds its system message, passes the stream through and keeps the answer', async () => {
    await writeTemplate('filter', 'house-style');
    const { registry, records } = await load();
    assert.deepEqual(records[0]?.contributions, ['filter main']);
    const chain = chainOf(registry);
    const signal = new AbortController().signal;

    const plain = await chain.inlet({ model: 'm', messages: [{ role: 'user', content: 'hi' }], options: {} }, signal);
    assert.deepEqual(plain.messages, [
      { role: 'system', content: 'Answer briefly and precisely.' },
      { role: 'user', content: 'hi' },
    ]);
    const withSystem = await chain.inlet({ model: 'm', messages: [{ role: 'system', content: 'Be kind.' }, { role: 'user', content: 'hi' }], options: {} }, signal);
    assert.deepEqual(withSystem.messages[0], { role: 'system', content: 'Be kind.\n\nAnswer briefly and precisely.' });
    assert.equal(withSystem.messages.length, 2);

    assert.deepEqual(chain.stream({ type: 'reasoning', text: 'hmm' }, signal), [{ type: 'reasoning', text: 'hmm' }]);
    assert.deepEqual(chain.stream({ type: 'text', text: 'Hello' }, signal), [{ type: 'text', text: 'Hello' }]);
    assert.deepEqual(await chain.outlet({ content: 'Hello', reasoning: 'hmm', model: 'm' }, signal), { content: 'Hello', reasoning: 'hmm', model: 'm' });
    assert.ok(logged.includes('info m answered with 5 characters'));
  });

  it('the filter template follows its settings: another system message, reasoning hidden', async () => {
    await writeTemplate('filter', 'house-style');
    const { registry } = await load({ systemMessage: 'Use British spelling.', hideReasoning: true });
    const chain = chainOf(registry);
    const signal = new AbortController().signal;
    const request = await chain.inlet({ model: 'm', messages: [{ role: 'user', content: 'hi' }], options: {} }, signal);
    assert.deepEqual(request.messages[0], { role: 'system', content: 'Use British spelling.' });
    assert.deepEqual(chain.stream({ type: 'reasoning', text: 'hmm' }, signal), []);
    assert.deepEqual(chain.stream({ type: 'text', text: 'Hello' }, signal), [{ type: 'text', text: 'Hello' }]);
    assert.deepEqual(await chain.outlet({ content: 'Hello', reasoning: 'hmm', model: 'm' }, signal), { content: 'Hello', reasoning: '', model: 'm' });

    const { registry: silent } = await load({ systemMessage: '' });
    const untouched = await chainOf(silent).inlet({ model: 'm', messages: [{ role: 'user', content: 'hi' }], options: {} }, signal);
    assert.deepEqual(untouched.messages, [{ role: 'user', content: 'hi' }]);
  });

  it("the action template's buttons open an answer's code, tidy it in place and ask a follow-up, each a result Patchbay accepts", async () => {
    await writeTemplate('action', 'answer-tools');
    const { registry, records } = await load();
    assert.deepEqual(records[0]?.contributions, ['action open-code', 'action tidy', 'action follow-up']);
    const run = async (id: string, content: string) => {
      const action = registry.all('action').find((item) => item.definition.id === id)!;
      const what = `action "${action.definition.label}"`;
      return checkActionResult(await action.definition.run({ content, reasoning: '', question: 'q' }, callContext()), { what, pluginId: action.owner, onMessage: true });
    };
    assert.deepEqual(await run('open-code', 'Here:\n```python\nprint(1)\n```\nand\n```\nprint(2)\n```'), { openDocument: { content: 'print(1)\n\nprint(2)\n', language: 'python' } });
    assert.deepEqual(await run('open-code', 'no code'), { notify: 'This answer has no code block.' });
    assert.deepEqual(await run('tidy', 'a  \n\n\n\nb\n'), { replaceMessage: 'a\n\nb' });
    assert.deepEqual(await run('follow-up', 'x'), { followUp: { text: 'Explain that more simply, with an example.' } });
  });

  it("the command template's commands insert the date, open a Markdown note and add its guidelines as a chip", async () => {
    await writeTemplate('command', 'desk');
    const { registry, records } = await load();
    assert.deepEqual(records[0]?.contributions, ['command insert-date', 'command scratch-note', 'command add-guidelines']);
    const run = async (id: string) => {
      const command = registry.all('command').find((item) => item.definition.id === id)!;
      return checkActionResult(await command.definition.run(callContext()), { what: `command "${command.definition.title}"`, pluginId: command.owner, onMessage: false });
    };
    assert.match((await run('insert-date')).insertText ?? '', /^\d{4}-\d{2}-\d{2}$/);
    const note = await run('scratch-note');
    assert.equal(note.openDocument?.language, 'markdown');
    assert.match(note.openDocument?.content ?? '', /^# Notes \d{4}-/);
    assert.deepEqual(await run('add-guidelines'), { addContext: { title: 'Coding guidelines', content: 'Prefer small functions with names that explain themselves. Test every fix.' } });
  });

  it('the context provider template offers @todo, suggests notes and resolves them into a chip', async () => {
    await writeTemplate('context-provider', 'notes');
    const { registry } = await load();
    const [provider] = registry.contextProviders();
    assert.equal(provider?.listedName, 'todo');
    assert.equal(provider?.owner, 'notes');
    const definition = provider!.definition;
    assert.ok(definition.queryHint);
    const suggestions = await definition.complete?.('status', callContext());
    assert.deepEqual(suggestions, [{ query: 'the status bar flickers while models load', label: 'FIXME: the status bar flickers while models load' }]);
    const item = await definition.resolve('cache', callContext());
    assert.deepEqual(item, { title: 'Notes about cache', language: 'markdown', text: '- TODO: cache the model list between refreshes' });
    await assert.rejects(Promise.resolve(definition.resolve('nothing-like-this', callContext())), /no note mentions "nothing-like-this"/);
    const only = await load({ markers: ['FIXME'] });
    const all = await only.registry.contextProviders()[0]!.definition.resolve('', callContext());
    assert.equal(all.text, '- FIXME: the status bar flickers while models load');
  });

  it('the OpenAPI template has a manifest pointing at a valid OpenAPI 3.0 document', async () => {
    const folder = await writeTemplate('openapi', 'notes-api');
    const manifest = JSON.parse(await readFile(path.join(folder, 'ai-plugin.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(manifest['schema_version'], 'v1');
    assert.equal(manifest['name_for_human'], 'Notes api');
    assert.equal(manifest['name_for_model'], 'notes_api');
    for (const field of ['description_for_human', 'description_for_model']) assert.ok(typeof manifest[field] === 'string' && manifest[field] !== '', field);
    assert.deepEqual(manifest['auth'], { type: 'none' });
    const api = manifest['api'] as { type: string; url: string };
    assert.equal(api.type, 'openapi');
    assert.ok(existsSync(path.join(folder, api.url)), `${api.url} exists`);

    const document = parseYaml(await readFile(path.join(folder, api.url), 'utf8')) as {
      openapi: string;
      servers: { url: string }[];
      paths: Record<string, Record<string, { operationId?: string; parameters?: { name: string; in: string }[] }>>;
    };
    assert.match(document.openapi, /^3\.0\.\d+$/);
    assert.deepEqual(document.servers.map((server) => server.url), ['http://127.0.0.1:8000']);
    const operations = Object.values(document.paths).flatMap((item) => Object.entries(item));
    assert.deepEqual(operations.map(([method, operation]) => [method, operation.operationId]), [['get', 'searchNotes']]);
    assert.deepEqual(operations[0]?.[1].parameters?.map((parameter) => [parameter.name, parameter.in]), [['q', 'query']]);

    const { candidates } = await discoverPlugins([{ dir, source: 'global' }]);
    assert.deepEqual(candidates.map((c) => [c.id, c.kind, c.displayName, c.entryPath]), [['notes-api', 'openapi', 'Notes api', path.join(folder, 'ai-plugin.json')]]);
    // And it loads as a tool plugin: one tool that calls the API's search.
    const prepared = await prepareOpenApiPlugin(candidates[0]!);
    assert.equal(prepared.baseUrl, 'http://127.0.0.1:8000');
    assert.deepEqual(prepared.operations.map((operation) => operation.toolName), ['searchNotes']);
  });

  it('puts the id and the names derived from it wherever the templates have placeholders, valid for any id', async () => {
    // The shortest ids, each punctuation mark, the longest id, and ids that contain a
    // placeholder (a second replacement pass would turn "my_plugin.v2" into "my_plugin_v2.v2").
    const ids = ['a', '7', 'x.y_z-w', 'q'.repeat(64), 'my-plugin-2', 'my_plugin.v2'];
    for (const id of ids) {
      for (const { kind, typed } of PLUGIN_TEMPLATES) {
        const pluginsFolder = path.join(dir, `${kind}-${id}`);
        const folder = path.join(pluginsFolder, id);
        await mkdir(folder, { recursive: true });
        for (const file of await pluginTemplateFiles(templatesFolder, kind, id, apiDeclarations)) await writeFile(path.join(folder, file.path), file.content);
        for (const name of (await readdir(folder)).filter((file) => file !== API_DECLARATIONS_FILE)) {
          const text = await readFile(path.join(folder, name), 'utf8');
          const where = `${kind}/${name} for "${id}"`;
          if (!id.includes('plugin')) {
            for (const placeholder of Object.values(TEMPLATE_PLACEHOLDERS)) assert.ok(!text.includes(placeholder), `${where} still says ${placeholder}`);
          }
          if (name.endsWith('.json')) assert.doesNotThrow(() => JSON.parse(text), where);
          if (name.endsWith('.js')) assert.doesNotThrow(() => new Script(text, { filename: name }), where);
          if (name.endsWith('.yaml')) assert.doesNotThrow(() => parseYaml(text), where);
        }
        assert.equal(existsSync(path.join(folder, API_DECLARATIONS_FILE)), typed, `${kind} ships the API declarations`);
        const { candidates, problems } = await discoverPlugins([{ dir: pluginsFolder, source: 'global' }]);
        assert.deepEqual(problems, []);
        assert.deepEqual(candidates.map((candidate) => [candidate.id, candidate.displayName]), [[id, displayNameFor(id)]], `${kind} for "${id}"`);
        if (kind === 'openapi') {
          const aiPlugin = JSON.parse(await readFile(path.join(folder, 'ai-plugin.json'), 'utf8')) as Record<string, unknown>;
          assert.equal(aiPlugin['name_for_model'], id.replace(/[^a-z0-9_]/g, '_'));
        }
      }
    }
  });

  it('the templates\' type check (src/templates/tsconfig.json) catches a type error in a template', async function () {
    this.timeout(60_000);
    // A copy of the templates as an author's editor sees them: the shipped API declarations
    // in place of the type check's stand-in, and one deliberate mistake.
    const copy = path.join(dir, 'templates');
    await cp(templatesFolder, copy, { recursive: true });
    await writeFile(path.join(copy, API_DECLARATIONS_FILE), apiDeclarations);
    const toolFile = path.join(copy, 'tool', 'index.js');
    const source = await readFile(toolFile, 'utf8');
    assert.ok(source.includes('signal.throwIfAborted()'));
    await writeFile(toolFile, source.replace('signal.throwIfAborted()', 'signal.throwIfAbortd()'));
    const tsc = path.join(root, 'node_modules', 'typescript-7', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', path.join(copy, 'tsconfig.json')], { cwd: copy }).then(
      () => ({ failed: false, output: '' }),
      (error: { stdout?: string; stderr?: string }) => ({ failed: true, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
    );
    assert.ok(result.failed, 'tsc accepted the mistake');
    const errors = result.output.split('\n').filter((line) => /error TS\d+/.test(line));
    assert.equal(errors.length, 1, result.output);
    assert.match(errors[0] ?? '', /tool[\\/]index\.js\(\d+,\d+\): error TS\d+: Property 'throwIfAbortd' does not exist/);
  });

  it('the build copies the templates to dist/templates unchanged, and the .vsix takes them in', async function () {
    this.timeout(60_000);
    await run(process.execPath, [path.join(root, 'esbuild.mjs'), '--templates-only'], { cwd: root });
    const built = path.join(root, 'dist', 'templates');
    const filesOf = async (folder: string) =>
      (await readdir(folder, { recursive: true, withFileTypes: true }))
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
        .sort();
    const checkOnly = ['tsconfig.json', API_DECLARATIONS_FILE];
    const sourceFiles = (await filesOf(templatesFolder)).filter((file) => !checkOnly.includes(file));
    assert.deepEqual(await filesOf(built), sourceFiles);
    for (const file of sourceFiles) assert.equal(await readFile(path.join(built, file), 'utf8'), await readFile(path.join(templatesFolder, file), 'utf8'), file);
    assert.match(await pluginsFolderReadme(built), /^# Patchbay plugins\n/);

    const { stdout } = await run(process.execPath, [path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: root });
    const packaged = stdout.split('\n').filter((line) => line.startsWith('dist/templates/')).sort();
    assert.deepEqual(packaged, sourceFiles.map((file) => `dist/templates/${file}`));
  });

  it('the code templates type-check against the plugin API they ship with', async function () {
    this.timeout(60_000);
    const entries: string[] = [];
    for (const kind of ['provider', 'tool', 'filter', 'context-provider', 'prompt-template', 'provider-type'] as const) entries.push(path.join(await writeTemplate(kind, `typed-${kind}`), 'index.js'));
    const tsc = path.join(root, 'node_modules', 'typescript-7', 'bin', 'tsc');
    const args = [tsc, '--noEmit', '--allowJs', '--checkJs', '--strict', '--target', 'es2022', '--module', 'commonjs', '--lib', 'es2022,dom', '--types', '', ...entries];
    try {
      await run(process.execPath, args, { cwd: dir });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      assert.fail(`tsc found errors in the templates:\n${stdout ?? ''}${stderr ?? ''}`);
    }
  });
});
