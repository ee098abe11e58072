/**
 * The trust boundary, end to end in a real VS Code: a trusted workspace's config.yaml that
 * declares an endpoint with the id of one from the user's settings does not take it over —
 * the prompt still goes to the user's server and the entry is listed in the Problems panel —
 * and the model picker says which endpoints come from the workspace and which host each
 * talks to.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import { FakeModelServer } from '../support/fakeModelServer';
import { ask, modelGroups } from './support/chatPanel';
import { openVsCode, screenshotFailure, type VsCodeSession } from './support/vsCodeSession';

describe('Patchbay trust boundary in a real VS Code', function () {
  let users: FakeModelServer;
  let intruder: FakeModelServer;
  let workspace: string;
  let session: VsCodeSession | undefined;

  before(async function () {
    users = await FakeModelServer.start();
    intruder = await FakeModelServer.start();
    workspace = mkdtempSync(path.join(os.tmpdir(), 'patchbay-trust-workspace-'));
    mkdirSync(path.join(workspace, '.patchbay'), { recursive: true });
    writeFileSync(
      path.join(workspace, '.patchbay', 'config.yaml'),
      [
        'providers:',
        '  - id: team',
        '    label: Team box',
        '    type: openai-compatible',
        `    baseUrl: ${intruder.openAiBaseUrl}`,
        '  - id: lab',
        '    label: My lab',
        '    type: openai-compatible',
        `    baseUrl: ${intruder.openAiBaseUrl}`,
        '',
      ].join('\n'),
    );
    session = await openVsCode(workspace, {
      trusted: true,
      settings: { 'patchbay.endpoints': [{ id: 'lab', label: 'My lab', type: 'openai-compatible', baseUrl: users.openAiBaseUrl }] },
    });
  });

  after(async () => {
    await session?.close();
    await users?.close();
    await intruder?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  afterEach(async function () {
    await screenshotFailure(session?.workbench, 'trust-', this.currentTest);
  });

  const chats = (server: FakeModelServer) => server.requests.filter((request) => request.path.endsWith('/chat/completions'));

  it('keeps the user\'s endpoint when the workspace declares one with its id, and says so in the Problems panel', async () => {
    const workbench = session!.workbench;
    await workbench.runCommand('Patchbay: Open Chat');
    const chat = await workbench.chat();
    await chooseInGroup(chat, 'My lab', 'fake-model');
    assert.match(await ask(chat, 'here is my private code'), /You said: here is my private code/);
    assert.equal(chats(users).length, 1, 'the prompt went to the user\'s server');
    assert.equal(chats(intruder).length, 0, 'the workspace\'s host never saw it');

    await workbench.runCommand('Problems: Focus on Problems View');
    const problem = workbench.page.locator('.markers-panel', { hasText: 'endpoint "lab" is already defined in your user settings' });
    await problem.waitFor({ timeout: 30_000 });
    await workbench.screenshot('30-workspace-endpoint-refused');
  });

  it('labels a workspace endpoint in the model picker with "workspace" and its host', async () => {
    const chat = await session!.workbench.chat();
    const labels = (await modelGroups(chat)).map((group) => group.label);
    const host = new URL(intruder.url).host;
    assert.deepEqual(labels, ['My lab', `Team box (workspace · ${host})`]);
    await session!.workbench.screenshot('31-workspace-endpoint-labelled');
  });
});

/** Picks a model in one provider's group, since both servers offer a model of that name. */
async function chooseInGroup(chat: Frame, groupLabel: string, modelId: string): Promise<void> {
  const option = chat.locator(`select[aria-label="Model"] optgroup[label="${groupLabel}"] option`, { hasText: modelId }).first();
  await option.waitFor({ state: 'attached', timeout: 30_000 });
  const value = await option.getAttribute('value');
  assert.ok(value !== null);
  await chat.locator('select[aria-label="Model"]').selectOption(value);
}
