import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ContributionRegistry } from '../../../src/core/plugins/contributionRegistry';
import { discoverPlugins, type PluginCandidate, type PluginRoot } from '../../../src/core/plugins/discovery';
import { PluginRuntime, type PluginRecord } from '../../../src/core/plugins/pluginRuntime';
import { selectPlugins, type SelectionRules } from '../../../src/core/plugins/pluginSelection';
import { silentLogger } from '../../../src/core/ports';

/**
 * Each test plugin counts its activations and deactivations in a global, so reloads are
 * observed from outside the plugin.
 */
const counting = (id: string, extra = '') => `
const counts = (globalThis.patchbayCounts ??= {});
exports.activate = (ctx) => {
  counts['${id}'] = counts['${id}'] ?? { activate: 0, deactivate: 0, config: null };
  counts['${id}'].activate++;
  counts['${id}'].config = ctx.config;
  ctx.registerCommand({ id: 'hello', title: 'Hello from ${id}', run: async () => ({ notify: 'hi' }) });
  ${extra}
};
exports.deactivate = () => { counts['${id}'].deactivate++; };`;

type Counts = Record<string, { activate: number; deactivate: number; config: Record<string, unknown> | null }>;
const counts = (): Counts => ((globalThis as { patchbayCounts?: Counts }).patchbayCounts ??= {});

