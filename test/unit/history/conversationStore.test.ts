import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Conversation } from '../../../src/core/chat/conversation';
import { ConversationStore } from '../../../src/core/history/conversationStore';
import { conversationToMarkdown } from '../../../src/core/history/exportMarkdown';

function conversation(id: string, question: string, answer: string, updatedAt = 1000): Conversation {
  return {
    id,
    title: question.slice(0, 20),
    createdAt: 1,
    updatedAt,
    turns: [
      { id: `${id}-q`, role: 'user', text: question, attachments: [], createdAt: 1 },
      { id: `${id}-a`, role: 'assistant', content: answer, reasoning: '', status: 'complete', createdAt: 2 },
    ],
  };
}

describe('ConversationStore', () => {
  let folder: string;
  let warnings: string[];
  const log = () => ({ debug: () => undefined, info: () => undefined, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) });

  beforeEach(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'patchbay-history-'));
    warnings = [];
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('saves one file per conversation plus an index, and lists newest first', async () => {
    const store = new ConversationStore(folder, log());
    await store.save(conversation('a', 'first question', 'one', 1000));
    await store.save(conversation('b', 'second question', 'two', 2000));
    assert.deepEqual((await readdir(folder)).sort(), ['a.json', 'b.json', 'index.json']);
    assert.deepEqual((await store.list()).map((item) => [item.id, item.turnCount, item.preview]), [['b', 2, 'second question'], ['a', 2, 'first question']]);
    // A second store (after a restart) reads the same from disk.
    const reopened = new ConversationStore(folder, log());
    assert.deepEqual((await reopened.list()).map((item) => item.id), ['b', 'a']);
    assert.equal((await reopened.load('a'))?.turns[1]?.role, 'assistant');
  });

  it('does not save an empty conversation', async () => {
    const store = new ConversationStore(folder, log());
    await store.save({ id: 'empty', title: 'New chat', createdAt: 1, updatedAt: 1, turns: [] });
    assert.deepEqual(await store.list(), []);
  });

  it('loses nothing when a crash happened between writing the temporary file and renaming it', async () => {
    const store = new ConversationStore(folder, log());
    await store.save(conversation('a', 'kept question', 'kept answer'));
    // What a crash mid-save leaves: a half-written temporary file beside the intact one.
    await writeFile(path.join(folder, 'a.json.deadbeef.tmp'), '{"id":"a","title":"new ti');
    await writeFile(path.join(folder, 'index.json.cafe.tmp'), '{"version":1,"conv');
    const reopened = new ConversationStore(folder, log());
    assert.equal((await reopened.load('a'))?.turns[1]?.role === 'assistant' && (await reopened.load('a'))?.title, 'kept question');
    assert.deepEqual((await readdir(folder)).sort(), ['a.json', 'index.json'], 'leftover temporary files are removed');
    assert.deepEqual(warnings, []);
  });

  it('sets a corrupt conversation aside with a warning and keeps listing the others', async () => {
    const store = new ConversationStore(folder, log());
    await store.save(conversation('good', 'fine', 'fine'));
    await store.save(conversation('bad', 'broken soon', 'x'));
    await writeFile(path.join(folder, 'bad.json'), '{ this is not json');
    const reopened = new ConversationStore(folder, log());
    assert.equal(await reopened.load('bad'), undefined);
    assert.deepEqual((await reopened.list()).map((item) => item.id), ['good']);
    assert.ok((await readdir(folder)).some((name) => name.startsWith('bad.json.corrupt-')));
    assert.match(warnings[0] ?? '', /bad\.json was set aside as bad\.json\.corrupt-\d+: it is not a readable conversation/);
  });

  it('rebuilds a broken index from the conversation files', async () => {
    const store = new ConversationStore(folder, log());
    await store.save(conversation('a', 'alpha', 'x', 1000));
    await store.save(conversation('b', 'beta', 'y', 2000));
    await writeFile(path.join(folder, 'index.json'), 'garbage');
    const reopened = new ConversationStore(folder, log());
    assert.deepEqual((await reopened.list()).map((item) => item.id), ['b', 'a']);
    assert.match(warnings.join('\n'), /history index is not readable; rebuilding/);
    assert.equal(JSON.parse(await readFile(path.join(folder, 'index.json'), 'utf8')).conversations.length, 2);
  });

  it('writes the newest content when saves come faster than the disk', async () => {
    const store = new ConversationStore(folder, log());
    const saves = Array.from({ length: 50 }, (_, index) => store.save(conversation('a', 'q', `answer ${index}`, index)));
    await Promise.all(saves);
    await store.flush();
    assert.equal((await new ConversationStore(folder, log()).load('a'))?.turns[1]?.role === 'assistant' ? JSON.parse(await readFile(path.join(folder, 'a.json'), 'utf8')).turns[1].content : '', 'answer 49');
  });

  it('flush waits for a save started just before it, even one still opening the folder', async () => {
    const store = new ConversationStore(folder, log());
    void store.save(conversation('late', 'saved as the window closes', 'kept'));
    await store.flush();
    const saved = JSON.parse(await readFile(path.join(folder, 'late.json'), 'utf8')) as Conversation;
    assert.equal(saved.turns.length, 2);
  });

  it('searches titles and text, renames and deletes', async () => {
    const store = new ConversationStore(folder, log());
    await store.save(conversation('a', 'How do I parse YAML?', 'Use the yaml package.', 1));
    await store.save(conversation('b', 'Rust lifetimes', 'They describe how long references live.', 2));
    assert.deepEqual((await store.search('yaml')).map((item) => item.id), ['a']);
    assert.deepEqual((await store.search('references live')).map((item) => item.id), ['b']);
    assert.deepEqual((await store.search('')).map((item) => item.id), ['b', 'a']);
    await store.rename('a', 'YAML parsing');
    assert.equal((await store.list()).find((item) => item.id === 'a')?.title, 'YAML parsing');
    await store.delete('b');
    assert.deepEqual((await store.list()).map((item) => item.id), ['a']);
    assert.ok(!(await readdir(folder)).includes('b.json'));
  });

  it('refuses ids that are not plain names', async () => {
    const store = new ConversationStore(folder, log());
    await store.save(conversation('../escape', 'q', 'a'));
    assert.equal(await store.load('../escape'), undefined);
    assert.deepEqual(await readdir(folder), []);
  });

  it('refuses the id "index", whose file would be the index itself', async () => {
    const store = new ConversationStore(folder, log());
    await store.save(conversation('kept', 'q', 'a'));
    await store.save(conversation('index', 'q', 'a'));
    await store.delete('index');
    assert.equal(await store.load('index'), undefined);
    assert.deepEqual((await store.search('')).map((summary) => summary.id), ['kept']);
    assert.deepEqual((await readdir(folder)).sort(), ['index.json', 'kept.json']);
  });
});

