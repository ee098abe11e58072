/**
 * Wire states end to end: an answer the server stops at the token limit is shown as cut off,
 * with a Continue button, and pressing it makes the model go on in the same answer.
 */
import assert from 'node:assert/strict';
import { FakeModelServer } from '../support/fakeModelServer';
import { openAiSseBody, stepsFor } from '../support/wireFormats';
import { chooseModel, lastAnswer, send } from './support/chatPanel';
import type { Workbench } from './support/workbench';
import { createWorkspace, fakeServerConfig, tearDown } from './support/fixtureWorkspace';
import { openVsCode, screenshotFailure, type VsCodeSession } from './support/vsCodeSession';

describe('Wire states in a real VS Code', function () {
  let fake: FakeModelServer;
  let session: VsCodeSession;
  let workbench: Workbench;
  let workspace: string;

  before(async function () {
    fake = await FakeModelServer.start();
    workspace = createWorkspace('patchbay-wire-states-', { '.patchbay/config.yaml': fakeServerConfig(fake) });
    session = await openVsCode(workspace);
    workbench = session.workbench;
  });

  after(async () => {
    await tearDown(workspace, session, fake);
  });

  afterEach(async function () {
    await screenshotFailure(workbench, 'wire-states-', this.currentTest);
  });

  it('marks an answer cut off by the token limit and continues it on Continue', async () => {
    const answers = [
      openAiSseBody(['Three steps: first, ', 'mix the flour; second, ', 'add the'], { finishReason: 'length' }),
      openAiSseBody([' water; third, ', 'bake it.'], { finishReason: 'stop' }),
    ];
    let calls = 0;
    fake.onChat = () => {
      const body = answers[calls++];
      return body === undefined ? undefined : { steps: stepsFor(body, 20) };
    };
    await workbench.runCommand('Patchbay: Open Chat');
    const chat = await workbench.chat();
    await chooseModel(chat, 'fake-model');
    await send(chat, 'How do I bake bread?');

    const answer = lastAnswer(chat);
    await chat.waitForFunction(() => document.querySelector('article.turn-assistant:last-of-type')?.getAttribute('data-status') === 'incomplete', undefined, { timeout: 30_000 });
    const status = answer.locator('.turn-status');
    assert.match(await status.innerText(), /cut off by the token limit/);
    assert.match(await status.innerText(), /patchbay\.maxTokens/);
    assert.match(await answer.locator('.turn-answer').innerText(), /second, add the$/);
    const continueButton = answer.getByRole('button', { name: 'Continue', exact: true });
    await continueButton.waitFor({ state: 'visible' });
    await workbench.screenshot('wire-states-01-cut-off');

    await continueButton.click();
    await chat.waitForFunction(() => document.querySelector('article.turn-assistant:last-of-type')?.getAttribute('data-status') === 'complete', undefined, { timeout: 30_000 });
    await chat.waitForFunction(() => /bake it\.\s*$/.test(document.querySelector('article.turn-assistant:last-of-type .turn-answer')?.textContent ?? ''), undefined, { timeout: 30_000 });
    assert.equal(await chat.locator('article.turn-assistant').count(), 1, 'the continuation joins the same answer');
    assert.match(await answer.locator('.turn-answer').innerText(), /Three steps: first, mix the flour; second, add the water; third, bake it\./);
    assert.equal(await answer.locator('.turn-status').isHidden(), true, 'no "cut off" left on the finished answer');
    assert.equal(await answer.getByRole('button', { name: 'Continue', exact: true }).count(), 0);

    const continued = fake.requests.filter((request) => request.path === '/v1/chat/completions').at(-1)?.json as { messages: { role: string; content: string }[] };
    assert.deepEqual(continued.messages.slice(0, 2), [
      { role: 'user', content: 'How do I bake bread?' },
      { role: 'assistant', content: 'Three steps: first, mix the flour; second, add the' },
    ]);
    assert.match(continued.messages[2]?.content ?? '', /Continue it from exactly where it stopped/);
    await workbench.screenshot('wire-states-02-continued');
  });
});
