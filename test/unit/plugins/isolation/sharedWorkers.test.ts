import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import type { PluginLogger } from '../../../../src/core/api';
import { ContributionRegistry } from '../../../../src/core/plugins/contributionRegistry';
import { discoverPlugins } from '../../../../src/core/plugins/discovery';
import { isolatedModuleLoader, workerGroups } from '../../../../src/core/plugins/isolation/isolatedModule';
import { PluginCaller } from '../../../../src/core/plugins/pluginCalls';
import { PluginRuntime } from '../../../../src/core/plugins/pluginRuntime';
import { selectPlugins } from '../../../../src/core/plugins/pluginSelection';
import { silentLogger } from '../../../../src/core/ports';
import { eventually, workerPath } from './isolationHarness';

const UNRESPONSIVE_MS = 4_000;

/** A plugin whose command says which thread it runs in, after running `body`. */
const reporter = (body = '') =>
  `const { threadId } = require('node:worker_threads');
exports.activate = (ctx) => ctx.registerCommand({ id: 'run', title: 'Run', run: async () => { ${body} return { notify: String(threadId) }; } });`;

describe('isolated plugins share a worker per source, and a plugin that blocks it is stopped alone', function () {
  this.timeout(30_000);
  let dir: string;
  let runtime: PluginRuntime;
  let registry: ContributionRegistry;

  async function load(global: Record<string, string>, workspace: Record<string, string> = {}): Promise<void> {
    dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-shared-'));
    const globalDir = path.join(dir, 'global');
    const workspaceDir = path.join(dir, 'repo', '.patchbay', 'plugins');
    await mkdir(globalDir, { recursive: true });
    await mkdir(workspaceDir, { recursive: true });
    for (const [name, text] of Object.entries(global)) await writeFile(path.join(globalDir, name), text);
    for (const [name, text] of Object.entries(workspace)) await writeFile(path.join(workspaceDir, name), text);
    registry = new ContributionRegistry();
    const workers = workerGroups({ workerPath, stallMs: 300, unresponsiveMs: UNRESPONSIVE_MS });
    runtime = new PluginRuntime({
      registry,
      loggerFor: (): PluginLogger => silentLogger,
      activationTimeoutMs: 5_000,
      loadModule: isolatedModuleLoader({ workers, deactivateWithinMs: 200, onFailure: (id, error) => void runtime.fail(id, error) }),
    });
    const { candidates } = await discoverPlugins([
      { dir: globalDir, source: 'global' },
      { dir: workspaceDir, source: 'workspace' },
    ]);
    await runtime.sync(selectPlugins(candidates, { workspaceTrusted: true, loadOnly: undefined, enabled: undefined, disabled: [] }), { settingsFor: () => undefined });
  }

  afterEach(async () => {
    await runtime.unloadAll();
    await rm(dir, { recursive: true, force: true });
  });

  function run(pluginId: string): Promise<string> {
    const command = registry.all('command').find((item) => item.owner === pluginId);
    if (!command) return Promise.reject(new Error(`${pluginId} has no command (yet)`));
    const caller = new PluginCaller({ loggerFor: () => silentLogger, signalOf: (id) => runtime.signalOf(id), fail: (id, error) => void runtime.fail(id, error), timeoutMs: 20_000 });
    return caller.call(pluginId, 'the command', (context) => command.definition.run(context)).then((result) => (result as { notify: string }).notify);
  }

  /** The plugin's answer, waiting while it restarts in another worker. */
  async function answerOf(pluginId: string): Promise<string> {
    const until = Date.now() + 5_000;
    for (;;) {
      try {
        return await run(pluginId);
      } catch (error) {
        if (Date.now() > until) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  const status = (id: string) => runtime.plugins().find((record) => record.candidate.id === id);

  it("the user's plugins share one worker; a workspace folder's plugins share another, never the user's", async () => {
    await load({ 'one.js': reporter(), 'two.js': reporter() }, { 'repo-one.js': reporter(), 'repo-two.js': reporter() });
    const [one, two, repoOne, repoTwo] = await Promise.all(['one', 'two', 'repo-one', 'repo-two'].map((id) => run(id)));
    assert.equal(one, two, 'two global plugins share a worker');
    assert.equal(repoOne, repoTwo, "one workspace folder's plugins share a worker");
    assert.notEqual(one, repoOne, "a workspace's plugins never share the user's worker");
    assert.ok(![one, repoOne].includes(String(threadId)), "none runs in the host's thread");
  });

  it('while one plugin spins, its neighbour moves to another worker and answers; the spinner is stopped and failed alone', async () => {
    await load({ 'calm.js': reporter(), 'spinner.js': reporter('const until = Date.now() + 60000; while (Date.now() < until) {}') });
    const before = await run('calm');
    const spinning = run('spinner');
    const started = Date.now();
    const after = await answerOf('calm');
    assert.ok(Date.now() - started < 3_000, `the neighbour answered after ${Date.now() - started} ms`);
    assert.notEqual(after, before, 'the neighbour answers from another worker');
    await assert.rejects(spinning, new RegExp(`did not answer for ${UNRESPONSIVE_MS / 1000} s; stopped`));
    await eventually(() => status('spinner')?.status === 'failed', 'the spinner to be failed', 3_000);
    assert.equal(status('calm')?.status, 'loaded');
    assert.equal(await run('calm'), after);
  });

  it("a loop after an await is blamed on its own plugin, not on the plugin whose call came in meanwhile", async () => {
    await load({ 'calm.js': reporter(), 'late.js': reporter('await new Promise((resolve) => setTimeout(resolve, 300)); for (;;) {}') });
    const spinning = run('late');
    // The neighbour's code runs last before the loop starts: it must not be taken for the culprit.
    await run('calm');
    await assert.rejects(spinning, /did not answer for 4 s; stopped/);
    await eventually(() => status('late')?.status === 'failed', 'the late spinner to be failed', 3_000);
    assert.equal(status('calm')?.status, 'loaded');
    await answerOf('calm');
  });
});
