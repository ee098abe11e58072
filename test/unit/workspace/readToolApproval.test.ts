/**
 * Approval of read-only tools in the chat loop: the bundled workspace-tools plugin's reads run
 * without asking by default, the user's deny and ask rules still hold, a workspace plugin
 * claiming `readOnly` is asked about (the repository never loosens approval), a workspace's
 * config may make it stricter, and in an untrusted workspace only read-only tools are
 * offered, each call asked about whatever the user's rules allow.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChatServices } from '../../../src/core/chatServices';
import type { SessionEvent } from '../../../src/core/chat/chatSession';
import { unavailableServices } from '../../../src/core/plugins/pluginContext';
import type { ToolCallingSettings } from '../../../src/core/tools/toolSessions';
import { FakeModelServer, type ScriptedResponse } from '../../support/fakeModelServer';
import { bundledPlugins, fakeEndpoint, testBackend } from '../../support/testBackend';
import { stepsFor } from '../../support/wireFormats';

function sse(deltas: object[], finishReason = 'tool_calls'): ScriptedResponse {
  const events = deltas.map((delta) => `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
  events.push(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: finishReason }] })}\n\n`, 'data: [DONE]\n\n');
  return { headers: { 'content-type': 'text/event-stream' }, steps: stepsFor(events.join('')) };
}
const call = (id: string, name: string, args: object) => sse([{ role: 'assistant', tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: JSON.stringify(args) } }] }]);
const text = (content: string) => sse([{ role: 'assistant', content }], 'stop');

/** A code plugin (isolated in its worker) with a read-only tool `peek` that reads through the services, and maybe a tool `poke` that is not read-only. */
const toolPlugin = (tools: string[]) =>
  `exports.activate = (ctx) => {\n${tools
    .map((name) => `  ctx.registerTool({ name: '${name}', description: '${name} the thing', parameters: { type: 'object', properties: {} }, readOnly: ${name === 'peek'}, invoke: async () => ${name === 'peek' ? "'peeked: ' + (await ctx.services.workspace.readFile('src/a.ts')).text" : "'poked'"} });`)
    .join('\n')}\n};\n`;

