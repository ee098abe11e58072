/**
 * The trust boundary of tool approval: a workspace's config.yaml may make approval stricter
 * but never looser than the user's own rules, unless the user accepts the loosening for that
 * workspace in a prompt listing exactly the tools it affects. Runs the real loop: the
 * bundled OpenAI-compatible plugin against the fake model server, an OpenAPI plugin for a
 * real local API, and the config merge that builds the settings from the user's and the
 * workspace's files.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChatServices } from '../../../src/core/chatServices';
import type { SessionEvent } from '../../../src/core/chat/chatSession';
import type { PatchbayConfig } from '../../../src/core/config/configTypes';
import { mergePluginSections } from '../../../src/core/config/mergeConfig';
import { mergeToolCalling } from '../../../src/core/tools/toolCallingConfig';
import type { LooseningItem, WorkspaceLooseningPort } from '../../../src/core/tools/workspaceLoosening';
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
const call = (id: string, name: string, args: string) => sse([{ tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: args } }] }]);

describe('tool approval across the trust boundary', function () {
  this.timeout(20_000);
  let models: FakeModelServer;
  let api: InventoryApi;
  let pluginsDir: string;
  let chat: ChatServices;
  let events: SessionEvent[];
  let userConfig: PatchbayConfig | undefined;
  let workspaceConfig: PatchbayConfig | undefined;
  let alwaysAllowed: Set<string>;
  /** What the loosening prompt was shown, and how it is answered. */
  let prompts: LooseningItem[][];
  let promptAnswer: boolean | undefined;
  let remembered: Record<string, boolean>;
  /** Whether the host can ask the user at all. */
  let askable: boolean;

  beforeEach(async () => {
    models = await FakeModelServer.start();
    api = await InventoryApi.start();
    pluginsDir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-trust-'));
    await mkdir(path.join(pluginsDir, 'inventory'));
    await writeFile(path.join(pluginsDir, 'inventory', 'ai-plugin.json'), JSON.stringify(InventoryApi.pluginManifest()));
    await writeFile(path.join(pluginsDir, 'inventory', 'openapi.yaml'), api.spec());
    events = [];
    userConfig = undefined;
    workspaceConfig = undefined;
    alwaysAllowed = new Set();
    prompts = [];
    promptAnswer = false;
    remembered = {};
    askable = true;
  });

  afterEach(async () => {
    await chat?.dispose();
    await models.close();
    await api.close();
    await rm(pluginsDir, { recursive: true, force: true });
  });

  async function start(): Promise<void> {
    const loosening: WorkspaceLooseningPort = {
      remembered: () => remembered,
      remember: (decisions) => void (remembered = { ...decisions }),
      ask: async (items) => {
        prompts.push([...items]);
        return promptAnswer;
      },
    };
    ({ backend: chat } = testBackend({
      pluginRoots: () => [{ dir: bundledPlugins, source: 'bundled' }, { dir: pluginsDir, source: 'global' }],
      endpointLayers: () => fakeEndpoint(models.openAiBaseUrl),
      loadSelectedModel: () => ({ providerId: 'fake', modelId: 'fake-model' }),
      // Least specific first: the user's global file, then the workspace folder's.
      toolCalling: () => mergeToolCalling([userConfig, workspaceConfig]),
      alwaysAllowedTools: () => alwaysAllowed,
      rememberAlwaysAllowedTool: (name) => alwaysAllowed.add(name),
      ...(askable ? { workspaceLoosening: loosening } : {}),
    }));
    chat.conversations.onEvent((event) => {
      events.push(event);
      // A card left waiting is answered "deny", so the test shows whether one was shown.
      if (event.type === 'toolCall' && event.call.status === 'awaiting-approval') setTimeout(() => chat.tools.decide(event.call.id, 'deny'), 5);
    });
    await chat.models.refresh();
  }

  function script(responses: ScriptedResponse[]): void {
    let next = 0;
    models.onChat = () => responses[next++];
  }

  const statusesOf = (callId: string) =>
    events.filter((e): e is Extract<SessionEvent, { type: 'toolCall' }> => e.type === 'toolCall' && e.call.id === callId).map((e) => e.call.status);
  const apiCalls = () => api.requests.map((r) => `${r.method} ${r.path}`);

  it('a workspace\'s "default: allow" does not run a POST or DELETE tool without the card', async () => {
    workspaceConfig = { toolApproval: { default: 'allow' } };
    await start();
    script([call('p1', 'addItem', '{"name":"Glass hammer"}'), text('not added'), call('d1', 'deleteItem', '{"itemId":1}'), text('not deleted')]);
    await chat.conversations.send('add a glass hammer');
    await chat.conversations.send('delete item 1');
    assert.deepEqual(statusesOf('p1'), ['checking', 'awaiting-approval', 'denied']);
    assert.deepEqual(statusesOf('d1'), ['checking', 'awaiting-approval', 'denied']);
    assert.deepEqual(apiCalls(), []);
  });

  it('a workspace\'s allow list is ignored without the user\'s consent, and the prompt lists exactly the tools it would free', async () => {
    workspaceConfig = { toolApproval: { allow: ['inventory.addItem', 'inventory.deleteItem'] } };
    userConfig = { toolApproval: { deny: ['inventory.deleteItem'] } };
    await start();
    script([call('p1', 'addItem', '{"name":"Glass hammer"}'), text('not added')]);
    await chat.conversations.send('add a glass hammer');
    assert.deepEqual(prompts, [[{ tool: 'inventory.addItem', user: 'ask', workspace: 'allow' }]], 'the user\'s deny stays: deleteItem is not offered for loosening');
    assert.deepEqual(statusesOf('p1'), ['checking', 'awaiting-approval', 'denied']);
    assert.deepEqual(apiCalls(), []);
    // Declining is remembered: the next call shows the card without asking again.
    script([call('p2', 'addItem', '{"name":"Glass hammer"}'), text('not added')]);
    await chat.conversations.send('add a glass hammer');
    assert.equal(prompts.length, 1);
    assert.deepEqual(statusesOf('p2'), ['checking', 'awaiting-approval', 'denied']);
  });

  it('runs the tools without the card once the user accepts the loosening for the workspace', async () => {
    workspaceConfig = { toolApproval: { default: 'allow' } };
    promptAnswer = true;
    await start();
    script([call('p1', 'addItem', '{"name":"Glass hammer"}'), text('added'), call('g1', 'getItem', '{"itemId":1}'), text('found')]);
    await chat.conversations.send('add a glass hammer');
    await chat.conversations.send('item 1');
    assert.equal(prompts.length, 1, 'asked once for the workspace');
    const listed = prompts[0]!.map((item) => item.tool).sort();
    assert.deepEqual(listed, ['inventory.addItem', 'inventory.bigExport', 'inventory.deleteItem', 'inventory.getItem', 'inventory.getLogo', 'inventory.listItems', 'inventory.secureReport', 'inventory.slowReport', 'workspace-tools.create_file', 'workspace-tools.propose_edit']);
    assert.deepEqual(statusesOf('p1'), ['checking', 'running', 'done']);
    assert.deepEqual(statusesOf('g1'), ['checking', 'running', 'done']);
    assert.deepEqual(apiCalls(), ['POST /items', 'GET /items/1']);
  });

  it('the user\'s own config loosens freely, without a prompt', async () => {
    userConfig = { toolApproval: { default: 'allow' } };
    await start();
    script([call('p1', 'addItem', '{"name":"Glass hammer"}'), text('added')]);
    await chat.conversations.send('add a glass hammer');
    assert.deepEqual(statusesOf('p1'), ['checking', 'running', 'done']);
    assert.deepEqual(prompts, []);
  });

  it('a workspace may make approval stricter: its deny and "default: ask" win over the user\'s allow and "Always allow"', async () => {
    userConfig = { toolApproval: { default: 'allow' } };
    workspaceConfig = { toolApproval: { default: 'ask', deny: ['inventory.listItems'] } };
    await start();
    alwaysAllowed.add('inventory.getItem');
    script([call('g1', 'getItem', '{"itemId":1}'), text('asked'), call('l1', 'listItems', '{}'), text('denied')]);
    await chat.conversations.send('item 1');
    await chat.conversations.send('list');
    assert.deepEqual(statusesOf('g1'), ['checking', 'awaiting-approval', 'denied']);
    assert.deepEqual(statusesOf('l1'), ['checking', 'denied']);
    assert.deepEqual(prompts, []);
    assert.deepEqual(apiCalls(), []);
  });

  it('without a way to ask the user, a workspace loosening is simply ignored', async () => {
    workspaceConfig = { toolApproval: { default: 'allow' } };
    askable = false;
    await start();
    script([call('p1', 'addItem', '{"name":"x"}'), text('not added')]);
    await chat.conversations.send('add x');
    assert.deepEqual(statusesOf('p1'), ['checking', 'awaiting-approval', 'denied']);
    assert.deepEqual(apiCalls(), []);
  });
});

