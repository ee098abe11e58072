/**
 * Context providers end to end in a real VS Code: a global plugin (in its worker) registers
 * `@release`; typing `@` in the chat lists it beside the bundled `@git` and `@url`; choosing it
 * adds a chip, and the question the fake model receives carries the chip's text.
 */
import assert from 'node:assert/strict';
import { FakeModelServer } from '../support/fakeModelServer';
import { ask, chooseModel } from './support/chatPanel';
import { createWorkspace, fakeServerConfig, tearDown } from './support/fixtureWorkspace';
import { openVsCode, screenshotFailure, type VsCodeSession } from './support/vsCodeSession';
import type { Workbench } from './support/workbench';

const RELEASE_PLUGIN = `
exports.activate = (ctx) => {
  ctx.registerContextProvider({
    name: 'release',
    description: 'The notes of the coming release',
    resolve: async () => ({ title: 'Release notes 2.4', text: 'Release 2.4 renames the flag --fast to --quick.' }),
  });
};`;

describe('context providers in a real VS Code', function () {
  let fake: FakeModelServer;
  let workspace: string;
  let session: VsCodeSession;
  let workbench: Workbench;

  before(async function () {
    fake = await FakeModelServer.start();
    workspace = createWorkspace('patchbay-context-workspace-', { '.patchbay/config.yaml': fakeServerConfig(fake) });
    session = await openVsCode(workspace, { globalPlugins: { 'release-notes.js': RELEASE_PLUGIN } });
    workbench = session.workbench;
  });

  after(async () => {
    await tearDown(workspace, session, fake);
  });

  afterEach(async function () {
    await screenshotFailure(workbench, 'context-providers-', this.currentTest);
  });

  it("typing @ lists the global plugin's provider; choosing it adds a chip whose text the model receives", async () => {
    await workbench.runCommand('Patchbay: Open Chat');
    const chat = await workbench.chat();
    await chooseModel(chat, 'fake-model');
    const input = chat.getByRole('textbox', { name: 'Message' });
    await input.click();
    await input.pressSequentially('What changes in @');
    const option = chat.locator('.file-option', { hasText: '@release — The notes of the coming release' });
    await option.waitFor({ timeout: 15_000 });
    for (const bundled of ['@git', '@url']) assert.equal(await chat.locator('.file-option', { hasText: bundled }).count(), 1, `${bundled} is listed too`);
    await workbench.screenshot('60-context-provider-mention');
    await option.click();
    await chat.getByRole('button', { name: 'Remove Release notes 2.4', exact: true }).waitFor({ timeout: 15_000 });
    assert.equal((await input.inputValue()).trim(), 'What changes in', 'the mention leaves the text once its chip is there');
    await workbench.screenshot('61-context-provider-chip');

    await input.fill('');
    await ask(chat, 'What changes in the release?');
    const request = fake.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)?.json as { messages: { role: string; content: string }[] };
    const question = request.messages.at(-1);
    assert.equal(question?.role, 'user');
    assert.match(question?.content ?? '', /Release notes 2\.4:\n```\nRelease 2\.4 renames the flag --fast to --quick\.\n```\n\nWhat changes in the release\?$/);
    assert.equal(await chat.getByRole('button', { name: 'Remove Release notes 2.4', exact: true }).count(), 0, 'sending takes the chip');
  });
});
