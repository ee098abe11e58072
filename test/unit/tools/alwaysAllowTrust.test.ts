/**
 * "Always allow this tool" belongs to the plugin the user chose it for, not to its id: a
 * workspace plugin that replaces the user's plugin of the same id (with the user's
 * permission to replace it) starts with nothing allowed. Runs the real loop: the bundled
 * OpenAI-compatible plugin against the fake model server and an OpenAPI plugin for a local
 * API, once as the user's global plugin and once as a workspace copy with the same id.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChatServices } from '../../../src/core/chatServices';
import type { SessionEvent } from '../../../src/core/chat/chatSession';
import type { ToolDecision } from '../../../src/core/tools/toolRunner';
import { FakeModelServer, type ScriptedResponse } from '../../support/fakeModelServer';
import { InventoryApi } from '../../support/inventoryApi';
import { stepsFor } from '../../support/wireFormats';
import { bundledPlugins, fakeEndpoint, testBackend } from '../../support/testBackend';

function sse(deltas: object[], finishReason = 'tool_calls'): ScriptedResponse {
  const events = deltas.map((delta) => `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
  events.push(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: finishReason }] })}\n\n`, 'data: [DONE]\n\n');
  return { headers: { 'content-type': 'text/event-stream' }, steps: stepsFor(events.join('')) };
}
const text = (content: string) => sse([{ role: 'assistant', content }], 'stop');
const getItem = (id: string) => sse([{ tool_calls: [{ index: 0, id, type: 'function', function: { name: 'getItem', arguments: '{"itemId":1}' } }] }]);

describe('"Always allow" and a plugin that takes the id of the user\'s', function () {
  this.timeout(20_000);
  let models: FakeModelServer;
  let api: InventoryApi;
  let tmp: string;
  let chat: ChatServices;
  let events: SessionEvent[];
  let alwaysAllowed: Set<string>;
  /** Whether the user allowed the workspace's inventory plugin to replace theirs. */
  let replaced: boolean;
  /** The answers given on approval cards, in order; "deny" once they run out. */
  let decisions: ToolDecision[];

  beforeEach(async () => {
    models = await FakeModelServer.start();
    api = await InventoryApi.start();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'patchbay-always-'));
    for (const root of ['global', 'workspace']) {
      await mkdir(path.join(tmp, root, 'inventory'), { recursive: true });
      await writeFile(path.join(tmp, root, 'inventory', 'ai-plugin.json'), JSON.stringify(InventoryApi.pluginManifest()));
      await writeFile(path.join(tmp, root, 'inventory', 'openapi.yaml'), api.spec());
    }
    events = [];
    alwaysAllowed = new Set();
    replaced = false;
    decisions = [];
  });

  afterEach(async () => {
    await chat?.dispose();
    await models.close();
    await api.close();
    await rm(tmp, { recursive: true, force: true });
  });

  async function start(): Promise<void> {
    ({ backend: chat } = testBackend({
      pluginRoots: () => [
        { dir: bundledPlugins, source: 'bundled' },
        { dir: path.join(tmp, 'global'), source: 'global' },
        { dir: path.join(tmp, 'workspace'), source: 'workspace' },
      ],
      pluginRules: () => ({ workspaceTrusted: true, loadOnly: undefined, enabled: undefined, disabled: [], replacement: () => replaced }),
      consent: async () => true,
      endpointLayers: () => fakeEndpoint(models.openAiBaseUrl),
      loadSelectedModel: () => ({ providerId: 'fake', modelId: 'fake-model' }),
      alwaysAllowedTools: () => alwaysAllowed,
      rememberAlwaysAllowedTool: (key) => alwaysAllowed.add(key),
    }));
    chat.conversations.onEvent((event) => {
      events.push(event);
      if (event.type === 'toolCall' && event.call.status === 'awaiting-approval') {
        const decision = decisions.shift() ?? 'deny';
        setTimeout(() => chat.tools.decide(event.call.id, decision), 5);
      }
    });
    await chat.models.refresh();
  }

  async function useWorkspacePlugin(): Promise<void> {
    replaced = true;
    await chat.plugins.sync();
    for (let attempt = 0; attempt < 100; attempt++) {
      const loaded = chat.plugins.records().find((record) => record.candidate.id === 'inventory' && record.status === 'loaded');
      if (loaded?.candidate.source === 'workspace') return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.fail('the workspace inventory plugin did not load');
  }

  async function ask(callId: string): Promise<void> {
    let next = 0;
    const responses = [getItem(callId), text('done')];
    models.onChat = () => responses[next++];
    await chat.conversations.send('what is item 1?');
  }

  const statusesOf = (callId: string) =>
    events.filter((e): e is Extract<SessionEvent, { type: 'toolCall' }> => e.type === 'toolCall' && e.call.id === callId).map((e) => e.call.status);

  it('a workspace plugin replacing the user\'s does not inherit the user\'s "Always allow"', async () => {
    await start();
    decisions = ['always'];
    await ask('g1');
    await ask('g2');
    assert.deepEqual(statusesOf('g1'), ['checking', 'awaiting-approval', 'running', 'done']);
    assert.deepEqual(statusesOf('g2'), ['checking', 'running', 'done'], 'the user\'s own plugin runs without the card');

    await useWorkspacePlugin();
    await ask('w1');
    assert.deepEqual(statusesOf('w1'), ['checking', 'awaiting-approval', 'denied'], 'the workspace plugin\'s tool is asked about');
    assert.equal(api.requests.length, 2);
  });

  it('an "Always allow" remembered by name alone (earlier versions) holds for the user\'s plugin, never for a workspace plugin', async () => {
    alwaysAllowed = new Set(['inventory.getItem']);
    await start();
    await ask('g1');
    assert.deepEqual(statusesOf('g1'), ['checking', 'running', 'done']);

    await useWorkspacePlugin();
    await ask('w1');
    assert.deepEqual(statusesOf('w1'), ['checking', 'awaiting-approval', 'denied']);
  });

  it('"Always allow" chosen for the workspace plugin stays with it', async () => {
    await start();
    await useWorkspacePlugin();
    decisions = ['always'];
    await ask('w1');
    await ask('w2');
    assert.deepEqual(statusesOf('w2'), ['checking', 'running', 'done']);

    replaced = false;
    await chat.plugins.sync();
    await ask('g1');
    assert.deepEqual(statusesOf('g1'), ['checking', 'awaiting-approval', 'denied'], 'the user\'s plugin does not take what was allowed for the workspace one');
  });
});
