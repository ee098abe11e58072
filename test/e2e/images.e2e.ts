/**
 * Images in a real VS Code: a picture pasted (a real paste event with a DataTransfer) or
 * dropped into the chat input becomes a chip with a thumbnail, goes to an OpenAI-compatible
 * server as an `image_url` part and to Ollama as `images`, and is shown with the question; a
 * model whose Ollama capabilities lack "vision" is refused with a clear message before
 * anything is sent, and the typed text and the chip stay.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import { FakeModelServer } from '../support/fakeModelServer';
import { ask, chooseModel, newChat } from './support/chatPanel';
import type { Workbench } from './support/workbench';
import { openVsCode, screenshotFailure, type VsCodeSession } from './support/vsCodeSession';

/** A 1×1 PNG. */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

interface ChatBody {
  messages: { role: string; content: unknown; images?: unknown }[];
}

/** Pastes (or drops) a PNG file into the message input, as the clipboard or a file manager would. */
async function putImage(chat: Frame, name: string, how: 'paste' | 'drop'): Promise<void> {
  await chat.locator('textarea[aria-label="Message"]').evaluate((input, { base64, fileName, kind }) => {
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], fileName, { type: 'image/png' }));
    const event = kind === 'paste'
      ? new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true })
      : new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true });
    input.dispatchEvent(event);
  }, { base64: PNG_BASE64, fileName: name, kind: how });
}

describe('Images in a real VS Code', function () {
  let fake: FakeModelServer;
  let workspace: string;
  let session: VsCodeSession;
  let workbench: Workbench;

  before(async function () {
    fake = await FakeModelServer.start();
    fake.openAiModels = [{ id: 'fake-model' }];
    fake.ollamaModels = [
      { name: 'llava:7b', contextLength: 8192, capabilities: ['completion', 'vision'] },
      { name: 'llama3:8b', contextLength: 8192, capabilities: ['completion'] },
    ];
    workspace = mkdtempSync(path.join(os.tmpdir(), 'patchbay-images-'));
    mkdirSync(path.join(workspace, '.patchbay'), { recursive: true });
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
    session = await openVsCode(workspace);
    workbench = session.workbench;
  });

  after(async () => {
    await session?.close();
    await fake?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  afterEach(async function () {
    await screenshotFailure(workbench, 'images-', this.currentTest);
  });

  const bodies = (pathname: string) => fake.requests.filter((request) => request.path === pathname).map((request) => request.json as ChatBody);

  async function openChat(): Promise<Frame> {
    await workbench.runCommand('Patchbay: Open Chat');
    return workbench.chat();
  }

  it('a pasted image shows as a chip with a thumbnail and reaches an OpenAI-compatible server as an image_url part', async () => {
    const chat = await openChat();
    await chooseModel(chat, 'fake-model');
    await putImage(chat, 'screenshot.png', 'paste');
    const remove = chat.getByRole('button', { name: /^Remove image screenshot\.png \(\d+ B\)$/ });
    await remove.waitFor({ timeout: 15_000 });
    const thumbnail = chat.locator('li.context-chip[data-kind="image"] img.context-chip-thumbnail');
    assert.match(await thumbnail.getAttribute('src') ?? '', /^data:image\/png;base64,/);
    await chat.locator('textarea[aria-label="Message"]').fill('What is in this picture?');
    await workbench.screenshot('40-image-chip');
    await ask(chat, 'What is in this picture?');
    assert.deepEqual(bodies('/v1/chat/completions').at(-1)?.messages.at(-1), {
      role: 'user',
      content: [{ type: 'text', text: 'What is in this picture?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } }],
    });
    assert.equal(await remove.count(), 0, 'sending takes the chip');
    const shown = chat.locator('article.turn-user img.turn-image-picture[alt="screenshot.png"]');
    await chat.waitForFunction(() => document.querySelector('article.turn-user img.turn-image-picture')?.getAttribute('src')?.startsWith('data:image/png;base64,') === true, undefined, { timeout: 15_000 });
    assert.equal(await shown.count(), 1, 'the question shows its image');
  });

  it('a dropped image reaches Ollama as `images`: base64 without a data: prefix', async () => {
    const chat = await openChat();
    await newChat(chat);
    await chooseModel(chat, 'llava:7b');
    await putImage(chat, 'diagram.png', 'drop');
    await chat.getByRole('button', { name: /^Remove image diagram\.png/ }).waitFor({ timeout: 15_000 });
    await ask(chat, 'Describe the diagram');
    const question = bodies('/api/chat').at(-1)?.messages.at(-1);
    assert.deepEqual(question, { role: 'user', content: 'Describe the diagram', images: [PNG_BASE64] });
  });

  it('a model without vision is refused with a clear message before anything is sent; the text and the chip stay', async () => {
    const chat = await openChat();
    await newChat(chat);
    await chooseModel(chat, 'llama3:8b');
    await putImage(chat, 'photo.png', 'paste');
    const remove = chat.getByRole('button', { name: /^Remove image photo\.png/ });
    await remove.waitFor({ timeout: 15_000 });
    const sentBefore = bodies('/api/chat').length;
    const input = chat.locator('textarea[aria-label="Message"]');
    await input.fill('What is this photo?');
    await input.press('Enter');
    await workbench.page.locator('.notification-toast', { hasText: 'llama3:8b cannot read images, so the question was not sent.' }).waitFor({ timeout: 15_000 });
    await workbench.screenshot('41-image-refused');
    assert.equal(bodies('/api/chat').length, sentBefore, 'nothing reached the server');
    assert.equal(await chat.locator('article.turn').count(), 0, 'no question was added');
    await chat.waitForFunction(() => document.querySelector<HTMLTextAreaElement>('textarea[aria-label="Message"]')?.value === 'What is this photo?', undefined, { timeout: 15_000 });
    assert.equal(await remove.count(), 1, 'the image chip stays');
  });
});
