import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { discoverPlugins } from '../../../src/core/plugins/discovery';
import { ContributionRegistry } from '../../../src/core/plugins/contributionRegistry';
import { PluginRuntime } from '../../../src/core/plugins/pluginRuntime';
import { selectPlugins } from '../../../src/core/plugins/pluginSelection';
import { silentLogger, type Clock } from '../../../src/core/ports';
import { ManualClock } from '../../support/manualClock';

const openRules = { workspaceTrusted: true, loadOnly: undefined, enabled: undefined, disabled: [] };
const noSettings = { settingsFor: () => undefined };

const providerTypeSource = (type: string) => `
exports.activate = (ctx) => {
  ctx.registerProviderType({ type: '${type}', displayName: '${type}', create: () => ({ listModels: async () => [], async *chat() {} }) });
};`;

describe('plugin discovery and loading', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-plugins-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function write(relative: string, content: string): Promise<void> {
    await mkdir(path.dirname(path.join(dir, relative)), { recursive: true });
    await writeFile(path.join(dir, relative), content);
  }

  async function loadAll(activationTimeoutMs = 2000) {
    return startLoading(activationTimeoutMs).loaded;
  }

  /** Starts loading every plugin in the folder; `loaded` settles when all have loaded or failed. */
  function startLoading(activationTimeoutMs: number, clock?: Clock) {
    const registry = new ContributionRegistry();
    const runtime = new PluginRuntime({ registry, loggerFor: () => silentLogger, activationTimeoutMs, ...(clock ? { clock } : {}) });
    const loaded = (async () => {
      const discovered = await discoverPlugins([{ dir, source: 'global' }]);
      await runtime.sync(selectPlugins(discovered.candidates, openRules), noSettings);
      const status = Object.fromEntries(runtime.plugins().map((plugin) => [plugin.candidate.id, plugin]));
      return { registry, runtime, discovered, status };
    })();
    return { runtime, loaded };
  }

  it('finds single files (.js, .cjs, .mjs) and folders with a patchbay manifest, without running them', async () => {
    await write('alpha.js', 'throw new Error("must not run during discovery")');
    await write('beta.mjs', 'export function activate() {}');
    await write('gamma.cjs', 'exports.activate = () => {}');
    await write('delta/package.json', JSON.stringify({ name: 'delta', version: '1.2.0', main: 'lib/main.js', patchbay: { displayName: 'Delta' } }));
    await write('not-a-plugin/package.json', JSON.stringify({ name: 'x' }));
    await write('notes.txt', 'ignored');
    const { candidates, problems } = await discoverPlugins([{ dir, source: 'workspace' }]);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      candidates.map((c) => [c.id, c.displayName, c.source, path.relative(dir, c.entryPath), c.version]),
      [
        ['alpha', 'alpha', 'workspace', 'alpha.js', undefined],
        ['beta', 'beta', 'workspace', 'beta.mjs', undefined],
        ['delta', 'Delta', 'workspace', path.join('delta', 'lib', 'main.js'), '1.2.0'],
        ['gamma', 'gamma', 'workspace', 'gamma.cjs', undefined],
      ],
    );
  });

  it('reports a broken manifest and a main outside the folder as problems', async () => {
    await write('bad-json/package.json', '{ nope');
    await write('escape/package.json', JSON.stringify({ name: 'escape', main: '../../etc/passwd', patchbay: {} }));
    const { candidates, problems } = await discoverPlugins([{ dir, source: 'global' }]);
    assert.deepEqual(candidates, []);
    assert.equal(problems.length, 2);
    assert.match(problems.find((p) => p.location.endsWith('bad-json'))?.message ?? '', /not valid JSON/);
    assert.match(problems.find((p) => p.location.endsWith('escape'))?.message ?? '', /must point inside the plugin folder/);
  });

  it('treats a missing plugin folder as empty', async () => {
    assert.deepEqual(await discoverPlugins([{ dir: path.join(dir, 'nope'), source: 'global' }]), { candidates: [], problems: [] });
  });

  it('loads CommonJS, ES module and folder plugins through the same contract', async () => {
    await write('cjs-plugin.cjs', providerTypeSource('from-cjs'));
    await write('esm-plugin.mjs', `export function activate(ctx) { ctx.registerProviderType({ type: 'from-esm', displayName: 'e', create: () => ({}) }); }`);
    await write('folder-plugin/package.json', JSON.stringify({ name: 'folder-plugin', main: 'index.js', patchbay: {} }));
    await write('folder-plugin/index.js', `const helper = require('./node_modules/helper'); ${providerTypeSource('from-folder')}`);
    await write('folder-plugin/node_modules/helper/index.js', 'module.exports = 1;');
    const { registry, status } = await loadAll();
    assert.deepEqual(Object.values(status).map((p) => [p.candidate.id, p.status, p.detail]), [
      ['cjs-plugin', 'loaded', undefined],
      ['esm-plugin', 'loaded', undefined],
      ['folder-plugin', 'loaded', undefined],
    ]);
    assert.deepEqual(registry.providerTypes().map((t) => [t.definition.type, t.owner]).sort(), [
      ['from-cjs', 'cjs-plugin'],
      ['from-esm', 'esm-plugin'],
      ['from-folder', 'folder-plugin'],
    ]);
    assert.deepEqual(status['cjs-plugin']?.contributions, ['provider type from-cjs']);
  });

  it('marks broken plugins failed with their error while the others load', async () => {
    await write('good.js', providerTypeSource('good'));
    await write('throws-on-load.js', 'throw new Error("boom at load")');
    await write('wrong-shape.js', 'module.exports = { start() {} };');
    await write('syntax-error.js', 'exports.activate = ( => {');
    await write('never-finishes.js', 'exports.activate = () => new Promise(() => {});');
    await write('throws-in-activate.js', `
      exports.activate = (ctx) => {
        ctx.registerProviderType({ type: 'half', displayName: 'h', create: () => ({}) });
        throw new Error('activate exploded');
      };`);
    const clock = new ManualClock();
    const { runtime, loaded } = startLoading(300, clock);
    // The activation timeout passes once every other plugin has settled: only the one that never finishes runs out of time.
    const stillLoading = () => runtime.plugins().filter((plugin) => plugin.status === 'loading').map((plugin) => plugin.candidate.id);
    while (runtime.plugins().length === 0 || stillLoading().join() !== 'never-finishes') await new Promise((resolve) => setImmediate(resolve));
    clock.advance(300);
    const { registry, status } = await loaded;
    assert.equal(status['good']?.status, 'loaded');
    assert.equal(status['throws-on-load']?.status, 'failed');
    assert.match(status['throws-on-load']?.detail ?? '', /boom at load/);
    assert.match(status['wrong-shape']?.detail ?? '', /does not export an "activate\(context\)" function/);
    assert.equal(status['syntax-error']?.status, 'failed');
    assert.match(status['never-finishes']?.detail ?? '', /did not finish loading within/);
    assert.match(status['throws-in-activate']?.detail ?? '', /activate exploded/);
    // What a failed plugin registered before failing is taken back.
    assert.deepEqual(registry.providerTypes().map((t) => t.definition.type), ['good']);
  });

  it('refuses a second registration of the same provider type, naming the first plugin', async () => {
    await write('a-first.js', providerTypeSource('shared'));
    await write('b-second.js', providerTypeSource('shared'));
    const { registry, status } = await loadAll();
    assert.equal(status['a-first']?.status, 'loaded');
    assert.equal(status['b-second']?.status, 'failed');
    assert.match(status['b-second']?.detail ?? '', /provider type "shared" is already registered by plugin "a-first"/);
    assert.equal(registry.providerType('shared')?.owner, 'a-first');
  });

  it('validates what a plugin registers', async () => {
    await write('no-create.js', `exports.activate = (ctx) => ctx.registerProviderType({ type: 'x', displayName: 'x' });`);
    await write('bad-provider.js', `exports.activate = (ctx) => ctx.registerProvider({ id: 'p', label: 'P', listModels: async () => [] });`);
    const { status } = await loadAll();
    assert.match(status['no-create']?.detail ?? '', /provider type "x": "create" must be a function/);
    assert.match(status['bad-provider']?.detail ?? '', /provider "p": "chat" must be a function/);
  });

  it('rejects registrations from a plugin after it was unloaded', async () => {
    await write('late.js', `exports.activate = (ctx) => { globalThis.patchbayLateContext = ctx; };`);
    const { runtime } = await loadAll();
    await runtime.unloadAll();
    const saved = (globalThis as { patchbayLateContext?: { registerProviderType(d: unknown): void } }).patchbayLateContext;
    assert.ok(saved);
    assert.throws(() => saved.registerProviderType({ type: 'late', displayName: 'l', create: () => ({}) }), /no longer active/);
  });

  it('loads the bundled plugins (providers and context providers) from plugins/ like any other', async () => {
    const registry = new ContributionRegistry();
    const runtime = new PluginRuntime({ registry, loggerFor: () => silentLogger });
    const bundled = await discoverPlugins([{ dir: path.resolve(__dirname, '../../../plugins'), source: 'bundled' }]);
    await runtime.sync(selectPlugins(bundled.candidates, openRules), noSettings);
    assert.deepEqual(runtime.plugins().map((p) => [p.candidate.id, p.status, p.detail]).sort(), [
      ['git-context', 'loaded', undefined],
      ['ollama', 'loaded', undefined],
      ['openai-compatible', 'loaded', undefined],
      ['url-context', 'loaded', undefined],
      ['workspace-tools', 'loaded', undefined],
    ]);
    assert.deepEqual(registry.providerTypes().map((t) => t.definition.type).sort(), ['ollama', 'openai-compatible']);
    const ports = registry.providerTypes().flatMap((t) => (t.definition.localServers ?? []).map((s) => new URL(s.baseUrl).port)).sort();
    assert.deepEqual(ports, ['11434', '1234', '5000', '8000', '8080']);
  });
});
