/**
 * Template loaders (`/prefix:name`) through the real backend: the plugins are files in a
 * global plugins folder, so each runs isolated in a worker, and the provider logs what it was asked.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChatServices } from '../../../src/core/chatServices';
import { ManualClock } from '../../support/manualClock';
import { globalPluginBackend } from '../../support/testBackend';

const recordingProvider = `
exports.activate = (ctx) => ctx.registerProvider({
  id: 'rec', label: 'Recorder',
  listModels: async () => [{ id: 'm' }, { id: 'other' }],
  async *chat(request) {
    ctx.log.info('request ' + JSON.stringify({ model: request.model, messages: request.messages }));
    yield { type: 'text', text: 'ok' };
  },
});`;

const githubLoader = `
exports.activate = (ctx) => ctx.registerTemplateLoader({
  prefix: 'gh',
  description: 'Templates from the team repository',
  list: async ({ signal }) => signal.aborted ? [] : [{ name: 'review', description: 'Review a change' }, { name: 'release' }],
  load: async (name, { log }) => {
    log.info('loading ' + name + ' in thread ' + require('node:worker_threads').threadId);
    if (name === 'review') return { description: 'Review a change', template: 'Review this change carefully:\\n\\n{{input}}', model: 'other' };
    if (name === 'release') return { template: 'Write release notes.' };
    if (name === 'broken') throw new Error('the repository answered 500');
    if (name === 'hang') return new Promise(() => {});
    if (name === 'odd') return { template: 42 };
    return undefined;
  },
});`;

describe('template loaders (/prefix:name)', () => {
  let dir: string;
  let logs: string[];
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock();
    dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-loaders-'));
    logs = [];
    await writeFile(path.join(dir, 'rec.js'), recordingProvider);
  });

  afterEach(async () => rm(dir, { recursive: true, force: true }));

  async function backend(): Promise<ChatServices> {
    const made = await globalPluginBackend(dir, { pluginCallTimeoutMs: 30_000, clock });
    logs = made.logs;
    await made.backend.models.refresh();
    return made.backend;
  }

  const requests = () =>
    logs.flatMap((line) => /request (\{.*\})$/.exec(line)?.[1] ?? []).map((json) => JSON.parse(json) as { model: string; messages: { role: string; content: string }[] });

  it('loads /gh:review from an isolated plugin, fills in the input and answers with the model it names', async () => {
    await writeFile(path.join(dir, 'github.js'), githubLoader);
    const chat = await backend();
    await chat.conversations.send('/gh:review the diff below');
    assert.deepEqual(requests()[0]?.messages.at(-1), { role: 'user', content: 'Review this change carefully:\n\nthe diff below' });
    assert.equal(requests()[0]?.model, 'other');
    const question = chat.conversations.conversation.turns[0];
    assert.equal(question?.role === 'user' ? question.text : '', '/gh:review the diff below');
    const loadedIn = logs.map((line) => /loading review in thread (\d+)/.exec(line)?.[1]).find((thread) => thread !== undefined);
    assert.ok(loadedIn !== undefined && Number(loadedIn) > 0, `load() ran in a worker, not the host's thread: ${logs.join('\n')}`);
    await chat.conversations.send('/gh:release v2');
    assert.equal(requests()[1]?.messages.at(-1)?.content, 'Write release notes.\n\nv2');
    await chat.dispose();
  });

  it('offers the prefix and the names list() gives in the slash completion', async () => {
    await writeFile(path.join(dir, 'github.js'), githubLoader);
    const chat = await backend();
    await waitFor(() => chat.plugins.pluginUi().slashCommands.some((command) => command.name === 'gh:review'));
    const listed = chat.plugins.pluginUi().slashCommands.filter((command) => command.name.startsWith('gh:'));
    assert.deepEqual(listed.map((command) => [command.name, command.description, command.source]), [
      ['gh:', 'Templates from the team repository', 'github'],
      ['gh:review', 'Review a change', 'github'],
      ['gh:release', 'Templates from the team repository', 'github'],
    ]);
    await chat.dispose();
  });

  it('says clearly when a template is unknown, the loader throws or returns the wrong shape, and fails a loader that hangs', async () => {
    await writeFile(path.join(dir, 'github.js'), githubLoader);
    const chat = await backend();
    await assert.rejects(chat.conversations.send('/gh:nothing here'), /template loader "gh" \(plugin "github"\) has no template "nothing"/);
    await assert.rejects(chat.conversations.send('/gh:broken'), /the repository answered 500/);
    await assert.rejects(chat.conversations.send('/gh:odd'), /template loader "gh" \(plugin "github"\) returned no template text for "odd"/);
    assert.equal(chat.plugins.records().find((record) => record.candidate.id === 'github')?.status, 'loaded');
    const hanging = chat.conversations.send('/gh:hang');
    await clock.advanceWhenDue(10_000);
    await assert.rejects(hanging, /did not finish within 10 s/);
    await waitFor(() => chat.plugins.records().find((record) => record.candidate.id === 'github')?.status === 'failed');
    assert.equal(requests().length, 0, 'nothing was sent to the model');
    await chat.dispose();
  });

  it('refuses a second loader with the same prefix, naming the plugin that has it', async () => {
    await writeFile(path.join(dir, 'github.js'), githubLoader);
    await writeFile(path.join(dir, 'zz-copy.js'), `exports.activate = (ctx) => ctx.registerTemplateLoader({ prefix: 'gh', description: 'x', load: () => ({ template: 'x' }) });`);
    const chat = await backend();
    const copy = chat.plugins.records().find((record) => record.candidate.id === 'zz-copy');
    assert.equal(copy?.status, 'failed');
    assert.match(copy?.detail ?? '', /template loader "gh" is already registered by plugin "github"/);
    await chat.dispose();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
