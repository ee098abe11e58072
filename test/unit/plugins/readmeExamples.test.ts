/**
 * The plugin examples in the README are code people copy: each one must load through the
 * real plugin runtime and register something.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ContributionRegistry } from '../../../src/core/plugins/contributionRegistry';
import { discoverPlugins } from '../../../src/core/plugins/discovery';
import { PluginRuntime } from '../../../src/core/plugins/pluginRuntime';
import { selectPlugins } from '../../../src/core/plugins/pluginSelection';
import { silentLogger } from '../../../src/core/ports';

describe('README plugin examples', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-readme-'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('each loads and registers what it shows', async () => {
    const readme = await readFile(path.resolve(__dirname, '../../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Plugins'), readme.indexOf('## Development'));
    const examples = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
    assert.ok(examples.length >= 5, `found ${examples.length} examples`);
    for (const [index, code] of examples.entries()) await writeFile(path.join(dir, `example-${index}.js`), code);
    const registry = new ContributionRegistry();
    const runtime = new PluginRuntime({ registry, loggerFor: () => silentLogger });
    const { candidates } = await discoverPlugins([{ dir, source: 'global' }]);
    await runtime.sync(selectPlugins(candidates, { workspaceTrusted: true, loadOnly: undefined, enabled: undefined, disabled: [] }), { settingsFor: () => undefined });
    for (const record of runtime.plugins()) {
      assert.equal(record.status, 'loaded', `${record.candidate.id}: ${record.detail}`);
      assert.ok(record.contributions.length > 0, `${record.candidate.id} registered nothing`);
    }
    const tool = registry.tools().find((item) => item.definition.name === 'word_count');
    assert.deepEqual(await tool?.definition.invoke({ text: 'one two  three' }, { signal: new AbortController().signal, log: silentLogger }), { words: 3 });
  });
});
