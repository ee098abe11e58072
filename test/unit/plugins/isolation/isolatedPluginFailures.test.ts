import assert from 'node:assert/strict';
import type { CallContext } from '../../../../src/core/api';
import { FilterChain } from '../../../../src/core/chat/filterChain';
import { streamAnswer, type AnswerEvent } from '../../../../src/core/chat/streamAnswer';
import { PluginCaller } from '../../../../src/core/plugins/pluginCalls';
import { failureContextFor } from '../../../../src/core/providers/providerCatalog';
import { silentLogger } from '../../../../src/core/ports';
import { fakeAnswerFor, FakeModelServer } from '../../../support/fakeModelServer';
import { ask, endpoint } from '../../providers/harness';
import { calmPlugin, eventually, isolatedPlugins, type IsolatedPlugins } from './isolationHarness';

const commandPlugin = (body: string) => `exports.activate = (ctx) => ctx.registerCommand({ id: 'run', title: 'Run', run: async () => { ${body} } });`;

describe('isolated plugins: a plugin that spins, allocates without bound or exits fails alone', function () {
  this.timeout(20_000);
  let server: FakeModelServer;
  let plugins: IsolatedPlugins | undefined;

  before(async () => {
    server = await FakeModelServer.start();
    server.deltaDelayMs = 1;
  });
  after(() => server.close());
  afterEach(async () => {
    await plugins?.close();
    plugins = undefined;
  });

  /** A chat answer from the fake model server, streamed by the bundled provider in this thread. */
  async function chatAnswer(): Promise<{ text: string; ms: number }> {
    const started = Date.now();
    const answer = await ask(await endpoint('openai-compatible', server.openAiBaseUrl), 'fake-model');
    assert.equal(answer.outcome.status, 'complete');
    return { text: answer.text, ms: Date.now() - started };
  }

  function caller(): PluginCaller {
    const runtime = plugins!.runtime;
    return new PluginCaller({ loggerFor: () => silentLogger, signalOf: (id) => runtime.signalOf(id), fail: (id, error) => void runtime.fail(id, error), timeoutMs: 15_000 });
  }

  async function runCommand(pluginId: string): Promise<unknown> {
    const command = plugins!.registry.all('command').find((item) => item.owner === pluginId);
    assert.ok(command, `${pluginId} registered its command`);
    return caller().call(pluginId, 'the command', (context: CallContext) => command.definition.run(context));
  }

  /** The plugin that shared a worker with the culprit is loaded and answers (after a restart in another worker, if it had to move). */
  async function calmStillWorks(): Promise<void> {
    assert.equal(plugins!.status('calm')?.status, 'loaded');
    const until = Date.now() + 5_000;
    for (;;) {
      try {
        assert.deepEqual(await runCommand('calm'), { notify: 'pong from calm' });
        return;
      } catch (error) {
        if (Date.now() > until) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  it('a plugin whose activate never returns (while(true)) fails on the activation timeout; the chat answers meanwhile', async () => {
    plugins = await isolatedPlugins({ activationTimeoutMs: 1_500, deactivateWithinMs: 200 });
    const loading = plugins.load({ 'calm.js': calmPlugin, 'spinner.js': 'exports.activate = () => { while (true) {} };' });
    const answer = await chatAnswer();
    assert.equal(answer.text, fakeAnswerFor('hello'));
    assert.ok(answer.ms < 1_500, `the answer took ${answer.ms} ms while the plugin spun`);
    await loading;
    assert.equal(plugins.status('spinner')?.status, 'failed');
    assert.match(plugins.status('spinner')?.detail ?? '', /did not finish loading within 2 s/);
    await calmStillWorks();
  });

  it('a tool that computes forever is stopped after the silence limit: "did not answer for N s; stopped"', async () => {
    plugins = await isolatedPlugins({ unresponsiveMs: 1_000 });
    await plugins.load({
      'calm.js': calmPlugin,
      'busy-tool.js': `exports.activate = (ctx) => ctx.registerTool({ name: 'spin', description: 'spins', parameters: { type: 'object', properties: {} }, invoke: async () => { while (true) {} } });`,
    });
    const tool = plugins.registry.tools().find((item) => item.owner === 'busy-tool');
    assert.ok(tool);
    const invoking = caller().call('busy-tool', 'the tool "spin"', (context) => tool.definition.invoke({}, context));
    const answer = await chatAnswer();
    assert.equal(answer.text, fakeAnswerFor('hello'));
    await assert.rejects(invoking, /did not answer for 1 s; stopped/);
    await eventually(() => plugins!.status('busy-tool')?.status === 'failed', 'the plugin to be marked failed');
    assert.match(plugins.status('busy-tool')?.detail ?? '', /did not answer for 1 s; stopped/);
    await calmStillWorks();
  });

  it('a stream filter that computes forever is failed and skipped; the answer streams on, whole and in order', async () => {
    plugins = await isolatedPlugins({ deactivateWithinMs: 200 });
    await plugins.load({
      'calm.js': calmPlugin,
      'busy-filter.js': `let seen = 0; exports.activate = (ctx) => ctx.registerFilter({ id: 'spin', stream: (event) => { if (++seen === 3) while (true) {} return event; } });`,
    });
    const target = await endpoint('openai-compatible', server.openAiBaseUrl);
    const chain = new FilterChain(plugins.registry.filters(), { loggerFor: () => silentLogger, signalOf: (id) => plugins!.runtime.signalOf(id), fail: (id, error) => void plugins!.runtime.fail(id, error), timeoutMs: 15_000 });
    const signal = new AbortController().signal;
    const events: AnswerEvent[] = [];
    const outcome = await streamAnswer({
      provider: target.instance,
      request: { model: 'fake-model', messages: [{ role: 'user', content: 'hello' }], options: {} },
      failureContext: { ...failureContextFor(target.config, undefined, target.registry), model: 'fake-model' },
      signal,
      idleTimeoutMs: 10_000,
      onEvent: (event) => events.push(event),
      filterPieces: (emit) => chain.pieces(emit, signal),
    });
    assert.equal(outcome.status, 'complete');
    assert.equal(events.map((event) => (event.type === 'text' ? event.text : '')).join(''), fakeAnswerFor('hello'));
    await eventually(() => plugins!.status('busy-filter')?.status === 'failed', 'the plugin to be marked failed');
    assert.match(plugins.status('busy-filter')?.detail ?? '', /the stream filter "spin" of plugin "busy-filter" did not finish within 2 s/);
    await calmStillWorks();
  });

  it('a command that allocates without bound runs out of its heap and fails alone', async () => {
    plugins = await isolatedPlugins({ heapLimitMb: 32 });
    await plugins.load({ 'calm.js': calmPlugin, 'hog.js': commandPlugin('const kept = []; for (;;) kept.push(new Array(100000).fill(kept.length));') });
    await assert.rejects(runCommand('hog'), /ran out of memory \(its limit is 32 MB\); stopped/);
    await eventually(() => plugins!.status('hog')?.status === 'failed', 'the plugin to be marked failed');
    assert.match(plugins.status('hog')?.detail ?? '', /ran out of memory/);
    await calmStillWorks();
  });

  it('a command that calls process.exit() ends its own worker only, and the plugin restarts on Reload Plugins', async () => {
    plugins = await isolatedPlugins();
    await plugins.load({ 'calm.js': calmPlugin, 'quitter.js': commandPlugin('process.exit(3);') });
    await assert.rejects(runCommand('quitter'), /its worker exited \(code 3\); stopped/);
    await eventually(() => plugins!.status('quitter')?.status === 'failed', 'the plugin to be marked failed');
    assert.match(plugins.status('quitter')?.detail ?? '', /exited \(code 3\)/);
    await calmStillWorks();
    assert.equal((await chatAnswer()).text, fakeAnswerFor('hello'));
    await plugins.load({}, { reloadAll: true });
    assert.equal(plugins.status('quitter')?.status, 'loaded', 'loading again starts a new worker');
  });
});