describe('conversationToMarkdown', () => {
  it('writes the questions, attachments, reasoning, tool calls and answers', () => {
    const markdown = conversationToMarkdown({
      id: 'c', title: 'Sorting', createdAt: 0, updatedAt: 0,
      turns: [
        { id: 'q', role: 'user', text: 'Why is this slow?', attachments: [{ kind: 'selection', label: 'sort.py:1-2', language: 'python', text: 'for i in x:\n  x.sort()' }], createdAt: 0 },
        { id: 'a', role: 'assistant', content: 'You sort inside the loop.', reasoning: 'It sorts n times.', status: 'complete', createdAt: 0, model: { providerId: 'p', modelId: 'm', label: 'm · Lab' },
          toolCalls: [{ id: 't', tool: 'search', arguments: '{}', status: 'done', method: 'GET', url: 'http://x/s' }] },
      ],
    }, new Date('2026-01-02T00:00:00Z'));
    assert.equal(markdown, [
      '# Sorting', '', '_Exported from Patchbay on 2026-01-02._', '',
      '## You', '', 'sort.py:1-2:', '', '```python', 'for i in x:\n  x.sort()', '```', '', 'Why is this slow?', '',
      '## m · Lab', '', '<details><summary>Thought process</summary>', '', 'It sorts n times.', '', '</details>', '',
      '> Tool call `search` (GET http://x/s): done', '', 'You sort inside the loop.', '',
    ].join('\n'));
  });
});