describe('read-only tools and approval', function () {
  this.timeout(30_000);
  let models: FakeModelServer;
  let tmp: string;
  let chat: ChatServices;
  let events: SessionEvent[];
  let trusted: boolean;
  let toolCalling: Partial<ToolCallingSettings>;

  beforeEach(async () => {
    models = await FakeModelServer.start();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'patchbay-readonly-'));
    await mkdir(path.join(tmp, 'global'));
    await mkdir(path.join(tmp, 'workspace'));
    await writeFile(path.join(tmp, 'global', 'mine.js'), toolPlugin(['peek', 'poke']));
    await writeFile(path.join(tmp, 'workspace', 'repo.js'), toolPlugin(['peek']));
    events = [];
    trusted = true;
    toolCalling = {};
  });

  afterEach(async () => {
    await chat?.dispose();
    await models.close();
    await rm(tmp, { recursive: true, force: true });
  });

  async function start(): Promise<void> {
    ({ backend: chat } = testBackend({
      pluginRoots: () => [
        { dir: bundledPlugins, source: 'bundled' },
        { dir: path.join(tmp, 'global'), source: 'global' },
        { dir: path.join(tmp, 'workspace'), source: 'workspace' },
      ],
      pluginRules: () => ({ workspaceTrusted: trusted, loadOnly: undefined, enabled: undefined, disabled: [] }),
      consent: async () => true,
      endpointLayers: () => fakeEndpoint(models.openAiBaseUrl),
      loadSelectedModel: () => ({ providerId: 'fake', modelId: 'fake-model' }),
      toolCalling: () => toolCalling,
      workspaceTrusted: () => trusted,
      services: () => ({
        ...unavailableServices,
        workspace: {
          ...unavailableServices.workspace,
          readFile: async (file) => ({ kind: 'text', path: file, startLine: 1, endLine: 1, totalLines: 1, text: 'const a = 1;', unsaved: false }),
        },
      }),
    }));
    chat.conversations.onEvent((event) => {
      events.push(event);
      // Every card shown is approved once, so the test sees whether one was shown.
      if (event.type === 'toolCall' && event.call.status === 'awaiting-approval') setTimeout(() => chat.tools.decide(event.call.id, 'once'), 5);
    });
    await chat.models.refresh();
    await chat.plugins.sync();
    // A workspace plugin loads after its consent, a moment after the others.
    for (let attempt = 0; attempt < 200 && chat.plugins.records().some((record) => record.status === 'loading'); attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  async function run(name: string, callId: string): Promise<void> {
    const responses = [call(callId, name, name === 'read_file' ? { path: 'src/a.ts' } : {}), text('done')];
    models.onChat = () => responses.shift();
    await chat.conversations.send(`use ${name}`);
  }

  const cardsOf = (callId: string) => events.filter((e): e is Extract<SessionEvent, { type: 'toolCall' }> => e.type === 'toolCall' && e.call.id === callId).map((e) => e.call);
  const statusesOf = (callId: string) => [...new Set(cardsOf(callId).map((card) => card.status))];
  const offeredTools = () => {
    const request = models.requests.filter((item) => item.path.endsWith('/chat/completions')).at(-1)?.json as { tools?: { function: { name: string } }[] };
    return (request.tools ?? []).map((tool) => tool.function.name).sort();
  };

  it('runs a read-only tool of the bundled plugin without asking, and says why on the card', async () => {
    await start();
    await run('read_file', 'r1');
    assert.deepEqual(statusesOf('r1'), ['checking', 'running', 'done']);
    assert.match(cardsOf('r1').at(-1)?.note ?? '', /read-only tool of your own plugins/);
    assert.match(cardsOf('r1').at(-1)?.result ?? '', /const a = 1;/);
  });

  it('a deny rule wins over read-only', async () => {
    toolCalling = { approval: { default: 'ask', allow: [], deny: ['workspace-tools.read_file'] } };
    await start();
    await run('read_file', 'r2');
    assert.deepEqual(statusesOf('r2'), ['checking', 'denied']);
  });

  it('the user\'s ask rule makes a read-only tool ask', async () => {
    toolCalling = { approval: { default: 'ask', allow: [], deny: [], ask: ['workspace-tools.*'] } };
    await start();
    await run('read_file', 'r3');
    assert.deepEqual(statusesOf('r3'), ['checking', 'awaiting-approval', 'running', 'done']);
  });

  it('a workspace\'s config may make it stricter', async () => {
    toolCalling = { workspaceApproval: { default: 'ask', allow: [], deny: [] } };
    await start();
    await run('read_file', 'r4');
    assert.deepEqual(statusesOf('r4'), ['checking', 'awaiting-approval', 'running', 'done']);
  });

  it('a global plugin\'s read-only tool runs without asking; a workspace plugin claiming read-only is still asked about', async () => {
    await start();
    const tools = chat.plugins.registry.tools().map((tool) => `${tool.owner}.${tool.definition.name}`);
    assert.ok(tools.includes('mine.peek') && tools.includes('repo.peek'), `both plugins loaded: ${tools.join(', ')}`);
    const listed = (owner: string) => chat.plugins.registry.tools().find((tool) => tool.owner === owner && tool.definition.name === 'peek');
    await run(listed('mine')?.listedName ?? 'peek', 'g1');
    await run(listed('repo')?.listedName ?? 'peek', 'w1');
    assert.deepEqual(statusesOf('g1'), ['checking', 'running', 'done']);
    assert.deepEqual(statusesOf('w1'), ['checking', 'awaiting-approval', 'running', 'done']);
    assert.equal(cardsOf('w1').at(-1)?.canAlwaysAllow, true);
    // readFile crossed from the worker to the host's services and back.
    assert.equal(cardsOf('g1').at(-1)?.result, 'peeked: const a = 1;');
  });

  it('in an untrusted workspace offers only read-only tools and asks about each call, whatever the user allows', async () => {
    trusted = false;
    toolCalling = { approval: { default: 'allow', allow: ['workspace-tools.*'], deny: [] } };
    await start();
    await run('read_file', 'u1');
    const offered = offeredTools();
    assert.ok(offered.includes('read_file') && offered.includes('search_text') && offered.includes('peek'), offered.join(', '));
    assert.ok(!offered.includes('poke') && !offered.includes('propose_edit'), offered.join(', '));
    assert.deepEqual(statusesOf('u1'), ['checking', 'awaiting-approval', 'running', 'done']);
    assert.equal(cardsOf('u1').at(-1)?.canAlwaysAllow, false);
  });
});
