/**
 * The foundation, end to end: the packaged extension installed in a real VS Code, driven in
 * Chromium like a person would, chatting with a local fake server that speaks the real
 * OpenAI-compatible wire format.
 */
import assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { FakeModelServer, fakeAnswerFor } from '../support/fakeModelServer';
import { openAiSseBody, splitIntoDeltas } from '../support/wireFormats';
import { ask, chooseModel, lastAnswer, modelGroups, send } from './support/chatPanel';
import type { Workbench } from './support/workbench';
import { createWorkspace, fakeServerConfig, tearDown } from './support/fixtureWorkspace';
import { openVsCode, screenshotFailure, type VsCodeSession } from './support/vsCodeSession';

describe('Patchbay in a real VS Code', function () {
  let fake: FakeModelServer;
  let session: VsCodeSession;
  let workbench: Workbench;
  let workspace: string;

  before(async function () {
    fake = await FakeModelServer.start();
    fake.slowDeltaMs = 150;
    workspace = createWorkspace('patchbay-workspace-', { '.patchbay/config.yaml': fakeServerConfig(fake) });
    session = await openVsCode(workspace);
    workbench = session.workbench;
  });

  after(async () => {
    await tearDown(workspace, session, fake);
  });

  afterEach(async function () {
    await screenshotFailure(workbench, '', this.currentTest);
  });

  async function openChat(): Promise<Frame> {
    await workbench.runCommand('Patchbay: Open Chat');
    return workbench.chat();
  }

  it('opens from the command palette and lists the fake server\'s models, grouped by provider', async () => {
    const chat = await openChat();
    await chooseModel(chat, 'fake-model');
    assert.deepEqual(await modelGroups(chat), [{ label: `Fake server (workspace · ${new URL(fake.url).host})`, models: ['fake-model', 'fake-slow'] }]);
    await workbench.screenshot('01-chat-open');
  });

  it('streams a markdown answer with a highlighted code block', async () => {
    const chat = await workbench.chat();
    await chooseModel(chat, 'fake-model');
    await send(chat, 'hello from the e2e test');
    const answer = lastAnswer(chat);
    await answer.locator('pre code .hljs-built_in, pre code [class^="hljs-"]').first().waitFor({ timeout: 30_000 });
    await chat.locator('button[aria-label="Send"]').waitFor({ state: 'visible' });
    const text = await answer.innerText();
    assert.match(text, /You said: hello from the e2e test/);
    assert.match(text, /print\("hello"\)/);
    // The code block's own toolbar.
    for (const label of ['Copy', 'Insert at Cursor', 'Open in New File']) {
      assert.equal(await answer.locator(`.code-block button[aria-label="${label}"]`).count(), 1, label);
    }
    const request = fake.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)?.json as { model: string; messages: { role: string; content: string }[]; stream: boolean };
    assert.equal(request.model, 'fake-model');
    assert.equal(request.stream, true);
    assert.deepEqual(request.messages.at(-1), { role: 'user', content: 'hello from the e2e test' });
    assert.equal(fakeAnswerFor('hello from the e2e test').includes('print("hello")'), true);
    await workbench.screenshot('02-streamed-answer');
  });

  it('opens a code block in a new editor', async () => {
    const chat = await workbench.chat();
    await lastAnswer(chat).locator('button[aria-label="Open in New File"]').click();
    await workbench.page.locator('.editor-instance .view-lines', { hasText: 'print("hello")' }).first().waitFor({ timeout: 15_000 });
    await workbench.screenshot('03-code-in-new-file');
  });

  it("keeps a thinking model's reasoning apart, collapsed above its streamed answer", async () => {
    const answerText = 'Use a `Map` keyed by id:\n\n```typescript\nconst byId = new Map(items.map((item) => [item.id, item]));\n```\n\nLookups are then O(1).';
    fake.onChat = () => ({
      steps: [{ kind: 'write', data: openAiSseBody(splitIntoDeltas(answerText, 12), { reasoning: { field: 'reasoning_content', pieces: splitIntoDeltas('The user wants fast lookups by id; a Map fits.', 10) }, includeUsage: { prompt_tokens: 42, completion_tokens: 37 } }) }],
    });
    try {
      const chat = await workbench.chat();
      await chooseModel(chat, 'fake-model');
      const text = await ask(chat, 'How do I look items up by id quickly?');
      assert.match(text, /Lookups are then O\(1\)/);
      const reasoning = lastAnswer(chat).locator('details.turn-reasoning');
      assert.equal(await reasoning.isVisible(), true, 'the reasoning section is shown');
      assert.equal(await reasoning.evaluate((element) => (element as HTMLDetailsElement).open), false, 'collapsed');
      assert.match(await reasoning.innerText(), /Thought/);
      assert.doesNotMatch(await lastAnswer(chat).locator('.turn-answer').innerText(), /a Map fits/, 'the reasoning is not in the answer');
      await workbench.screenshot('readme-chat');
    } finally {
      fake.onChat = undefined;
    }
  });

  it('Stop ends a slow answer, keeps what arrived, and frees the input', async () => {
    const chat = await openChat();
    await chooseModel(chat, 'fake-slow');
    await send(chat, 'count for me');
    const answer = lastAnswer(chat);
    await answer.getByText('Counting slowly', { exact: false }).waitFor({ timeout: 30_000 });
    const stop = chat.locator('button[aria-label="Stop"]');
    await stop.waitFor({ state: 'visible' });
    await stop.click();
    await answer.getByText('Stopped', { exact: false }).waitFor({ timeout: 10_000 });
    assert.match(await answer.innerText(), /Counting slowly: 1/);
    await chat.locator('button[aria-label="Send"]').waitFor({ state: 'visible' });
    const deadline = Date.now() + 5000;
    while (fake.activeResponses > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(fake.activeResponses, 0, 'the HTTP request to the server was aborted');
    await workbench.screenshot('04-stopped');
  });

  it('shows a specific error with a way out when the server rejects the key', async () => {
    fake.onChat = () => ({ status: 401, steps: [{ kind: 'write', data: '{"error":{"message":"Incorrect API key provided.","code":"invalid_api_key"}}' }] });
    try {
      const chat = await workbench.chat();
      await chooseModel(chat, 'fake-model');
      await send(chat, 'are you there?');
      const answer = lastAnswer(chat);
      await answer.getByText('refused the request (401 Unauthorized)', { exact: false }).waitFor({ timeout: 30_000 });
      await answer.locator('button[aria-label="Set API Key"]').waitFor();
      await workbench.screenshot('05-auth-error');
    } finally {
      fake.onChat = undefined;
    }
  });

  it('shows the whole of a long answer that arrives at full speed, every code block once and highlighted', async () => {
    const steps = 40;
    const answerText = Array.from({ length: steps }, (_, index) => {
      const step = index + 1;
      return `## Step ${step}\n\nThis step sets up part ${step} of the service and explains why it is needed.\n\n`
        + `\`\`\`typescript\nexport const step${step} = { id: ${step}, name: 'part ${step}' };\n\`\`\`\n\n`;
    }).join('') + `All ${steps} steps done.`;
    // The whole stream in one write: the webview gets far more than a frame can render.
    fake.onChat = () => ({ steps: [{ kind: 'write', data: openAiSseBody(splitIntoDeltas(answerText, 24)) }] });
    try {
      const chat = await workbench.chat();
      await chooseModel(chat, 'fake-model');
      await ask(chat, 'walk me through the service');
      const answer = lastAnswer(chat).locator('.turn-answer');
      // A frame renders only part of it: wait for the last sentence and every block highlighted.
      await chat.waitForFunction(({ count, last }) => {
        const answerElement = [...document.querySelectorAll('article.turn-assistant')].at(-1)?.querySelector('.turn-answer');
        const blocks = [...(answerElement?.querySelectorAll('.code-block code') ?? [])];
        return (answerElement?.textContent ?? '').includes(last)
          && blocks.length === count && blocks.every((code) => code.querySelector('[class^="hljs-"]') !== null);
      }, { count: steps, last: `All ${steps} steps done.` }, { timeout: 30_000 });
      const text = (await answer.textContent()) ?? '';
      for (const step of [1, steps / 2, steps]) {
        assert.equal(text.split(`export const step${step} = `).length - 1, 1, `step ${step}'s code shows once`);
      }
      assert.ok(text.trimEnd().endsWith(`All ${steps} steps done.`), text.slice(-200));
      assert.equal(await answer.locator('.md-pending').count(), 0, 'nothing is left half-rendered');
      await workbench.screenshot('05b-long-answer');
    } finally {
      fake.onChat = undefined;
    }
  });

  it('keeps the conversation across a window reload', async () => {
    await workbench.reload();
    const chat = await openChat();
    await chat.getByText('count for me', { exact: false }).first().waitFor({ timeout: 30_000 });
    // The first answer is far above the long one: it is drawn again as the user scrolls up to it.
    await chat.locator('.transcript').evaluate((transcript) => { transcript.scrollTop = 0; });
    await chat.getByText('You said: hello from the e2e test', { exact: false }).first().waitFor({ timeout: 30_000 });
    await chat.getByText('count for me', { exact: false }).first().waitFor();
    await workbench.screenshot('06-after-reload');
  });
});
