import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SessionEvent } from '../../../src/core/chat/chatSession';
import type { AssistantTurn, Conversation } from '../../../src/core/chat/conversation';
import type { ChatServices } from '../../../src/core/chatServices';
import { isConversation } from '../../../src/core/history/conversationShape';
import { conversationToMarkdown } from '../../../src/core/history/exportMarkdown';
import { parseHostMessage } from '../../../src/webview/hostMessages';
import { sourceLink } from '../../../src/webview/view/answerSources';
import { ManualClock } from '../../support/manualClock';
import { globalPluginBackend } from '../../support/testBackend';

/**
 * Actions that act, and the status lines and sources plugins emit during an answer, through
 * the real backend. The plugins are global plugins, so each runs in a worker thread: what they
 * return and emit crosses the worker boundary as it does for a user's plugin.
 */
const provider = `
exports.activate = (ctx) => ctx.registerProvider({
  id: 'rec', label: 'Recorder',
  listModels: async () => [{ id: 'm' }],
  async *chat(request, signal) {
    const question = request.messages[request.messages.length - 1].content;
    if (question.includes('cite')) {
      signal.status('reading the manual');
      signal.cite({ title: 'The manual', url: 'https://example.test/manual', snippet: 'Chapter 1' });
      signal.cite({ title: 'A local file', url: 'file:///etc/passwd' });
      signal.cite({ title: 'The manual', url: 'https://example.test/manual' });
    }
    if (question.includes('long')) signal.status('x'.repeat(500));
    if (question.includes('many')) for (let i = 0; i < 60; i++) signal.cite({ title: 'Source ' + i });
    for (const piece of ['Hello', ' ', 'world']) yield { type: 'text', text: piece };
  },
});`;

