/**
 * Actions that act and plugins' status lines, end to end in a real VS Code, with global
 * plugins (each running in a worker thread): an action's button replaces the text of the answer
 * it ran on, and a slow filter's status line shows under the answer while it works, then goes,
 * leaving the source it cited listed after the answer.
 */
import assert from 'node:assert/strict';
import { FakeModelServer } from '../support/fakeModelServer';
import { chooseModel, lastAnswer, send } from './support/chatPanel';
import { createWorkspace, fakeServerConfig, tearDown } from './support/fixtureWorkspace';
import { openVsCode, screenshotFailure, type VsCodeSession } from './support/vsCodeSession';
import type { Workbench } from './support/workbench';

const SHOUT_PLUGIN = `
exports.activate = (context) => {
  context.registerAction({ id: 'shout', label: 'Shout', run: async (message) => ({ replaceMessage: message.content.toUpperCase() }) });
};`;

/** How long the filter works, so the status line is there long enough to be seen. */
const SEARCH_MS = 4_000;
const SEARCH_PLUGIN = `
exports.activate = (context) => {
  context.registerFilter({
    id: 'docs',
    async inlet(request, call) {
      const question = request.messages[request.messages.length - 1].content;
      if (!question.includes('docs')) return;
      call.status('searching docs…');
      await new Promise((resolve) => setTimeout(resolve, ${SEARCH_MS}));
      call.cite({ title: 'Patchbay guide', url: 'https://example.test/guide', snippet: 'how the chat works' });
      call.status('searching docs…', { done: true });
    },
  });
};`;

describe('Plugin actions and status lines in a real VS Code', function () {
  let fake: FakeModelServer;
  let session: VsCodeSession;
  let workbench: Workbench;
  let workspace: string;

  before(async function () {
    fake = await FakeModelServer.start();
    workspace = createWorkspace('patchbay-actions-workspace-', { '.patchbay/config.yaml': fakeServerConfig(fake) });
    session = await openVsCode(workspace, { globalPlugins: { 'shout.js': SHOUT_PLUGIN, 'docs-search.js': SEARCH_PLUGIN } });
    workbench = session.workbench;
    await workbench.runCommand('Patchbay: Open Chat');
    await chooseModel(await workbench.chat(), 'fake-model');
  });

  after(async () => {
    await tearDown(workspace, session, fake);
  });

  afterEach(async function () {
    await screenshotFailure(workbench, 'actions-', this.currentTest);
  });

  it("replaces the answer's text with what a global plugin's action returned", async () => {
    const chat = await workbench.chat();
    const question = 'make this loud';
    await send(chat, question);
    const answer = lastAnswer(chat);
    await answer.locator('.turn-answer', { hasText: `You said: ${question}` }).waitFor({ timeout: 30_000 });
    await answer.getByRole('button', { name: 'Shout', exact: true }).click();
    // A string in hasText matches regardless of case: the new text is matched by a (case-sensitive) pattern.
    await answer.locator('.turn-answer', { hasText: new RegExp(`YOU SAID: ${question.toUpperCase()}`) }).waitFor({ timeout: 30_000 });
    assert.ok(!(await answer.locator('.turn-answer').innerText()).includes(`You said: ${question}`), 'the old text is gone');
    await workbench.screenshot('50-action-replaced-answer');
  });

  it("shows a slow filter's status line under the answer while it works, then removes it and lists its source", async () => {
    const chat = await workbench.chat();
    await send(chat, 'what do the docs say?');
    const answer = lastAnswer(chat);
    const status = answer.locator('.turn-plugin-status', { hasText: 'searching docs…' });
    await status.waitFor({ state: 'visible', timeout: 15_000 });
    await workbench.screenshot('51-status-line-while-filter-works');
    await answer.locator('.turn-answer', { hasText: 'You said: what do the docs say?' }).waitFor({ timeout: SEARCH_MS + 30_000 });
    await answer.locator('.turn-plugin-status').waitFor({ state: 'hidden', timeout: 15_000 });
    const link = answer.locator('.turn-sources a.turn-source-link', { hasText: 'Patchbay guide' });
    await link.waitFor({ timeout: 15_000 });
    assert.equal(await link.getAttribute('href'), 'https://example.test/guide');
    await workbench.screenshot('52-status-line-gone-source-listed');
  });
});
