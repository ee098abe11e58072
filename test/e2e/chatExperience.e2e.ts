/**
 * The chat experience end to end in a real VS Code: saved conversations survive a reload
 * and reopen; a conversation longer than a small window is trimmed with a note and the
 * server never receives more than the window; a workspace prompt template; Retry with
 * another model; an Ollama pull with progress.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import { FakeModelServer } from '../support/fakeModelServer';
import { ask, chooseModel, lastAnswer, newChat } from './support/chatPanel';
import type { Workbench } from './support/workbench';
import { openVsCode, screenshotFailure, type VsCodeSession } from './support/vsCodeSession';
const SMALL_WINDOW = 300;

interface ChatBody {
  model?: string;
  messages: { role: string; content: string }[];
}

describe('The chat experience in a real VS Code', function () {
  let fake: FakeModelServer;
  let workspace: string;
  let session: VsCodeSession;
  let workbench: Workbench;

  before(async function () {
    fake = await FakeModelServer.start();
    fake.openAiModels = [{ id: 'fake-model' }, { id: 'tiny-window', max_model_len: SMALL_WINDOW }];
    fake.ollamaModels = [{ name: 'fake-llama:latest', contextLength: 8192 }];
    fake.pullStepMs = 400;
    workspace = mkdtempSync(path.join(os.tmpdir(), 'patchbay-experience-'));
    mkdirSync(path.join(workspace, '.patchbay', 'prompts'), { recursive: true });
    writeFileSync(path.join(workspace, '.patchbay', 'config.yaml'), [
      'providers:',
      '  - id: fake',
      '    label: Fake server',
      '    type: openai-compatible',
      `    baseUrl: ${fake.openAiBaseUrl}`,
      '  - id: fake-ollama',
      '    label: Fake Ollama',
      '    type: ollama',
      `    baseUrl: ${fake.url}`,
      '',
    ].join('\n'));
    writeFileSync(path.join(workspace, '.patchbay', 'prompts', 'explain.md'), '---\ndescription: Explain it for the end-to-end test\n---\nE2E TEMPLATE, explain: {{input}}\n');
    session = await openVsCode(workspace);
    workbench = session.workbench;
  });

  after(async () => {
    await session?.close();
    await fake?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  afterEach(async function () {
    await screenshotFailure(workbench, 'experience-', this.currentTest);
  });

  const chatBodies = () => fake.requests.filter((r) => r.path === '/v1/chat/completions' || r.path === '/api/chat').map((r) => r.json as ChatBody);

  async function openChat(): Promise<Frame> {
    await workbench.runCommand('Patchbay: Open Chat');
    return workbench.chat();
  }

  it('keeps two conversations across a reload, lists both and reopens each', async () => {
    let chat = await openChat();
    await chooseModel(chat, 'fake-model');
    await ask(chat, 'The first conversation is about apples');
    await newChat(chat);
    await ask(chat, 'The second conversation is about pears');
    await workbench.reload();
    chat = await openChat();
    await chat.getByText('The second conversation is about pears', { exact: false }).first().waitFor({ timeout: 30_000 });
    await chat.getByRole('button', { name: 'History', exact: true }).click();
    const apples = chat.locator('[aria-label="The first conversation is about apples"]');
    const pears = chat.locator('[aria-label="The second conversation is about pears"]');
    await apples.waitFor({ timeout: 15_000 });
    await pears.waitFor();
    await workbench.screenshot('30-history-list');
    await apples.getByRole('button', { name: 'Open', exact: true }).click();
    await chat.locator('article.turn-user', { hasText: 'The first conversation is about apples' }).waitFor();
    assert.equal(await chat.locator('article.turn-user', { hasText: 'pears' }).count(), 0);
    await chat.getByRole('button', { name: 'History', exact: true }).click();
    await chat.getByRole('textbox', { name: 'Search Conversations', exact: true }).fill('pears');
    await chat.locator('[aria-label="The first conversation is about apples"]').waitFor({ state: 'detached' });
    await pears.getByRole('button', { name: 'Open', exact: true }).click();
    await chat.locator('article.turn-user', { hasText: 'The second conversation is about pears' }).waitFor();
  });

  it('Ask About Selection puts the selection in a chip, and the question goes with it', async () => {
    writeFileSync(path.join(workspace, 'greet.py'), 'def greet(name):\n    return f"Hello, {name}!"\n');
    await workbench.openFile('greet.py');
    await workbench.page.locator('.editor-instance .view-lines', { hasText: 'def greet' }).first().click();
    await workbench.page.keyboard.press('ControlOrMeta+A');
    await workbench.runCommand('Patchbay: Ask About Selection');
    const chat = await workbench.chat();
    await chat.getByRole('button', { name: 'Remove greet.py:1-2', exact: true }).waitFor({ timeout: 15_000 });
    await workbench.screenshot('31-selection-chip');
    await chooseModel(chat, 'fake-model');
    await ask(chat, 'what does greet return?');
    const sent = chatBodies().at(-1)?.messages.at(-1)?.content ?? '';
    assert.match(sent, /greet\.py:1-2:\n```python\ndef greet\(name\):/);
    assert.match(sent, /what does greet return\?$/);
    assert.equal(await chat.getByRole('button', { name: 'Remove greet.py:1-2', exact: true }).count(), 0, 'sending takes the chips');
  });

  it('runs /explain from the workspace\'s own template', async () => {
    const chat = await workbench.chat();
    await chooseModel(chat, 'fake-model');
    const input = chat.getByRole('textbox', { name: 'Message', exact: true });
    await input.fill('/expl');
    await chat.getByRole('listbox', { name: 'Slash commands' }).getByText('Explain it for the end-to-end test').waitFor();
    await workbench.screenshot('32-slash-commands');
    await input.fill('');
    await ask(chat, '/explain the recursion');
    assert.equal(chatBodies().at(-1)?.messages.at(-1)?.content, 'E2E TEMPLATE, explain: the recursion');
    assert.equal(await chat.locator('article.turn-user').last().innerText().then((text) => /\/explain the recursion/.test(text)), true);
  });

  it('trims a conversation longer than a small window, says so, and never sends more than the window', async () => {
    const chat = await workbench.chat();
    await newChat(chat);
    await chooseModel(chat, 'tiny-window');
    const before = chatBodies().length;
    for (let i = 1; i <= 5; i++) await ask(chat, `Question ${i}: ${'tell me more about this long topic please '.repeat(3)}`);
    const note = lastAnswer(chat).locator('.context-note');
    await note.waitFor({ timeout: 15_000 });
    assert.match(await note.innerText(), /To fit tiny-window's 300-token window, \d+ earlier messages? (was|were) left out/);
    for (const body of chatBodies().slice(before)) {
      const tokens = body.messages.reduce((sum, message) => sum + Math.ceil(message.content.length / 3) + 6, 0);
      assert.ok(tokens <= SMALL_WINDOW, `a request of about ${tokens} tokens reached a ${SMALL_WINDOW}-token window`);
    }
    await workbench.screenshot('33-window-note');
  });

  it('retries the last question with another model', async () => {
    const chat = await workbench.chat();
    await chooseModel(chat, 'fake-model');
    await ask(chat, 'which model answers?');
    await lastAnswer(chat).getByRole('button', { name: 'Retry with Another Model', exact: true }).click();
    const quickInput = workbench.quickInput;
    await quickInput.waitFor({ state: 'visible' });
    await quickInput.fill('fake-llama');
    await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'fake-llama:latest' }).first().click();
    await lastAnswer(chat).getByText('fake-llama:latest', { exact: false }).first().waitFor({ timeout: 30_000 });
    await chat.waitForFunction(() => document.querySelector('button[aria-label="Stop"]')?.hasAttribute('hidden') ?? true);
    const last = fake.requests.filter((r) => r.path === '/api/chat').at(-1)?.json as ChatBody;
    assert.equal(last.model, 'fake-llama:latest');
    assert.equal(last.messages.at(-1)?.content, 'which model answers?');
    assert.equal(await chat.locator('article.turn-user', { hasText: 'which model answers?' }).count(), 1, 'the question is asked again, not added twice');
  });

  it('pulls an Ollama model with a progress notification', async () => {
    await workbench.runCommand('Patchbay: Pull Ollama Model');
    await workbench.quickInput.waitFor({ state: 'visible' });
    await workbench.quickInput.fill('tinyllama');
    await workbench.quickInput.press('Enter');
    const toast = workbench.page.locator('.notification-toast', { hasText: 'Pulling tinyllama' });
    await toast.waitFor({ timeout: 15_000 });
    await workbench.page.locator('.notification-toast', { hasText: /pulling 6a0746a1ec1a \(\d+%\)/ }).first().waitFor({ timeout: 15_000 });
    await workbench.screenshot('34-pull-progress');
    await workbench.page.locator('.notification-toast', { hasText: 'Patchbay: pulled tinyllama.' }).waitFor({ timeout: 30_000 });
    const chat = await workbench.chat();
    await chooseModel(chat, 'tinyllama:latest');
  });
});
