/**
 * History files that are valid JSON but of the wrong shape: generated deterministically (a
 * seeded generator) from a valid conversation and a valid index, one wrong field at a time.
 * For each, nothing may throw out of the store, the bad file is set aside with a warning, and
 * the chat's history keeps working: a new conversation is saved and listed.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Conversation } from '../../../src/core/chat/conversation';
import { ConversationStore } from '../../../src/core/history/conversationStore';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Fields whose absence is still a valid conversation or index: never deleted by the generator. */
const OPTIONAL_FIELDS = new Set([
  'language', 'prompt', 'model', 'finishedAt', 'problem', 'hint', 'usage', 'inputTokens', 'outputTokens', 'finishReason',
  'toolCalls', 'qualifiedName', 'plugin', 'method', 'url', 'canAlwaysAllow', 'result', 'note', 'toolsOffered', 'stats',
  'firstTokenMs', 'tokensPerSecond', 'contextNote',
]);

/** A value of every JSON type; a replacement is always of another type than the value it replaces. */
const REPLACEMENTS: Json[] = [null, true, 0, -1.5, '', 'text', [], [null], {}, { id: 'x' }];

function jsonType(value: Json): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** mulberry32: a small seeded generator, so every run tries the same shapes. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every place in a JSON value: the path to it and whether it may be deleted. */
function places(value: Json, at: (string | number)[] = []): { path: (string | number)[]; deletable: boolean }[] {
  const children: [string | number, Json][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : value !== null && typeof value === 'object' ? Object.entries(value) : [];
  return children.flatMap(([key, child]) => [
    { path: [...at, key], deletable: typeof key === 'string' && !OPTIONAL_FIELDS.has(key) },
    ...places(child, [...at, key]),
  ]);
}

/** One wrong-shaped variant of `valid`, described for the failure message. */
function wrongShape(valid: Json, random: () => number): { value: Json; description: string } {
  const copy = structuredClone(valid);
  const all = places(copy);
  const place = all[Math.floor(random() * all.length)]!;
  const parent = place.path.slice(0, -1).reduce<Json>((node, key) => (node as Record<string | number, Json>)[key]!, copy) as Record<string | number, Json>;
  const key = place.path.at(-1)!;
  const original = parent[key]!;
  if (place.deletable && random() < 0.3) {
    delete parent[key];
    return { value: copy, description: `without ${place.path.join('.')}` };
  }
  const candidates = REPLACEMENTS.filter((replacement) => jsonType(replacement) !== jsonType(original));
  const replacement = candidates[Math.floor(random() * candidates.length)]!;
  parent[key] = replacement;
  return { value: copy, description: `${place.path.join('.')} = ${JSON.stringify(replacement)}` };
}

function sampleConversation(id: string, question: string): Conversation {
  return {
    id,
    title: question,
    createdAt: 1,
    updatedAt: 2,
    turns: [
      { id: `${id}-q`, role: 'user', text: question, prompt: `Explain: ${question}`, attachments: [{ kind: 'selection', label: 'a.ts:1-2', language: 'typescript', text: 'let a = 1;' }], createdAt: 1 },
      {
        id: `${id}-a`, role: 'assistant', content: 'An answer.', reasoning: 'Thinking.', status: 'incomplete', createdAt: 2, finishedAt: 3,
        model: { providerId: 'p', modelId: 'm', label: 'm · P' },
        problem: { kind: 'interrupted', message: 'Cut off.', hint: 'Retry.', actions: ['retry'] },
        usage: { inputTokens: 10, outputTokens: 5 }, finishReason: 'length',
        toolCalls: [{ id: 'call', tool: 'search', qualifiedName: 'plug.search', plugin: 'plug', method: 'GET', url: 'http://127.0.0.1/s', arguments: '{}', status: 'done', canAlwaysAllow: true, result: 'found', note: 'ok' }],
        toolsOffered: { names: ['search'], total: 1, mode: 'native' },
        stats: { firstTokenMs: 12, tokensPerSecond: 30 }, contextNote: 'Left out one exchange.',
      },
    ],
  };
}

const CASES = 60;

describe('ConversationStore with history files of the wrong shape', () => {
  let folder: string;
  let warnings: string[];
  const log = () => ({ debug: () => undefined, info: () => undefined, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) });

  beforeEach(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'patchbay-history-shapes-'));
    warnings = [];
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  /** The history still works: the good conversation is listed, a new one is saved and listed, also after a restart. */
  async function assertStillWorks(store: ConversationStore, label: string): Promise<void> {
    await store.save(sampleConversation('fresh', 'a new question'));
    await store.flush();
    assert.deepEqual((await store.list()).map((item) => item.id).sort(), ['fresh', 'good'], label);
    const reopened = new ConversationStore(folder, log());
    assert.deepEqual((await reopened.list()).map((item) => item.id).sort(), ['fresh', 'good'], `${label}, after a restart`);
    assert.equal((await reopened.load('fresh'))?.turns.length, 2, label);
  }

  async function setAsideFiles(name: string): Promise<string[]> {
    return (await readdir(folder)).filter((file) => file.startsWith(`${name}.corrupt-`));
  }

  it('sets aside the reported case, turns: [null], with no index, and keeps saving', async () => {
    const store = new ConversationStore(folder, log());
    await store.save(sampleConversation('good', 'a good question'));
    await store.flush();
    await writeFile(path.join(folder, 'bad.json'), JSON.stringify({ id: 'bad', title: 't', createdAt: 1, updatedAt: 1, turns: [null] }));
    await rm(path.join(folder, 'index.json'));
    const reopened = new ConversationStore(folder, log());
    assert.deepEqual((await reopened.list()).map((item) => item.id), ['good']);
    assert.equal((await setAsideFiles('bad.json')).length, 1);
    assert.match(warnings.join('\n'), /bad\.json was set aside as bad\.json\.corrupt-\d+: it is not a readable conversation/);
    await assertStillWorks(reopened, 'turns: [null]');
  });

  it(`sets aside ${CASES} generated wrong-shaped conversations, found by rebuilding the index or by opening them`, async () => {
    const random = seeded(20240611);
    const valid = sampleConversation('bad', 'a question') as unknown as Json;
    for (let round = 0; round < CASES; round++) {
      await rm(folder, { recursive: true, force: true });
      warnings = [];
      const { value, description } = wrongShape(valid, random);
      const store = new ConversationStore(folder, log());
      await store.save(sampleConversation('good', 'a good question'));
      // Half the rounds the index still lists the file (it went bad later), half it has no usable index.
      const indexed = round % 2 === 0;
      if (indexed) await store.save(sampleConversation('bad', 'a question'));
      await store.flush();
      await writeFile(path.join(folder, 'bad.json'), JSON.stringify(value));
      if (!indexed) await rm(path.join(folder, 'index.json'));
      const label = `${description} (${indexed ? 'indexed' : 'no index'})`;
      const reopened = new ConversationStore(folder, log());
      assert.equal(await reopened.load('bad'), undefined, label);
      assert.deepEqual((await reopened.list()).map((item) => item.id), ['good'], label);
      assert.equal((await setAsideFiles('bad.json')).length, 1, label);
      assert.ok(!(await readdir(folder)).includes('bad.json'), label);
      assert.match(warnings.join('\n'), /bad\.json was set aside/, label);
      await assertStillWorks(reopened, label);
    }
  });

  it(`sets aside ${CASES} generated wrong-shaped index files and rebuilds the index from the conversations`, async () => {
    const random = seeded(977);
    for (let round = 0; round < CASES; round++) {
      await rm(folder, { recursive: true, force: true });
      warnings = [];
      const store = new ConversationStore(folder, log());
      await store.save(sampleConversation('good', 'a good question'));
      await store.flush();
      const validIndex = JSON.parse(await readFile(path.join(folder, 'index.json'), 'utf8')) as Json;
      const { value, description } = round === 0 ? { value: null, description: 'null' } : wrongShape(validIndex, random);
      await writeFile(path.join(folder, 'index.json'), JSON.stringify(value));
      const reopened = new ConversationStore(folder, log());
      const listed = await reopened.list();
      assert.deepEqual(listed.map((item) => [item.id, item.title, item.turnCount]), [['good', 'a good question', 2]], description);
      assert.equal((await setAsideFiles('index.json')).length, 1, description);
      assert.match(warnings.join('\n'), /history index is not readable; rebuilding/, description);
      await assertStillWorks(reopened, description);
    }
  });
});