describe('plugin life cycle: reload, unload, consent, settings', () => {
  let root: string;
  let globalDir: string;
  let workspaceDir: string;
  let registry: ContributionRegistry;
  let rules: SelectionRules;
  let settings: Record<string, Record<string, unknown>>;
  let consentAnswers: Map<string, Promise<boolean>>;
  let consentAsked: string[];

  beforeEach(async () => {
    delete (globalThis as { patchbayCounts?: Counts }).patchbayCounts;
    root = await mkdtemp(path.join(os.tmpdir(), 'patchbay-lifecycle-'));
    globalDir = path.join(root, 'global');
    workspaceDir = path.join(root, 'workspace');
    await mkdir(globalDir);
    await mkdir(workspaceDir);
    registry = new ContributionRegistry();
    rules = { workspaceTrusted: true, loadOnly: undefined, enabled: undefined, disabled: [] };
    settings = {};
    consentAnswers = new Map();
    consentAsked = [];
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  function makeRuntime(): PluginRuntime {
    return new PluginRuntime({
      registry,
      loggerFor: () => silentLogger,
      activationTimeoutMs: 1000,
      consent: (candidate: PluginCandidate) => {
        consentAsked.push(candidate.id);
        return consentAnswers.get(candidate.id) ?? Promise.resolve(true);
      },
      secret: async (owner, key) => (owner.id === 'secretive' && key === 'token' ? 'from-secret-storage' : undefined),
    });
  }

  async function sync(runtime: PluginRuntime, options: { changedLocations?: Set<string>; reloadAll?: boolean } = {}): Promise<Record<string, PluginRecord>> {
    const roots: PluginRoot[] = [{ dir: globalDir, source: 'global' }, { dir: workspaceDir, source: 'workspace' }];
    const { candidates } = await discoverPlugins(roots);
    await runtime.sync(selectPlugins(candidates, rules), { settingsFor: (id) => settings[id], ...options });
    return Object.fromEntries(runtime.plugins().map((record) => [`${record.candidate.source}:${record.candidate.id}`, record]));
  }

  it('reloads only the plugin whose file changed, and sees its new code', async () => {
    await writeFile(path.join(globalDir, 'a.js'), counting('a'));
    await writeFile(path.join(globalDir, 'b.js'), counting('b'));
    const runtime = makeRuntime();
    await sync(runtime);
    assert.deepEqual([counts()['a']?.activate, counts()['b']?.activate], [1, 1]);

    await writeFile(path.join(globalDir, 'a.js'), counting('a', `ctx.registerCommand({ id: 'added', title: 'Added', run: async () => {} });`));
    await sync(runtime, { changedLocations: new Set([path.join(globalDir, 'a.js')]) });
    assert.deepEqual([counts()['a']?.activate, counts()['a']?.deactivate, counts()['b']?.activate, counts()['b']?.deactivate], [2, 1, 1, 0]);
    assert.deepEqual(registry.all('command').map((c) => `${c.owner}/${c.definition.id}`).sort(), ['a/added', 'a/hello', 'b/hello']);
  });

  it('reloads a folder plugin when a file inside it changes', async () => {
    const folder = path.join(globalDir, 'folder-plugin');
    await mkdir(path.join(folder, 'lib'), { recursive: true });
    await writeFile(path.join(folder, 'package.json'), JSON.stringify({ name: 'folder-plugin', main: 'lib/index.js', patchbay: {} }));
    await writeFile(path.join(folder, 'lib', 'index.js'), counting('folder-plugin'));
    const runtime = makeRuntime();
    await sync(runtime);
    await sync(runtime, { changedLocations: new Set([path.join(folder, 'lib', 'index.js')]) });
    assert.equal(counts()['folder-plugin']?.activate, 2);
    await sync(runtime, { changedLocations: new Set([path.join(root, 'unrelated.txt')]) });
    assert.equal(counts()['folder-plugin']?.activate, 2);
  });

  it('loads a plugin added to the folder and unloads one removed from it', async () => {
    await writeFile(path.join(globalDir, 'a.js'), counting('a'));
    const runtime = makeRuntime();
    await sync(runtime);
    await writeFile(path.join(globalDir, 'b.js'), counting('b'));
    await unlink(path.join(globalDir, 'a.js'));
    const records = await sync(runtime);
    assert.deepEqual(Object.keys(records), ['global:b']);
    assert.equal(counts()['a']?.deactivate, 1);
    assert.deepEqual(registry.all('command').map((c) => c.owner), ['b']);
  });

  it('unloads a plugin when it is disabled and loads it again when enabled', async () => {
    await writeFile(path.join(globalDir, 'a.js'), counting('a'));
    const runtime = makeRuntime();
    await sync(runtime);
    rules = { ...rules, disabled: ['a'] };
    const records = await sync(runtime);
    assert.equal(records['global:a']?.status, 'disabled');
    assert.equal(records['global:a']?.detail, 'disabled in config.yaml (plugins.disabled)');
    assert.equal(registry.all('command').length, 0);
    rules = { ...rules, disabled: [] };
    assert.equal((await sync(runtime))['global:a']?.status, 'loaded');
    assert.equal(counts()['a']?.activate, 2);
  });

  it('gives a plugin its settings and reloads it when they change', async () => {
    await mkdir(path.join(globalDir, 'weather'));
    await writeFile(path.join(globalDir, 'weather', 'package.json'), JSON.stringify({
      name: 'weather', main: 'index.js',
      patchbay: { configSchema: { type: 'object', properties: { units: { type: 'string', enum: ['metric', 'imperial'], default: 'metric' } } } },
    }));
    await writeFile(path.join(globalDir, 'weather', 'index.js'), counting('weather'));
    const runtime = makeRuntime();
    await sync(runtime);
    assert.deepEqual(counts()['weather']?.config, { units: 'metric' });
    settings['weather'] = { units: 'imperial' };
    await sync(runtime);
    assert.deepEqual(counts()['weather']?.config, { units: 'imperial' });
    assert.equal(counts()['weather']?.activate, 2);
    settings['weather'] = { units: 'kelvin' };
    const records = await sync(runtime);
    assert.equal(records['global:weather']?.status, 'failed');
    assert.match(records['global:weather']?.detail ?? '', /invalid settings: "units" must be equal to one of the allowed values \(enum\)/);
  });

  it('reads a single-file plugin\'s exported schema, with secrets from secret storage', async () => {
    await writeFile(path.join(globalDir, 'secretive.js'), `${counting('secretive')}
      exports.configSchema = { type: 'object', properties: { token: { type: 'string', secret: true }, limit: { type: 'integer', default: 3 } } };`);
    const runtime = makeRuntime();
    await sync(runtime);
    assert.deepEqual(counts()['secretive']?.config, { limit: 3, token: 'from-secret-storage' });
  });

  it('asks before running a workspace plugin, without holding up the others', async () => {
    let allow!: (value: boolean) => void;
    consentAnswers.set('ws', new Promise((resolve) => (allow = resolve)));
    await writeFile(path.join(workspaceDir, 'ws.js'), counting('ws'));
    await writeFile(path.join(globalDir, 'g.js'), counting('g'));
    const runtime = makeRuntime();
    const records = await sync(runtime);
    assert.deepEqual(consentAsked, ['ws']);
    assert.equal(records['workspace:ws']?.status, 'waiting-for-consent');
    assert.equal(records['global:g']?.status, 'loaded');
    assert.equal(counts()['ws'], undefined, 'no workspace code ran before consent');
    allow(true);
    await waitFor(() => runtime.plugins().find((p) => p.candidate.id === 'ws')?.status === 'loaded');
    assert.equal(counts()['ws']?.activate, 1);
  });

  it('runs nothing from a workspace plugin the user declines', async () => {
    consentAnswers.set('ws', Promise.resolve(false));
    await writeFile(path.join(workspaceDir, 'ws.js'), counting('ws'));
    const runtime = makeRuntime();
    await sync(runtime);
    await waitFor(() => runtime.plugins()[0]?.status === 'consent-denied');
    assert.equal(counts()['ws'], undefined);
    assert.match(runtime.plugins()[0]?.detail ?? '', /Enable Plugin/);
  });

  it('never asks about, or runs, plugins of an untrusted workspace', async () => {
    rules = { ...rules, workspaceTrusted: false };
    await writeFile(path.join(workspaceDir, 'ws.js'), counting('ws'));
    const records = await sync(makeRuntime());
    assert.equal(records['workspace:ws']?.status, 'skipped-untrusted');
    assert.deepEqual(consentAsked, []);
    assert.equal(counts()['ws'], undefined);
  });

  it('marks a plugin failed when its code fails in use, and unloads what it registered', async () => {
    await writeFile(path.join(globalDir, 'a.js'), counting('a'));
    const runtime = makeRuntime();
    await sync(runtime);
    const signal = runtime.signalOf('a');
    await runtime.fail('a', new TypeError('x is not a function'));
    const record = runtime.plugins()[0];
    assert.equal(record?.status, 'failed');
    assert.equal(record?.detail, 'x is not a function');
    assert.equal(signal?.aborted, true, 'calls in flight are cancelled');
    assert.equal(registry.all('command').length, 0);
    // A failed plugin stays failed until its files change or all plugins are reloaded.
    await sync(runtime);
    assert.equal(runtime.plugins()[0]?.status, 'failed');
    await sync(runtime, { reloadAll: true });
    assert.equal(runtime.plugins()[0]?.status, 'loaded');
  });

  it('reports an OpenAPI plugin folder it has no loader for as failed, with the reason', async () => {
    await mkdir(path.join(globalDir, 'petstore'));
    await writeFile(path.join(globalDir, 'petstore', 'ai-plugin.json'), JSON.stringify({ name_for_human: 'Pet Store' }));
    const records = await sync(makeRuntime());
    assert.equal(records['global:petstore']?.candidate.kind, 'openapi');
    assert.equal(records['global:petstore']?.candidate.displayName, 'Pet Store');
    assert.equal(records['global:petstore']?.status, 'failed');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