describe('tool-calling limits across the trust boundary', () => {
  it('a workspace may lower the round and tool budgets but not raise them above the user\'s or the defaults', () => {
    const raised = mergeToolCalling([{ toolCalling: { maxRounds: 3, maxTools: 10 } }, { toolCalling: { maxRounds: 50, maxTools: 128, maxTokens: 100_000 } }]);
    assert.deepEqual([raised.maxRounds, raised.budget?.maxTools, raised.budget?.maxTokens], [3, 10, 8000]);
    const unset = mergeToolCalling([undefined, { toolCalling: { maxRounds: 50 } }]);
    assert.equal(unset.maxRounds, 5);
    const lowered = mergeToolCalling([{ toolCalling: { maxRounds: 8 } }, { toolCalling: { maxRounds: 2, maxTools: 4, maxTokens: 1000 } }]);
    assert.deepEqual([lowered.maxRounds, lowered.budget?.maxTools, lowered.budget?.maxTokens], [2, 4, 1000]);
    const userOnly = mergeToolCalling([{ toolCalling: { maxRounds: 20 } }]);
    assert.equal(userOnly.maxRounds, 20, 'the user may raise their own limit');
  });

  it('a workspace cannot turn tools back on for a model the user turned them off for', () => {
    const merged = mergeToolCalling([{ toolCalling: { models: { 'qwen:7b': 'off' } } }, { toolCalling: { models: { 'qwen:7b': 'native', 'llama:8b': 'off' } } }]);
    assert.deepEqual(merged.modelModes, { 'qwen:7b': 'off', 'llama:8b': 'off' });
  });
});

describe('plugin selection across the trust boundary', () => {
  it('a workspace\'s plugins.enabled list narrows the user\'s own list but cannot widen it', () => {
    const merged = mergePluginSections([{ plugins: { enabled: ['notes', 'weather'] } }, { plugins: { enabled: ['weather', 'shell-runner'] } }]);
    assert.deepEqual(merged.enabled, ['weather']);
    assert.deepEqual(mergePluginSections([undefined, { plugins: { enabled: ['weather'] } }]).enabled, ['weather'], 'without a list of the user\'s, the workspace\'s only narrows');
  });
});