describe('plugin actions that act, and what plugins emit during an answer', () => {
  let dir: string;
  let logs: string[];
  let saved: Conversation[];
  let events: SessionEvent[];
  let clock: ManualClock;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-actions-'));
    logs = [];
    saved = [];
    events = [];
    clock = new ManualClock();
    await writeFile(path.join(dir, 'rec.js'), provider);
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function backend(plugins: Record<string, string> = {}): Promise<ChatServices> {
    for (const [name, text] of Object.entries(plugins)) await writeFile(path.join(dir, name), text);
    const made = await globalPluginBackend(dir, { pluginCallTimeoutMs: 2000, clock });
    ({ logs, saved, events } = made);
    return made.backend;
  }

  const answer = (chat: ChatServices) => chat.conversations.conversation.turns.at(-1) as AssistantTurn;
  const lastSaved = () => saved.at(-1)!.turns.at(-1) as AssistantTurn;
  const statusLines = (turnId: string) => events.flatMap((event) => (event.type === 'answerStatus' && event.turnId === turnId ? [event.text ?? null] : []));

  describe('action results', () => {
    const actions = `exports.activate = (ctx) => {
      const act = (id, result) => ctx.registerAction({ id, label: id, run: async (message) => typeof result === 'function' ? result(message) : result });
      act('replace', (message) => ({ replaceMessage: message.content.toUpperCase() }));
      act('append', { appendToMessage: ' (checked)' });
      act('everything-else', { notify: 'done', insertText: 'at the cursor', openDocument: { content: 'print(1)', language: 'python' }, addContext: { title: 'Notes\\n for later', content: 'remember this' }, followUp: { text: 'And then?', send: true } });
      act('unknown-field', { replaceMesage: 'typo' });
      act('too-long', { insertText: 'x'.repeat(1000001) });
      act('both', { replaceMessage: 'a', appendToMessage: 'b' });
      act('wrong-type', { openDocument: 'print(1)' });
      act('bad-language', { openDocument: { content: 'x', language: 'not a language!' } });
      act('big-chip', { addContext: { title: 't', content: 'x'.repeat(100001) } });
      act('not-object', 42);
      ctx.registerCommand({ id: 'edit', title: 'Edit', run: async () => ({ replaceMessage: 'nope' }) });
      ctx.registerCommand({ id: 'chip', title: 'Chip', run: async () => ({ addContext: { title: 'Guide', content: 'be brief' } }) });
    };`;

    it('replaces the answer it ran on: shown at once and saved in the history', async () => {
      const chat = await backend({ 'acts.js': actions });
      await chat.conversations.send('hi');
      const turnId = answer(chat).id;
      events.length = 0;
      assert.deepEqual(await chat.conversations.runAction('acts/replace', turnId), { replaceMessage: 'HELLO WORLD' });
      assert.equal(answer(chat).content, 'HELLO WORLD');
      const updated = events.find((event) => event.type === 'turnUpdated');
      assert.equal(updated?.type === 'turnUpdated' && updated.turn.role === 'assistant' ? updated.turn.content : undefined, 'HELLO WORLD');
      assert.equal(lastSaved().content, 'HELLO WORLD');
    });

    it('appends to the answer it ran on', async () => {
      const chat = await backend({ 'acts.js': actions });
      await chat.conversations.send('hi');
      await chat.conversations.runAction('acts/append', answer(chat).id);
      assert.equal(answer(chat).content, 'Hello world (checked)');
      assert.equal(lastSaved().content, 'Hello world (checked)');
    });

    it('hands the host an editor insert, a new document, a context chip and a follow-up, checked and leaving the answer alone', async () => {
      const chat = await backend({ 'acts.js': actions });
      await chat.conversations.send('hi');
      assert.deepEqual(await chat.conversations.runAction('acts/everything-else', answer(chat).id), {
        notify: 'done',
        insertText: 'at the cursor',
        openDocument: { content: 'print(1)', language: 'python' },
        addContext: { title: 'Notes for later', content: 'remember this' },
        followUp: { text: 'And then?', send: true },
      });
      assert.equal(answer(chat).content, 'Hello world');
      assert.deepEqual(await chat.plugins.runCommand('acts/chip'), { addContext: { title: 'Guide', content: 'be brief' } });
    });

    it('refuses a result it cannot use with an error naming the field and why, changing nothing', async () => {
      const chat = await backend({ 'acts.js': actions });
      await chat.conversations.send('hi');
      const turnId = answer(chat).id;
      const refusals: [string, RegExp][] = [
        ['unknown-field', /The action "unknown-field" of plugin "acts" returned a result Patchbay cannot use: "replaceMesage" is not a field of an action result \(known: notify, replaceMessage/],
        ['too-long', /"insertText" is 1,000,001 characters long; at most 1,000,000 are accepted/],
        ['both', /both "replaceMessage" and "appendToMessage"/],
        ['wrong-type', /"openDocument" must be an object, not text/],
        ['bad-language', /"openDocument.language" is "not a language!", which is not a language id/],
        ['big-chip', /"addContext.content" is 100,001 characters long; at most 100,000/],
        ['not-object', /it is a number, not an object/],
      ];
      for (const [action, message] of refusals) await assert.rejects(chat.conversations.runAction(`acts/${action}`, turnId), message, action);
      await assert.rejects(chat.plugins.runCommand('acts/edit'), /The command "Edit" of plugin "acts" returned a result Patchbay cannot use: "replaceMessage" needs a message to change, and a command runs on none/);
      assert.equal(answer(chat).content, 'Hello world');
      assert.equal(chat.plugins.records().find((record) => record.candidate.id === 'acts')?.status, 'loaded', 'a bad result is the action\'s own failure, not the plugin\'s');
    });
  });

  describe('status lines and sources', () => {
    it("shows an isolated inlet's status line while it works and clears it when it says done", async () => {
      const chat = await backend({
        'slow.js': `exports.activate = (ctx) => ctx.registerFilter({ id: 'docs', async inlet(request, call) {
          call.status('searching docs…');
          await new Promise((resolve) => setTimeout(resolve, 50));
          call.status('searching docs…', { done: true });
        } });`,
      });
      await chat.conversations.send('hi');
      const turnId = answer(chat).id;
      assert.deepEqual(statusLines(turnId), ['searching docs…', null]);
      const cleared = events.findIndex((event) => event.type === 'answerStatus' && event.text === undefined);
      const firstText = events.findIndex((event) => event.type === 'turnDelta');
      assert.ok(cleared !== -1 && cleared < firstText, 'cleared before the answer streamed');
    });

    it('clears a status line at the end of the answer when the plugin never says done', async () => {
      const chat = await backend({
        'forgetful.js': `exports.activate = (ctx) => ctx.registerFilter({ id: 'f', stream(event, call) { call.status('counting words'); return event; } });`,
      });
      await chat.conversations.send('hi');
      const lines = statusLines(answer(chat).id);
      assert.equal(lines[0], 'counting words');
      assert.equal(lines.at(-1), null, 'the last word is a clear');
      const cleared = events.findLastIndex((event) => event.type === 'answerStatus');
      const finished = events.findIndex((event) => event.type === 'turnUpdated' && event.turn.role === 'assistant' && event.turn.status === 'complete');
      assert.ok(cleared < finished, 'cleared before the answer is shown finished');
    });

    it("keeps an isolated provider's sources with the answer: checked links, no duplicates, saved, reopened and exported", async () => {
      const chat = await backend();
      await chat.conversations.send('please cite');
      const turn = answer(chat);
      assert.deepEqual(turn.citations, [
        { title: 'The manual', url: 'https://example.test/manual', snippet: 'Chapter 1' },
        { title: 'A local file' },
      ]);
      assert.ok(logs.some((line) => /rec.*a source link must be an http: or https: URL/.test(line)), logs.join('\n'));
      assert.deepEqual(lastSaved().citations, turn.citations);
      assert.ok(isConversation(saved.at(-1)), 'a saved conversation with sources reads back as one');
      const markdown = conversationToMarkdown(saved.at(-1)!, new Date(0));
      assert.match(markdown, /Hello world\n\nSources:\n\n1\. \[The manual\]\(https:\/\/example\.test\/manual\) — Chapter 1\n2\. A local file\n/);
      const citationEvents = events.filter((event) => event.type === 'citations');
      assert.equal(citationEvents.length, 2);
      const message = parseHostMessage(citationEvents.at(-1));
      assert.ok('message' in message, 'the webview takes the citations message');
    });

    it('caps what a plugin emits: sources per answer, status length, emits a second', async () => {
      const chat = await backend({
        'chatty.js': `exports.activate = (ctx) => ctx.registerFilter({ id: 'f', stream(event, call) { for (let i = 0; i < 30; i++) call.status('step ' + i); return event; } });`,
      });
      await chat.conversations.send('many long');
      const turn = answer(chat);
      assert.equal(turn.citations?.length, 19, 'the provider emitted a status line and 60 sources in one second: 20 emits pass');
      const chattyLines = statusLines(turn.id).filter((line) => line?.startsWith('step'));
      assert.equal(chattyLines.length, 20, 'a stream filter that emits 90 lines at once gets 20 through');
      assert.ok(logs.some((line) => line.includes('chatty') && line.includes('more than 20 status lines or sources a second')), logs.join('\n'));
      const long = statusLines(turn.id).find((line) => line?.startsWith('xxx'));
      assert.equal(long?.length, 200);
      assert.ok(long?.endsWith('…'));
    });

    it('keeps at most 50 sources an answer, from all its plugins together', async () => {
      const citer = (name: string) => `exports.activate = (ctx) => ctx.registerFilter({ id: 'f', inlet(request, call) {
        for (let i = 0; i < 20; i++) call.cite({ title: '${name} ' + i, url: 'https://example.test/${name}/' + i });
      } });`;
      const chat = await backend({ 'citerA.js': citer('a'), 'citerB.js': citer('b'), 'citerC.js': citer('c') });
      await chat.conversations.send('hi');
      const titles = answer(chat).citations?.map((source) => source.title) ?? [];
      assert.equal(titles.length, 50, 'three plugins cited 20 each, each within its rate');
      assert.equal(new Set(titles).size, 50, 'the first 50 that came, each once');
      assert.ok(logs.some((line) => line.includes('at most 50 sources')), logs.join('\n'));
    });

    it("gives a tool's invoke status and cite, across the worker boundary", async () => {
      await writeFile(path.join(dir, 'rec.js'), `exports.activate = (ctx) => ctx.registerProvider({ id: 'rec', label: 'Recorder', supportsTools: true,
        listModels: async () => [{ id: 'm' }],
        async *chat(request) {
          if (request.messages.some((message) => message.role === 'tool')) { yield { type: 'text', text: 'found it' }; return; }
          yield { type: 'toolCall', call: { id: 'c1', name: 'search', arguments: '{}' } };
        } });`);
      const chat = await backend({
        'search.js': `exports.activate = (ctx) => ctx.registerTool({ name: 'search', description: 'Searches', parameters: { type: 'object', properties: {} },
          async invoke(args, call) { call.status('searching the web'); call.cite({ title: 'Result', url: 'https://example.test/r' }); call.status('', { done: true }); return 'ok'; } });`,
      });
      const unsubscribe = chat.conversations.onEvent((event) => {
        if (event.type === 'toolCall' && event.call.status === 'awaiting-approval') setTimeout(() => chat.tools.decide(event.call.id, 'once'), 0);
      });
      await chat.conversations.send('search');
      unsubscribe.dispose();
      assert.equal(answer(chat).content, 'found it');
      assert.deepEqual(answer(chat).citations, [{ title: 'Result', url: 'https://example.test/r' }]);
      assert.deepEqual(statusLines(answer(chat).id), ['searching the web', null]);
    });
  });

  it('the webview links a source only when its URL passes the policy, and refuses malformed status messages', () => {
    assert.equal(sourceLink({ title: 't', url: 'https://example.test/a' }), 'https://example.test/a');
    assert.equal(sourceLink({ title: 't', url: 'javascript:alert(1)' }), undefined);
    assert.equal(sourceLink({ title: 't', url: 'command:patchbay.showLogs' }), undefined);
    assert.equal(sourceLink({ title: 't' }), undefined);
    assert.ok('message' in parseHostMessage({ type: 'answerStatus', turnId: 't', text: 'working' }));
    assert.ok('rejected' in parseHostMessage({ type: 'answerStatus', turnId: 't', text: 5 }));
    assert.ok('rejected' in parseHostMessage({ type: 'citations', turnId: 't', citations: [{ url: 'https://x' }] }));
    assert.ok('message' in parseHostMessage({ type: 'fillInput', text: 'And then?' }));
  });
});
