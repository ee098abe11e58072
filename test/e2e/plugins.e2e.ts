/**
 * The plugin platform, end to end in a real VS Code: plugins dropped into a running
 * workspace load without a reload after the user allows them; a filter changes answers; a
 * broken config shows in the Problems panel while the chat keeps working; an untrusted
 * workspace runs none of its plugins.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Frame } from 'playwright-core';
import { FakeModelServer } from '../support/fakeModelServer';
import { ask, chooseModel, modelGroups } from './support/chatPanel';
import { openVsCode, screenshotFailure, type VsCodeSession } from './support/vsCodeSession';
import { launchBrowser, type Workbench } from './support/workbench';

const ECHO_PLUGIN = `
exports.activate = (context) => {
  context.registerProvider({
    id: 'echo-e2e',
    label: 'Echo plugin',
    listModels: async () => [{ id: 'parrot' }],
    async *chat(request) {
      yield { type: 'text', text: 'Echo: ' };
      yield { type: 'text', text: request.messages.at(-1).content };
    },
  });
};`;

const SHOUT_FILTER = `
exports.activate = (context) => {
  context.registerFilter({ id: 'shout', stream: (event) => ({ ...event, text: event.text.toUpperCase() }) });
};`;

describe('Patchbay plugins in a real VS Code', function () {
  let fake: FakeModelServer;
  let workspace: string;
  let pluginsDir: string;
  let configFile: string;
  let configText: string;
  let browser: Browser;
  const started: VsCodeSession[] = [];

  before(async function () {
    fake = await FakeModelServer.start();
    workspace = mkdtempSync(path.join(os.tmpdir(), 'patchbay-plugins-workspace-'));
    pluginsDir = path.join(workspace, '.patchbay', 'plugins');
    mkdirSync(pluginsDir, { recursive: true });
    configFile = path.join(workspace, '.patchbay', 'config.yaml');
    configText = `providers:\n  - id: fake\n    label: Fake server\n    type: openai-compatible\n    baseUrl: ${fake.openAiBaseUrl}\n`;
    writeFileSync(configFile, configText);
    browser = await launchBrowser();
  });

  after(async () => {
    for (const session of started) await session.close();
    await browser?.close().catch(() => undefined);
    await fake?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  afterEach(async function () {
    await screenshotFailure(started.at(-1)?.workbench, 'plugins-', this.currentTest);
  });

  async function openTrusted(trusted: boolean): Promise<Workbench> {
    const session = await openVsCode(workspace, { trusted }, browser);
    started.push(session);
    return session.workbench;
  }

  async function openChat(workbench: Workbench): Promise<Frame> {
    await workbench.runCommand('Patchbay: Open Chat');
    return workbench.chat();
  }

  describe('in a trusted workspace', () => {
    let workbench: Workbench;

    before(async () => {
      workbench = await openTrusted(true);
    });

    it('loads a provider plugin dropped into .patchbay/plugins once allowed, and its model answers', async () => {
      const chat = await openChat(workbench);
      await chooseModel(chat, 'fake-model');
      writeFileSync(path.join(pluginsDir, 'echo-e2e.js'), ECHO_PLUGIN);
      const dialogText = 'Run code from the workspace plugin "echo-e2e"?';
      await workbench.page.locator('.monaco-dialog-box', { hasText: dialogText }).waitFor({ timeout: 30_000 });
      const details = await workbench.page.locator('.monaco-dialog-box').innerText();
      assert.match(details, /echo-e2e\.js/);
      assert.match(details, /SHA-256 [0-9a-f]{64}/);
      await workbench.screenshot('10-plugin-consent');
      await workbench.answerDialog(dialogText, 'Allow');
      await chooseModel(chat, 'parrot');
      assert.ok((await modelGroups(chat)).some((group) => group.label === 'Echo plugin'));
      assert.equal((await ask(chat, 'hello plugin')).trim(), 'Echo: hello plugin');
      await workbench.screenshot('11-plugin-model-answers');
    });

    it('changes answers with a filter plugin, and stops when the filter file is removed', async () => {
      const chat = await workbench.chat();
      writeFileSync(path.join(pluginsDir, 'shout-filter.js'), SHOUT_FILTER);
      await workbench.answerDialog('Run code from the workspace plugin "shout-filter"?', 'Allow');
      // Loading follows the consent; give the plugin runtime a moment before asking.
      let answer = '';
      await waitUntil(async () => {
        await chooseModel(chat, 'parrot');
        answer = (await ask(chat, 'quiet words')).trim();
        return answer.includes('QUIET WORDS');
      });
      assert.equal(answer, 'ECHO: QUIET WORDS');
      await workbench.screenshot('12-filter-changes-answer');
      rmSync(path.join(pluginsDir, 'shout-filter.js'));
      await waitUntil(async () => (await ask(chat, 'calm again')).trim() === 'Echo: calm again');
    });

    it('lists the plugins with their source and status in the Plugins view', async () => {
      await workbench.runCommand('Patchbay: Focus on Plugins View');
      await waitUntil(async () => (await workbench.treeRows('Plugins')).some((row) => row.includes('echo-e2e')));
      const rows = await workbench.treeRows('Plugins');
      assert.ok(rows.some((row) => /echo-e2e.*workspace · loaded/.test(row)), rows.join('\n'));
      assert.ok(rows.some((row) => /OpenAI-compatible servers.*bundled · loaded/.test(row)), rows.join('\n'));
      await workbench.screenshot('13-plugins-view');
    });

    it('shows a broken config in the Problems panel while the chat keeps working', async () => {
      writeFileSync(configFile, `${configText}  - id: broken\n    type: openai-compatible\n`);
      try {
        await workbench.runCommand('Problems: Focus on Problems View');
        const problem = workbench.page.locator('.markers-panel', { hasText: 'providers[1]: missing "baseUrl"' });
        await problem.waitFor({ timeout: 30_000 });
        await workbench.screenshot('14-config-problem');
        const chat = await openChat(workbench);
        await chooseModel(chat, 'fake-model');
        assert.match(await ask(chat, 'still there?'), /You said: still there\?/);
      } finally {
        writeFileSync(configFile, configText);
      }
    });
  });

  describe('in an untrusted workspace', () => {
    it('runs none of the workspace\'s plugins and says they were skipped', async () => {
      writeFileSync(path.join(pluginsDir, 'echo-e2e.js'), ECHO_PLUGIN);
      const workbench = await openTrusted(false);
      await workbench.runCommand('Patchbay: Focus on Plugins View');
      await waitUntil(async () => (await workbench.treeRows('Plugins')).some((row) => row.includes('echo-e2e')));
      const rows = await workbench.treeRows('Plugins');
      assert.ok(rows.some((row) => /echo-e2e.*workspace · skipped/.test(row)), rows.join('\n'));
      const chat = await openChat(workbench);
      await chat.waitForFunction(() => document.querySelector('select[aria-label="Model"]') !== null);
      const groups = await modelGroups(chat);
      assert.ok(!groups.some((group) => group.label === 'Echo plugin' || group.label?.startsWith('Fake server')), JSON.stringify(groups));
      await workbench.screenshot('15-untrusted-skipped');
    });
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
