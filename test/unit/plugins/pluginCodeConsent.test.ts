/**
 * Consent to a workspace plugin covers all the code that can run as part of it: its
 * fingerprint changes with any file it can load (helpers next to a single file, node_modules,
 * dot-folders, symlinked files by their real content), and what resolves outside its folder
 * — a symlinked entry, a `..` require, a package from the workspace's own node_modules — is
 * refused with an error that says so.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { discoverPlugins } from '../../../src/core/plugins/discovery';
import { ContributionRegistry } from '../../../src/core/plugins/contributionRegistry';
import { fingerprintPlugin, realPluginLocation } from '../../../src/core/plugins/fingerprint';
import { PluginRuntime } from '../../../src/core/plugins/pluginRuntime';
import { selectPlugins } from '../../../src/core/plugins/pluginSelection';
import { silentLogger } from '../../../src/core/ports';

const openRules = { workspaceTrusted: true, loadOnly: undefined, enabled: undefined, disabled: [] };

describe('workspace plugin consent covers all code that runs', () => {
  let workspace: string;
  let plugins: string;

  beforeEach(async () => {
    workspace = await realpath(await mkdtemp(path.join(os.tmpdir(), 'patchbay-consent-')));
    plugins = path.join(workspace, '.patchbay', 'plugins');
    await mkdir(plugins, { recursive: true });
  });

  afterEach(async () => {
    await rm(workspace, { recursive: true, force: true });
  });

  async function write(relative: string, content: string): Promise<string> {
    const file = path.join(workspace, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    return file;
  }

  async function changes(location: string, edit: () => Promise<unknown>): Promise<boolean> {
    const before = await fingerprintPlugin(location);
    await edit();
    return (await fingerprintPlugin(location)) !== before;
  }

  const folderPlugin = async (name: string, main = 'index.js') => {
    await write(`.patchbay/plugins/${name}/package.json`, JSON.stringify({ name, main, patchbay: { id: name } }));
    return path.join(plugins, name);
  };

  it('a single-file plugin\'s fingerprint covers the files next to it that it can require', async () => {
    const entry = await write('.patchbay/plugins/x.js', 'const helper = require("./helper.js"); exports.activate = () => helper();');
    await write('.patchbay/plugins/helper.js', 'module.exports = () => 1;');
    assert.ok(await changes(entry, () => write('.patchbay/plugins/helper.js', 'module.exports = () => 2;')));
    assert.ok(await changes(entry, () => write('.patchbay/plugins/lib/more.js', 'module.exports = 3;')));
  });

  it('a folder plugin\'s fingerprint covers its node_modules and dot-folders', async () => {
    const folder = await folderPlugin('deps');
    await write('.patchbay/plugins/deps/index.js', 'exports.activate = () => require("left-pad");');
    await write('.patchbay/plugins/deps/node_modules/left-pad/index.js', 'module.exports = 1;');
    await write('.patchbay/plugins/deps/.hidden/code.js', 'module.exports = 1;');
    assert.ok(await changes(folder, () => write('.patchbay/plugins/deps/node_modules/left-pad/index.js', 'module.exports = 2;')));
    assert.ok(await changes(folder, () => write('.patchbay/plugins/deps/.hidden/code.js', 'module.exports = 2;')));
  });

  it('follows a symlink inside the plugin to its real content', async () => {
    const folder = await folderPlugin('linked');
    await write('.patchbay/plugins/linked/real/index.js', 'exports.activate = () => 1;');
    await symlink(path.join(plugins, 'linked', 'real', 'index.js'), path.join(plugins, 'linked', 'index.js'));
    assert.ok(await changes(folder, () => write('.patchbay/plugins/linked/real/index.js', 'exports.activate = () => 2;')));
  });

  it('refuses an entry file or folder that resolves outside the plugins folder, naming where it leads', async () => {
    const outside = await write('elsewhere/x.js', 'exports.activate = () => 1;');
    const linkedFile = path.join(plugins, 'x.js');
    await symlink(outside, linkedFile);
    await assert.rejects(fingerprintPlugin(linkedFile), (error: Error) => error.message.includes(outside) && /outside/.test(error.message));
    const folder = await folderPlugin('leaky');
    await write('elsewhere/index.js', 'exports.activate = () => 1;');
    await symlink(path.join(workspace, 'elsewhere', 'index.js'), path.join(folder, 'index.js'));
    await assert.rejects(fingerprintPlugin(folder), (error: Error) => error.message.includes(path.join(workspace, 'elsewhere', 'index.js')) && /outside/.test(error.message));
  });

  it('gives the real path of a plugin to show in the consent prompt', async () => {
    await write('.patchbay/plugins/real/x.js', 'exports.activate = () => 1;');
    await symlink(path.join(plugins, 'real', 'x.js'), path.join(plugins, 'x.js'));
    assert.equal(await realPluginLocation(path.join(plugins, 'x.js')), path.join(plugins, 'real', 'x.js'));
  });

  describe('loading', () => {
    async function load() {
      const registry = new ContributionRegistry();
      const runtime = new PluginRuntime({ registry, loggerFor: () => silentLogger, activationTimeoutMs: 2000, consent: async () => true });
      const discovered = await discoverPlugins([{ dir: plugins, source: 'workspace' }]);
      await runtime.sync(selectPlugins(discovered.candidates, openRules), { settingsFor: () => undefined });
      for (let i = 0; i < 100 && runtime.plugins().some((p) => p.status === 'loading' || p.status === 'waiting-for-consent'); i++) await new Promise((r) => setTimeout(r, 10));
      return Object.fromEntries(runtime.plugins().map((plugin) => [plugin.candidate.id, plugin]));
    }

    it('refuses a module a workspace plugin requires from outside its folder, by `..` or from the workspace\'s node_modules', async () => {
      await write('src/secret-helper.js', 'module.exports = () => "outside";');
      await write('node_modules/workspace-dep/index.js', 'module.exports = () => "workspace dependency";');
      await folderPlugin('climber');
      await write('.patchbay/plugins/climber/index.js', 'require("../../../src/secret-helper.js"); exports.activate = () => {};');
      await folderPlugin('bare');
      await write('.patchbay/plugins/bare/index.js', 'require("workspace-dep"); exports.activate = () => {};');
      await folderPlugin('fine');
      await write('.patchbay/plugins/fine/index.js', 'require("node:path"); require("./lib/util.js"); require("dep"); exports.activate = () => {};');
      await write('.patchbay/plugins/fine/lib/util.js', 'module.exports = 1;');
      await write('.patchbay/plugins/fine/node_modules/dep/index.js', 'module.exports = 1;');
      const status = await load();
      assert.equal(status['climber']?.status, 'failed');
      assert.match(status['climber']?.detail ?? '', /secret-helper\.js.*outside the plugin's folder/s);
      assert.equal(status['bare']?.status, 'failed');
      assert.match(status['bare']?.detail ?? '', /workspace-dep.*outside the plugin's folder/s);
      assert.equal(status['fine']?.status, 'loaded', status['fine']?.detail);
    });

    it("refuses a module a workspace ES module plugin imports from outside its folder, and loads what it imports inside", async () => {
      await write('src/secret.mjs', 'export const secret = "outside";');
      await folderPlugin('climber-esm', 'index.mjs');
      await write('.patchbay/plugins/climber-esm/index.mjs', 'import { secret } from "../../../src/secret.mjs"; export const activate = () => secret;');
      await folderPlugin('fine-esm', 'index.mjs');
      await write('.patchbay/plugins/fine-esm/index.mjs', 'import path from "node:path"; import { one } from "./lib/util.mjs"; export const activate = () => path.join(String(one));');
      await write('.patchbay/plugins/fine-esm/lib/util.mjs', 'export const one = 1;');
      const status = await load();
      assert.equal(status['climber-esm']?.status, 'failed');
      assert.match(status['climber-esm']?.detail ?? '', /"\.\.\/\.\.\/\.\.\/src\/secret\.mjs", imported by .*index\.mjs, resolves to .*src\/secret\.mjs, outside the plugin's folder/s);
      assert.equal(status['fine-esm']?.status, 'loaded', status['fine-esm']?.detail);
    });
  });
});
