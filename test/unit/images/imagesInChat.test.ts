import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChatServicesDeps } from '../../../src/core/chatServices';
import type { Conversation, UserTurn } from '../../../src/core/chat/conversation';
import { acceptImage } from '../../../src/core/chat/imageFiles';
import { PatchbayError } from '../../../src/core/errors';
import { ConversationStore } from '../../../src/core/history/conversationStore';
import { silentLogger } from '../../../src/core/ports';
import type { EndpointLayer } from '../../../src/core/providers/endpointLayers';
import { FakeModelServer } from '../../support/fakeModelServer';
import { testBackend, type TestBackend } from '../../support/testBackend';
import { otherPngBytes, pngBytes } from './imageSamples';

type Message = { role: string; content: unknown; images?: unknown };

describe('images in the chat, end to end through the core and the bundled providers', () => {
  let server: FakeModelServer;
  let folder: string;
  const made: TestBackend[] = [];

  beforeEach(async () => {
    server = await FakeModelServer.start();
    server.deltaDelayMs = 0;
    server.ollamaModels = [
      { name: 'llava:7b', contextLength: 8192, capabilities: ['completion', 'vision'] },
      { name: 'llama3:8b', contextLength: 8192, capabilities: ['completion', 'tools'] },
    ];
    folder = await mkdtemp(path.join(os.tmpdir(), 'patchbay-images-'));
  });

  afterEach(async () => {
    for (const { backend } of made.splice(0)) await backend.dispose();
    await server.close();
    await rm(folder, { recursive: true, force: true });
  });

  const ollama = (): EndpointLayer[] => [{ source: 'settings', providers: [{ id: 'local', type: 'ollama', baseUrl: server.url }] }];
  const openAi = (): EndpointLayer[] => [{ source: 'settings', providers: [{ id: 'lab', type: 'openai-compatible', baseUrl: server.openAiBaseUrl }] }];

  async function started(overrides: Partial<ChatServicesDeps>): Promise<TestBackend> {
    const backend = testBackend(overrides);
    made.push(backend);
    await backend.backend.start();
    await backend.backend.models.refresh();
    return backend;
  }

  function withHistory(): Partial<ChatServicesDeps> {
    const history = new ConversationStore(folder, silentLogger);
    return { history, saveConversation: (conversation) => void history.save(structuredClone(conversation)) };
  }

  function chatBodies(pathname: string): { messages: Message[] }[] {
    return server.requests.filter((request) => request.path === pathname).map((request) => request.json as { messages: Message[] });
  }

  it('sends an Ollama vision model the image as `images` (base64, no data: prefix) on the question', async () => {
    const { backend } = await started({ endpointLayers: ollama, loadSelectedModel: () => ({ providerId: 'local', modelId: 'llava:7b' }) });
    await backend.conversations.send('What is in this picture?', [], [acceptImage(pngBytes(), 'shot.png')]);
    const [body] = chatBodies('/api/chat');
    assert.deepEqual(body?.messages.at(-1), { role: 'user', content: 'What is in this picture?', images: [Buffer.from(pngBytes()).toString('base64')] });
    assert.equal(backend.conversations.conversation.turns.at(-1)?.role, 'assistant');
    assert.equal((backend.conversations.conversation.turns.at(-1) as { status: string }).status, 'complete');
  });

  it('sends an OpenAI-compatible server the image as an image_url part with a data URL', async () => {
    const { backend } = await started({ endpointLayers: openAi, loadSelectedModel: () => ({ providerId: 'lab', modelId: 'fake-model' }) });
    await backend.conversations.send('Describe it', [], [acceptImage(pngBytes(), 'shot.png')]);
    const [body] = chatBodies('/v1/chat/completions');
    assert.deepEqual(body?.messages.at(-1), {
      role: 'user',
      content: [
        { type: 'text', text: 'Describe it' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${Buffer.from(pngBytes()).toString('base64')}` } },
      ],
    });
  });

  it('refuses images for an Ollama model whose capabilities lack "vision", before anything is sent or added', async () => {
    const { backend } = await started({ endpointLayers: ollama, loadSelectedModel: () => ({ providerId: 'local', modelId: 'llama3:8b' }) });
    await assert.rejects(backend.conversations.send('What is this?', [], [acceptImage(pngBytes(), 'shot.png')]), (error: unknown) =>
      error instanceof PatchbayError && error.message === 'llama3:8b cannot read images, so the question was not sent.' && error.actions.includes('selectModel'));
    assert.equal(chatBodies('/api/chat').length, 0, 'nothing reached the server');
    assert.equal(backend.conversations.conversation.turns.length, 0, 'no question was added');
    // Without images the same model answers as before.
    await backend.conversations.send('Just text');
    assert.equal(chatBodies('/api/chat').length, 1);
  });

  it('lets config.yaml say `vision:` for a model: false refuses before sending, true sends despite the server', async () => {
    const refused = await started({ endpointLayers: openAi, loadSelectedModel: () => ({ providerId: 'lab', modelId: 'fake-model' }), modelOverrides: () => ({ 'fake-model': { vision: false } }) });
    await assert.rejects(refused.backend.conversations.send('What is this?', [], [acceptImage(pngBytes(), 'shot.png')]), /fake-model cannot read images/);
    assert.equal(chatBodies('/v1/chat/completions').length, 0);

    const allowed = await started({ endpointLayers: ollama, loadSelectedModel: () => ({ providerId: 'local', modelId: 'llama3:8b' }), modelOverrides: () => ({ 'llama3:8b': { vision: true } }) });
    await allowed.backend.conversations.send('What is this?', [], [acceptImage(pngBytes(), 'shot.png')]);
    assert.equal(chatBodies('/api/chat')[0]?.messages.at(-1)?.images instanceof Array, true);
  });

  it('refuses a fifth image in one question', async () => {
    const { backend } = await started({ endpointLayers: ollama, loadSelectedModel: () => ({ providerId: 'local', modelId: 'llava:7b' }) });
    const five = [0, 1, 2, 3, 4].map((index) => {
      const bytes = new Uint8Array([...pngBytes(), index]);
      return acceptImage(bytes, `shot-${index}.png`);
    });
    await assert.rejects(backend.conversations.send('All of these?', [], five), /at most 4 images; this one has 5/);
    assert.equal(chatBodies('/api/chat').length, 0);
  });

  it('keeps images as files beside the conversation, referenced by hash, and sends them again from there after a reload', async () => {
    const first = await started({ ...withHistory(), endpointLayers: ollama, loadSelectedModel: () => ({ providerId: 'local', modelId: 'llava:7b' }) });
    const image = acceptImage(pngBytes(), 'shot.png');
    const other = acceptImage(otherPngBytes(), 'second.png');
    await first.backend.conversations.send('Compare these', [], [image, other]);
    const id = first.backend.conversations.conversation.id;
    await first.backend.dispose();
    made.splice(made.indexOf(first), 1);

    assert.deepEqual((await readdir(path.join(folder, `${id}.images`))).sort(), [`${image.sha256}.png`, `${other.sha256}.png`].sort());
    assert.deepEqual(new Uint8Array(await readFile(path.join(folder, `${id}.images`, `${image.sha256}.png`))), pngBytes());
    const json = await readFile(path.join(folder, `${id}.json`), 'utf8');
    assert.ok(!json.includes(image.data), 'the conversation file holds no image bytes');
    const saved = JSON.parse(json) as Conversation;
    assert.deepEqual((saved.turns[0] as UserTurn).images, [
      { sha256: image.sha256, mimeType: 'image/png', name: 'shot.png', size: pngBytes().length },
      { sha256: other.sha256, mimeType: 'image/png', name: 'second.png', size: otherPngBytes().length },
    ]);
    assert.ok(!(await readFile(path.join(folder, 'index.json'), 'utf8')).includes(image.sha256), 'the index does not list images');

    // A new window: the conversation is read back, its pictures shown, its images sent with the follow-up.
    const second = await started({ ...withHistory(), endpointLayers: ollama, loadSelectedModel: () => ({ providerId: 'local', modelId: 'llava:7b' }), loadConversation: () => saved });
    assert.deepEqual(await second.backend.conversations.imageUris(id, [image]), [{ sha256: image.sha256, uri: `data:image/png;base64,${image.data}` }]);
    await second.backend.conversations.send('And the colours?');
    const followUp = chatBodies('/api/chat').at(-1);
    assert.deepEqual(followUp?.messages.find((message) => message.role === 'user')?.images, [image.data, other.data]);
    assert.equal(followUp?.messages.at(-1)?.images, undefined, 'the follow-up itself carries none');

    const exported = await second.backend.conversations.export(id);
    assert.match(exported?.markdown ?? '', /_Image: shot\.png \(PNG, 1 KB\)_|_Image: shot\.png \(PNG, \d+ B\)_/);
    assert.match(exported?.markdown ?? '', /_Image: second\.png/);

    await second.backend.conversations.delete(id);
    assert.ok(!(await readdir(folder)).includes(`${id}.images`), 'deleting the conversation deletes its images');
  });

  it('Retry with a model without vision fails the answer with the same clear message, sending nothing', async () => {
    const { backend } = await started({ endpointLayers: ollama, loadSelectedModel: () => ({ providerId: 'local', modelId: 'llava:7b' }) });
    await backend.conversations.send('What is this?', [], [acceptImage(pngBytes(), 'shot.png')]);
    const sent = chatBodies('/api/chat').length;
    await backend.conversations.retry({ providerId: 'local', modelId: 'llama3:8b' });
    const answer = backend.conversations.conversation.turns.at(-1) as { status: string; problem?: { message: string } };
    assert.equal(answer.status, 'failed');
    assert.equal(answer.problem?.message, 'llama3:8b cannot read images, so the question was not sent.');
    assert.equal(chatBodies('/api/chat').length, sent);
  });

  it('leaves earlier images out for a model without vision, saying so, so the conversation can go on', async () => {
    const { backend } = await started({ endpointLayers: ollama, loadSelectedModel: () => ({ providerId: 'local', modelId: 'llava:7b' }) });
    await backend.conversations.send('What is this?', [], [acceptImage(pngBytes(), 'shot.png')]);
    backend.models.select({ providerId: 'local', modelId: 'llama3:8b' });
    await backend.conversations.send('Summarise what you said');
    const body = chatBodies('/api/chat').at(-1);
    const earlier = body?.messages.find((message) => message.role === 'user');
    assert.equal(earlier?.images, undefined);
    assert.equal(earlier?.content, 'What is this?\n\n[1 image of this question left out: this model does not read images]');
  });
});
