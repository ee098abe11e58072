/**
 * A workspace's `plugins.config` may set up its own plugins, but not move the user's: for a
 * bundled or global plugin its values count only once the user accepts them for that
 * workspace, in a prompt showing the plugin and every value that would change. Runs the real
 * config merge and plugin loading through ChatServices; the plugins write the settings they
 * received next to themselves.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChatServices } from '../../../src/core/chatServices';
import type { PatchbayConfig } from '../../../src/core/config/configTypes';
import { mergePluginSections } from '../../../src/core/config/mergeConfig';
import type { PluginSettingsConsentPort, PluginSettingsOverride } from '../../../src/core/plugins/workspacePluginSettings';
import { testBackend } from '../../support/testBackend';

/** A folder plugin with a `baseUrl` setting that records the settings it was loaded with. */
async function writeRelayPlugin(root: string, id: string): Promise<string> {
  const dir = path.join(root, id);
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({
      name: id,
      main: 'index.js',
      patchbay: { configSchema: { type: 'object', properties: { baseUrl: { type: 'string' }, retries: { type: 'number' } } } },
    }),
  );
  await writeFile(
    path.join(dir, 'index.js'),
    `const fs = require('node:fs'); const path = require('node:path');
exports.activate = (context) => { fs.writeFileSync(path.join(__dirname, 'seen.json'), JSON.stringify(context.config)); };`,
  );
  return dir;
}

async function seen(dir: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(dir, 'seen.json'), 'utf8')) as Record<string, unknown>;
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe("a workspace's plugins.config and the user's own plugins", function () {
  this.timeout(10_000);
  let tmp: string;
  let globalRoot: string;
  let workspaceRoot: string;
  let usersPlugin: string;
  let chat: ChatServices | undefined;
  let userConfig: PatchbayConfig | undefined;
  let workspaceConfig: PatchbayConfig | undefined;
  let prompts: PluginSettingsOverride[][];
  let answer: boolean | undefined;
  let remembered: Record<string, boolean>;

  beforeEach(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'patchbay-wsconfig-'));
    globalRoot = path.join(tmp, 'global');
    workspaceRoot = path.join(tmp, 'workspace');
    usersPlugin = await writeRelayPlugin(globalRoot, 'relay');
    userConfig = { plugins: { config: { relay: { baseUrl: 'http://127.0.0.1:1111/mine', retries: 2 } } } };
    workspaceConfig = { plugins: { config: { relay: { baseUrl: 'http://127.0.0.1:2222/theirs' } } } };
    prompts = [];
    answer = false;
    remembered = {};
  });

  afterEach(async () => {
    await chat?.dispose();
    chat = undefined;
    await rm(tmp, { recursive: true, force: true });
  });

  async function start(options: { askable: boolean }): Promise<ChatServices> {
    const port: PluginSettingsConsentPort = {
      remembered: () => remembered,
      remember: (decisions) => void (remembered = { ...decisions }),
      ask: async (items) => {
        prompts.push(structuredClone([...items]));
        return answer;
      },
    };
    // As the host does: least specific file first, the user's values kept apart from the workspace's.
    const merged = () => mergePluginSections([userConfig, workspaceConfig]);
    ({ backend: chat } = testBackend({
      pluginRoots: () => [{ dir: globalRoot, source: 'global' }, { dir: workspaceRoot, source: 'workspace' }],
      pluginSettings: (id) => merged().userSettings[id],
      workspacePluginSettings: (id) => merged().workspaceSettings[id],
      ...(options.askable ? { pluginSettingsConsent: port } : {}),
      consent: async () => true,
    }));
    await chat.start();
    return chat;
  }

  it('ignores the workspace\'s values for a global plugin when the user cannot be asked', async () => {
    await start({ askable: false });
    assert.deepEqual(await seen(usersPlugin), { baseUrl: 'http://127.0.0.1:1111/mine', retries: 2 });
  });

  it('asks, showing the plugin and each value that would change; declining keeps the user\'s values and is remembered', async () => {
    const backend = await start({ askable: true });
    await eventually(async () => prompts.length === 1, 'the prompt');
    assert.deepEqual(prompts[0], [
      {
        plugin: 'relay',
        source: 'global',
        location: usersPlugin,
        changes: [{ key: 'baseUrl', user: 'http://127.0.0.1:1111/mine', workspace: 'http://127.0.0.1:2222/theirs' }],
        workspaceValues: { baseUrl: 'http://127.0.0.1:2222/theirs' },
      },
    ]);
    await backend.plugins.sync();
    assert.deepEqual(await seen(usersPlugin), { baseUrl: 'http://127.0.0.1:1111/mine', retries: 2 });
    await backend.plugins.sync();
    assert.equal(prompts.length, 1, 'a declined change is not asked about again');
  });

  it('applies the workspace\'s values once accepted, and asks again when they change', async () => {
    answer = true;
    const backend = await start({ askable: true });
    await eventually(async () => (await seen(usersPlugin))['baseUrl'] === 'http://127.0.0.1:2222/theirs', 'the plugin to reload with the accepted values');
    assert.deepEqual(await seen(usersPlugin), { baseUrl: 'http://127.0.0.1:2222/theirs', retries: 2 });
    assert.equal(prompts.length, 1);

    workspaceConfig = { plugins: { config: { relay: { baseUrl: 'http://127.0.0.1:3333/elsewhere' } } } };
    answer = false;
    await backend.plugins.sync();
    await eventually(async () => prompts.length === 2, 'a second prompt for the changed values');
    assert.deepEqual(prompts[1]?.[0]?.changes, [{ key: 'baseUrl', user: 'http://127.0.0.1:1111/mine', workspace: 'http://127.0.0.1:3333/elsewhere' }]);
    await backend.plugins.sync();
    assert.deepEqual(await seen(usersPlugin), { baseUrl: 'http://127.0.0.1:1111/mine', retries: 2 }, 'the new values were declined');
  });

  it('gives the workspace\'s own plugins its values without asking', async () => {
    const workspacePlugin = await writeRelayPlugin(workspaceRoot, 'helper');
    workspaceConfig = { plugins: { config: { helper: { baseUrl: 'http://127.0.0.1:4444/helper' } } } };
    await start({ askable: true });
    // A workspace plugin loads once its code consent is in.
    await eventually(async () => (await seen(workspacePlugin))['baseUrl'] !== undefined, 'the workspace plugin to load');
    assert.deepEqual(await seen(workspacePlugin), { baseUrl: 'http://127.0.0.1:4444/helper' });
    assert.deepEqual(prompts, []);
  });

  it('lists a value the user never set as not set, and leaves values equal to the user\'s out', async () => {
    workspaceConfig = { plugins: { config: { relay: { baseUrl: 'http://127.0.0.1:1111/mine', retries: 9 } } } };
    userConfig = { plugins: { config: { relay: { baseUrl: 'http://127.0.0.1:1111/mine' } } } };
    await start({ askable: true });
    await eventually(async () => prompts.length === 1, 'the prompt');
    assert.deepEqual(prompts[0]?.[0]?.changes, [{ key: 'retries', workspace: 9 }]);
  });
});
