import assert from 'node:assert/strict';
import { threadId } from 'node:worker_threads';
import type { CallContext, ChatStreamEvent } from '../../../../src/core/api';
import { FilterChain } from '../../../../src/core/chat/filterChain';
import { silentLogger } from '../../../../src/core/ports';
import { describeToolCall } from '../../../../src/core/tools/callDescription';
import { eventually, isolatedPlugins, type IsolatedPlugins } from './isolationHarness';
import { callSignal } from '../../../../src/core/plugins/callSignal';

const everyKind = `
const { threadId } = require('node:worker_threads');
exports.configSchema = { type: 'object', properties: { greeting: { type: 'string', default: 'hello' } } };
exports.activate = (ctx) => {
  ctx.log.info('activated in thread ' + threadId + ' with greeting ' + ctx.config.greeting);
  ctx.registerTool({
    name: 'shout', description: 'Upper-cases text',
    parameters: { type: 'object', properties: { text: { type: 'string' } } },
    invoke: async (args) => ({ text: String(args.text).toUpperCase(), thread: threadId }),
  });
  ctx.registerTool({
    name: 'item', description: 'Reads or writes an item',
    parameters: { type: 'object', properties: { id: { type: 'string' }, write: { type: 'boolean' } } },
    invoke: async () => 'ok',
    describeCall: (args) => ({ method: args.write ? 'POST' : 'GET', url: 'https://api.example/items/' + args.id + (args.write ? '/edit' : '') }),
  });
  ctx.registerFilter({
    id: 'marks',
    inlet: (request) => { request.messages.push({ role: 'system', content: 'inlet ran' }); },
    stream: (event) => event.text === 'drop' ? null : event.text === 'split' ? [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] : { ...event, text: event.text.toUpperCase() },
    outlet: (answer) => ({ ...answer, content: answer.content + ' [checked]' }),
  });
  ctx.registerAction({ id: 'count', label: 'Count words', run: async (message) => ({ notify: 'words: ' + message.content.split(' ').length }) });
  ctx.registerCommand({ id: 'secret', title: 'Show secret', run: async () => ({ notify: 'secret is ' + (await ctx.secrets.get('token')) }) });
  ctx.registerPromptTemplate({ name: 'twice', description: 'Says it twice', template: (input) => input + ' ' + input });
  ctx.registerProvider({
    id: 'echo', label: 'Echo',
    listModels: async () => [{ id: 'echo-1', label: 'Echo one' }],
    chat: async function* (request, signal) {
      const last = request.messages[request.messages.length - 1].content;
      if (last === 'forever') {
        while (!signal.aborted) { yield { type: 'text', text: '.' }; await new Promise((r) => setTimeout(r, 5)); }
        ctx.log.info('chat saw the abort: ' + signal.reason.message);
        return;
      }
      for (let i = 0; i < 2000; i++) yield { type: 'text', text: last + i + ' ' };
      yield { type: 'finish', reason: 'stop' };
    },
  });
  ctx.registerProviderType({
    type: 'echo-server', displayName: 'Echo server',
    create: (endpoint, services) => ({
      listModels: async () => {
        if (endpoint.options.fetches) await services.fetch(endpoint.baseUrl + '/v1/models?api_key=abc', { method: 'GET' }).catch(() => null);
        return [{ id: endpoint.baseUrl + ' key=' + (await services.getApiKey()) + ' headers=' + JSON.stringify(await services.headers()) }];
      },
      async *chat() { yield { type: 'text', text: 'from ' + endpoint.label }; },
      modelManagement: endpoint.options.manages ? {
        pull: async (name, onProgress, signal) => {
          for (let done = 1; done <= 3; done++) {
            if (signal.aborted) throw new Error('pull stopped');
            onProgress({ status: 'pulling ' + name, completed: done, total: 3 });
            await new Promise((r) => setTimeout(r, 5));
          }
          if (name === 'missing') throw new Error('no model named missing');
        },
        delete: async (name) => { ctx.log.info('deleted ' + name); },
        details: async (name) => ({ family: name.split(':')[0] }),
      } : undefined,
    }),
  });
};`;

function callContext(signal = new AbortController().signal): CallContext {
  return { signal, log: silentLogger };
}

