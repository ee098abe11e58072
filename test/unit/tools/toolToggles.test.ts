/** Per-conversation tool choice: which tools and tool plugins are on, kept with the conversation. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChatServices } from '../../../src/core/chatServices';
import type { AssistantTurn, Conversation } from '../../../src/core/chat/conversation';
import { isConversation } from '../../../src/core/history/conversationShape';
import { parseWebviewMessage } from '../../../src/protocol/messages';
import { globalPluginBackend } from '../../support/testBackend';

const provider = `exports.activate = (ctx) => ctx.registerProvider({
  id: 'rec', label: 'Recorder', listModels: async () => [{ id: 'm' }],
  async *chat() { yield { type: 'text', text: 'ok' }; },
});`;
const tool = (name: string) => `{ name: '${name}', description: 'The ${name} tool', parameters: { type: 'object', properties: {} }, invoke: async () => '${name} ran' }`;

describe('per-conversation tool toggles', () => {
  let dir: string;
  let saved: Conversation[];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-toggles-'));
    saved = [];
    await writeFile(path.join(dir, 'rec.js'), provider);
    await writeFile(path.join(dir, 'weather.js'), `exports.activate = (ctx) => { ctx.registerTool(${tool('forecast')}); ctx.registerTool(${tool('alerts')}); };`);
    await writeFile(path.join(dir, 'notes.js'), `exports.activate = (ctx) => ctx.registerTool(${tool('search')});`);
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  async function backend(restored?: Conversation): Promise<ChatServices> {
    const made = await globalPluginBackend(dir, { loadConversation: () => restored });
    saved = made.saved;
    return made.backend;
  }

  const offered = (chat: ChatServices) => [...((chat.conversations.conversation.turns.at(-1) as AssistantTurn).toolsOffered?.names ?? [])].sort();

  it('lists every tool plugin and its tools, all on in a new conversation', async () => {
    const chat = await backend();
    assert.deepEqual(chat.conversations.toolToggles(), [
      { key: 'plugin:notes', label: 'notes', on: true, tools: [{ key: 'tool:notes/search', name: 'search', description: 'The search tool', on: true }] },
      {
        key: 'plugin:weather', label: 'weather', on: true, tools: [
          { key: 'tool:weather/alerts', name: 'alerts', description: 'The alerts tool', on: true },
          { key: 'tool:weather/forecast', name: 'forecast', description: 'The forecast tool', on: true },
        ],
      },
    ]);
    await chat.conversations.send('hi');
    assert.deepEqual(offered(chat), ['alerts', 'forecast', 'search']);
    await chat.dispose();
  });

  it('offers only the tools left on, and keeps the choice with the conversation', async () => {
    const chat = await backend();
    chat.conversations.setToolEnabled('plugin:notes', false);
    chat.conversations.setToolEnabled('tool:weather/alerts', false);
    await chat.conversations.send('hi');
    assert.deepEqual(offered(chat), ['forecast']);
    const kept = saved.at(-1);
    assert.deepEqual(kept?.toolsOff, ['plugin:notes', 'tool:weather/alerts']);
    assert.ok(kept && isConversation(kept), 'the saved conversation passes the history check');
    const toggles = chat.conversations.toolToggles();
    assert.deepEqual(toggles.map((group) => [group.key, group.on, group.tools.map((item) => item.on)]), [['plugin:notes', false, [true]], ['plugin:weather', true, [false, true]]]);

    await chat.conversations.newChat();
    await chat.conversations.send('hi');
    assert.deepEqual(offered(chat), ['alerts', 'forecast', 'search'], 'a new conversation starts with everything on');

    chat.conversations.setToolEnabled('plugin:weather', false);
    chat.conversations.setToolEnabled('plugin:notes', false);
    await chat.conversations.send('again');
    assert.equal((chat.conversations.conversation.turns.at(-1) as AssistantTurn).toolsOffered, undefined, 'no tool is offered when all are off');
    chat.conversations.setToolEnabled('plugin:notes', true);
    assert.deepEqual(chat.conversations.conversation.toolsOff, ['plugin:weather']);
    await chat.dispose();
  });

  it('applies the choice of a conversation reopened from history', async () => {
    const restored: Conversation = { id: 'old', title: 'Old', turns: [], createdAt: 1, updatedAt: 1, toolsOff: ['plugin:weather'] };
    const chat = await backend(restored);
    await chat.conversations.send('hi');
    assert.deepEqual(offered(chat), ['search']);
    await chat.dispose();
  });

  it('refuses a malformed choice in saved history and in a webview message', () => {
    assert.equal(isConversation({ id: 'a', title: 't', turns: [], createdAt: 1, updatedAt: 1, toolsOff: 'plugin:x' }), false);
    assert.deepEqual(parseWebviewMessage({ type: 'setToolEnabled', key: 'plugin:notes', enabled: false }), { message: { type: 'setToolEnabled', key: 'plugin:notes', enabled: false } });
    assert.ok('rejected' in parseWebviewMessage({ type: 'setToolEnabled', key: 'plugin:notes', enabled: 'no' }));
    assert.deepEqual(parseWebviewMessage({ type: 'listToolToggles' }), { message: { type: 'listToolToggles' } });
  });
});
