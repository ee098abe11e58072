/**
 * A global plugin's context provider runs in its worker: its `complete`, `resolve` and
 * `describeResolve` cross as handles, and `context.services.workspace.gitDiff()` is answered by
 * the host's port.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { ContextProviders, type ContextApprovalQuestion } from '../../../src/core/context/contextProviders';
import { ContributionRegistry } from '../../../src/core/plugins/contributionRegistry';
import { discoverPlugins } from '../../../src/core/plugins/discovery';
import { isolatedModuleLoader } from '../../../src/core/plugins/isolation/isolatedModule';
import { PluginRuntime } from '../../../src/core/plugins/pluginRuntime';
import { unavailableServices } from '../../../src/core/plugins/pluginContext';
import { selectPlugins } from '../../../src/core/plugins/pluginSelection';
import { silentLogger } from '../../../src/core/ports';
import { defaultApprovalRules } from '../../../src/core/tools/toolPolicy';
import { workerPath } from '../plugins/isolation/isolationHarness';

const plugin = `
const { threadId } = require('node:worker_threads');
exports.activate = (ctx) => {
  ctx.registerContextProvider({
    name: 'changes', description: 'What changed', queryHint: 'a word',
    complete: (query) => [{ query: query + '-a', label: 'thread ' + threadId }],
    resolve: async (query, call) => {
      if (query === 'fail') throw new Error('nothing for fail');
      if (query.startsWith('http')) return { title: 'Page', text: (await ctx.services.web.fetchPage(query, { signal: call.signal })).text };
      return { title: 'Changes (' + query + ')', text: (await ctx.services.workspace.gitDiff()) + ' seen in thread ' + threadId + ' aborted=' + call.signal.aborted };
    },
    describeResolve: (query) => query.startsWith('http') ? { method: 'get', url: query } : undefined,
  });
};`;

describe('a context provider of an isolated (global) plugin', () => {
  let dir: string;
  let runtime: PluginRuntime;
  let context: ContextProviders;
  const asked: ContextApprovalQuestion[] = [];
  let diffCalls = 0;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-context-isolated-'));
    await writeFile(path.join(dir, 'changes.js'), plugin);
    const registry = new ContributionRegistry();
    runtime = new PluginRuntime({
      registry,
      loggerFor: () => silentLogger,
      activationTimeoutMs: 5_000,
      services: (pluginId) => ({
        workspace: { ...unavailableServices.workspace, gitDiff: async () => ((diffCalls += 1), `diff for ${pluginId}`), proposeEdit: async () => assert.fail('not proposed here') },
        web: { fetchPage: async (url) => ({ url, status: 200, statusText: 'OK', contentType: 'text/plain', text: `page of ${url} for ${pluginId}`, truncated: false }) },
      }),
      loadModule: isolatedModuleLoader({ workerPath, onFailure: (id, error) => void runtime.fail(id, error) }),
    });
    const { candidates } = await discoverPlugins([{ dir, source: 'global' }]);
    await runtime.sync(selectPlugins(candidates, { workspaceTrusted: true, loadOnly: undefined, enabled: undefined, disabled: [] }), { settingsFor: () => undefined });
    assert.equal(runtime.plugins()[0]?.status, 'loaded', runtime.plugins()[0]?.detail);
    context = new ContextProviders({
      registry,
      callRules: { loggerFor: () => silentLogger, signalOf: (id) => runtime.signalOf(id), timeoutMs: 5_000 },
      approval: () => ({ rules: defaultApprovalRules }),
      alwaysAllowed: () => new Set(),
      rememberAlwaysAllowed: () => undefined,
      loadedPlugin: () => ({ source: 'global', location: dir }),
      askApproval: async (question) => (asked.push(question), 'once'),
    });
  });

  after(async () => {
    await runtime.unloadAll();
    await rm(dir, { recursive: true, force: true });
  });

  it('is listed with its data', () => {
    assert.deepEqual(context.list(), [{ name: 'changes', description: 'What changed', plugin: 'changes', queryHint: 'a word' }]);
  });

  it('suggests from the worker', async () => {
    const [suggestion] = await context.suggest('changes', 'x');
    assert.equal(suggestion?.query, 'x-a');
    assert.notEqual(suggestion?.label, `thread ${threadId}`);
    assert.match(suggestion?.label ?? '', /^thread \d+$/);
  });

  it('resolves in the worker, asking the host for the git diff', async () => {
    const attachment = await context.resolve('changes', 'now');
    assert.equal(attachment.label, 'Changes (now)');
    assert.match(attachment.text, /^diff for changes seen in thread (\d+) aborted=false$/);
    assert.notEqual(attachment.text.match(/thread (\d+)/)?.[1], String(threadId));
    assert.equal(diffCalls, 1);
  });

  it("describes its fetch from the worker, so the host's approval asks first", async () => {
    const page = await context.resolve('changes', 'https://example.test/page');
    assert.equal(page.text, 'page of https://example.test/page for changes', 'the host fetched it for the worker');
    assert.deepEqual(asked, [{ mention: '@changes', plugin: 'changes', method: 'GET', url: 'https://example.test/page', canAlwaysAllow: true }]);
  });

  it("a throw in the worker comes back as the mention's clear error, and the plugin stays loaded", async () => {
    await assert.rejects(context.resolve('changes', 'fail'), /@changes fail was not added: nothing for fail/);
    assert.equal(runtime.plugins()[0]?.status, 'loaded');
  });
});