async function collect(events: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const all: ChatStreamEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('isolated plugins: the plugin API works across the worker boundary', () => {
  let plugins: IsolatedPlugins;
  const requests: string[] = [];

  before(async () => {
    plugins = await isolatedPlugins({ secrets: { 'every-kind.token': 'from-secret-storage' }, logRequest: (line) => requests.push(line) });
    await plugins.load({ 'every-kind.js': everyKind }, { settings: { 'every-kind': { greeting: 'hi' } } });
  });

  after(() => plugins.close());

  it('activates in a worker thread, with its config and its log', () => {
    assert.equal(plugins.status('every-kind')?.status, 'loaded', plugins.status('every-kind')?.detail);
    const activated = plugins.logs.find((line) => line.includes('activated in thread'));
    assert.match(activated ?? '', /every-kind info: activated in thread (\d+) with greeting hi/);
    assert.notEqual(Number(/thread (\d+)/.exec(activated!)![1]), threadId);
  });

  it('runs a tool in the worker', async () => {
    const tool = plugins.registry.tools().find((item) => item.definition.name === 'shout');
    assert.ok(tool, 'the tool is registered');
    const result = (await tool.definition.invoke({ text: 'quiet' }, callContext())) as { text: string; thread: number };
    assert.equal(result.text, 'QUIET');
    assert.notEqual(result.thread, threadId);
  });

  it("describes a tool's call in the worker with the call's own arguments, for the approval card and policy", async () => {
    const tool = plugins.registry.tools().find((item) => item.definition.name === 'item')!.definition;
    assert.deepEqual(await describeToolCall(tool, { id: 'a1', write: true }), { method: 'POST', url: 'https://api.example/items/a1/edit' });
    assert.deepEqual(await describeToolCall(tool, { id: 'b2' }), { method: 'GET', url: 'https://api.example/items/b2' });
  });

  it("runs a filter's inlet and outlet", async () => {
    const chain = new FilterChain(plugins.registry.filters(), { loggerFor: () => silentLogger, signalOf: (id) => plugins.runtime.signalOf(id), timeoutMs: 5_000, fail: () => undefined });
    const signal = new AbortController().signal;
    const request = await chain.inlet({ model: 'm', messages: [{ role: 'user', content: 'hi' }], options: {} }, signal);
    assert.deepEqual(request.messages.at(-1), { role: 'system', content: 'inlet ran' });
    const answer = await chain.outlet({ content: 'done', reasoning: '', model: 'm' }, signal);
    assert.equal(answer.content, 'done [checked]');
  });

  it("runs a filter's stream on every piece, in batches, in the stream's order", async () => {
    const chain = new FilterChain(plugins.registry.filters(), { loggerFor: () => silentLogger, signalOf: (id) => plugins.runtime.signalOf(id), timeoutMs: 5_000, fail: () => undefined });
    const handedOn: { type: string; text?: string }[] = [];
    const pieces = chain.pieces<{ type: string; text?: string }>((item) => handedOn.push(item), new AbortController().signal);
    const sent: { type: string; text?: string }[] = [];
    for (let i = 0; i < 3000; i++) sent.push({ type: i % 2 === 0 ? 'text' : 'reasoning', text: `p${i}` });
    sent.splice(10, 0, { type: 'text', text: 'drop' }, { type: 'text', text: 'split' }, { type: 'status' });
    for (const item of sent) pieces.push(item);
    assert.ok(handedOn.length < sent.length, 'an isolated filter answers later, not inside push');
    await pieces.settled();
    const expected = sent.flatMap((item) =>
      item.type === 'status' ? [item] : item.text === 'drop' ? [] : item.text === 'split' ? [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] : [{ ...item, text: item.text!.toUpperCase() }],
    );
    assert.deepEqual(handedOn, expected);
  });

  it('runs an action, a command reading a secret, and a prompt template', async () => {
    const action = plugins.registry.all('action').find((item) => item.definition.id === 'count');
    assert.deepEqual(await action?.definition.run({ content: 'one two three', reasoning: '', question: 'q' }, callContext()), { notify: 'words: 3' });
    const command = plugins.registry.all('command').find((item) => item.definition.id === 'secret');
    assert.deepEqual(await command?.definition.run(callContext()), { notify: 'secret is from-secret-storage' });
    const template = plugins.registry.promptTemplates().find((item) => item.definition.name === 'twice')?.definition.template;
    assert.equal(typeof template, 'function');
    assert.equal(await (template as (input: string, call: CallContext) => Promise<string>)('again', { signal: new AbortController().signal, log: silentLogger }), 'again again');
  });

  it("lists a provider's models and streams its whole answer, in order", async () => {
    const provider = plugins.registry.standaloneProviders().find((item) => item.definition.id === 'echo')?.definition;
    assert.ok(provider);
    assert.deepEqual(await provider.listModels(callSignal(new AbortController().signal, silentLogger)), [{ id: 'echo-1', label: 'Echo one' }]);
    const events = await collect(provider.chat({ model: 'echo-1', messages: [{ role: 'user', content: 'x' }], options: {} }, callSignal(new AbortController().signal, silentLogger)));
    assert.equal(events.length, 2001);
    assert.deepEqual(events[0], { type: 'text', text: 'x0 ' });
    assert.deepEqual(events[1999], { type: 'text', text: 'x1999 ' });
    assert.deepEqual(events[2000], { type: 'finish', reason: 'stop' });
  });

  it("aborts a provider's stream through its signal", async () => {
    const provider = plugins.registry.standaloneProviders().find((item) => item.definition.id === 'echo')!.definition;
    const stop = new AbortController();
    let received = 0;
    for await (const event of provider.chat({ model: 'echo-1', messages: [{ role: 'user', content: 'forever' }], options: {} }, callSignal(stop.signal, silentLogger))) {
      assert.equal(event.type, 'text');
      if (++received === 5) stop.abort(new Error('the user pressed Stop'));
      if (received > 5_000) assert.fail('the stream went on after the abort');
    }
    await eventually(() => plugins.logs.some((line) => line.includes('chat saw the abort: the user pressed Stop')), 'the plugin to see the abort');
  });

  it("creates a provider type's instance in the worker, with the host's API key", async () => {
    const type = plugins.registry.providerType('echo-server')?.definition;
    assert.ok(type);
    const instance = type.create(
      { id: 'e', label: 'Echo endpoint', type: 'echo-server', baseUrl: 'http://127.0.0.1:1', options: {} },
      { getApiKey: async () => 'endpoint-key', headers: async () => ({ 'X-Team': 'lab' }), fetch, log: silentLogger },
    );
    assert.deepEqual(await instance.listModels(callSignal(new AbortController().signal, silentLogger)), [{ id: 'http://127.0.0.1:1 key=endpoint-key headers={"X-Team":"lab"}' }]);
    assert.deepEqual(await collect(instance.chat({ model: 'm', messages: [], options: {} }, callSignal(new AbortController().signal, silentLogger))), [{ type: 'text', text: 'from Echo endpoint' }]);
    instance.dispose?.();
  });

  it("logs a provider instance's requests through services.fetch as the host logs its own: method, URL, outcome", async () => {
    const type = plugins.registry.providerType('echo-server')!.definition;
    const instance = type.create({ id: 'f', label: 'Fetching', type: 'echo-server', baseUrl: 'http://127.0.0.1:1', options: { fetches: true } }, { getApiKey: async () => undefined, headers: async () => ({}), fetch, log: silentLogger });
    await instance.listModels(callSignal(new AbortController().signal, silentLogger));
    await eventually(() => requests.length > 0, 'the request to be logged');
    assert.match(requests[0]!, /^every-kind: GET http:\/\/127\.0\.0\.1:1\/v1\/models\?api_key=abc -> fetch failed/);
    instance.dispose?.();
  });

  it("carries a provider instance's model management across: pull with its progress, delete, details, and a failed pull's error", async () => {
    const type = plugins.registry.providerType('echo-server')!.definition;
    const services = { getApiKey: async () => undefined, headers: async () => ({}), fetch, log: silentLogger };
    const plain = type.create({ id: 'p', label: 'Plain', type: 'echo-server', baseUrl: 'http://127.0.0.1:1', options: {} }, services);
    const managed = type.create({ id: 'm', label: 'Managed', type: 'echo-server', baseUrl: 'http://127.0.0.1:1', options: { manages: true } }, services);
    await managed.listModels(callSignal(new AbortController().signal, silentLogger));
    await plain.listModels(callSignal(new AbortController().signal, silentLogger));
    assert.equal(plain.modelManagement, undefined, 'an instance without model management offers none');
    const management = managed.modelManagement;
    assert.ok(management, 'the managed instance offers model management');
    const progress: unknown[] = [];
    await management.pull('llama3:8b', (step) => progress.push(step), new AbortController().signal);
    assert.deepEqual(progress, [1, 2, 3].map((completed) => ({ status: 'pulling llama3:8b', completed, total: 3 })));
    await assert.rejects(management.pull('missing', () => undefined, new AbortController().signal), /no model named missing/);
    assert.deepEqual(await management.details('llama3:8b', new AbortController().signal), { family: 'llama3' });
    await management.delete('llama3:8b', new AbortController().signal);
    await eventually(() => plugins.logs.some((line) => line.endsWith('info: deleted llama3:8b')), 'the delete to run in the worker');
    plain.dispose?.();
    managed.dispose?.();
  });
});
