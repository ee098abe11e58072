/**
 * The tool-calling loop end to end in plain Node: the bundled provider plugins against the
 * fake model server replaying real tool-call streams, an OpenAPI plugin folder for a real
 * local API, and approvals answered the way the chat's cards would.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChatServices } from '../../../src/core/chatServices';
import { defaultToolCalling } from '../../../src/core/tools/toolSessions';
import type { SessionEvent } from '../../../src/core/chat/chatSession';
import type { AssistantTurn, ToolCallView } from '../../../src/core/chat/conversation';
import { alwaysAllowKey } from '../../../src/core/tools/alwaysAllowed';
import type { ToolCallingSettings } from '../../../src/core/tools/toolSessions';
import type { ToolDecision } from '../../../src/core/tools/toolRunner';
import { FakeModelServer, type RecordedRequest, type ScriptedResponse } from '../../support/fakeModelServer';
import { InventoryApi } from '../../support/inventoryApi';
import { ManualClock } from '../../support/manualClock';
import { stepsFor } from '../../support/wireFormats';
import { bundledPlugins, fakeEndpoint, testBackend } from '../../support/testBackend';

/** An OpenAI SSE body from deltas, ending with a finish chunk and [DONE]. */
function sse(deltas: object[], finishReason = 'tool_calls'): ScriptedResponse {
  const events = deltas.map((delta) => `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
  events.push(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: finishReason }] })}\n\n`, 'data: [DONE]\n\n');
  return { headers: { 'content-type': 'text/event-stream' }, steps: stepsFor(events.join('')), chunkSize: 7 };
}

function ndjson(lines: object[]): ScriptedResponse {
  return { headers: { 'content-type': 'application/x-ndjson' }, steps: stepsFor(lines.map((line) => `${JSON.stringify(line)}\n`).join('')) };
}

const text = (content: string) => sse([{ role: 'assistant', content }], 'stop');

describe('the tool-calling loop', function () {
  this.timeout(20_000);
  let models: FakeModelServer;
  let api: InventoryApi;
  let pluginsDir: string;
  let chat: ChatServices;
  let events: SessionEvent[];
  /** How the next approval cards are answered; 'wait' leaves the card waiting. */
  let decisions: (ToolDecision | 'wait')[];
  let toolSettings: Partial<ToolCallingSettings>;
  let alwaysAllowed: Set<string>;
  /** What tool call timeouts wait on: time passes only when a test advances it. */
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock();
    models = await FakeModelServer.start();
    api = await InventoryApi.start();
    pluginsDir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-tools-'));
    await mkdir(path.join(pluginsDir, 'inventory'));
    await writeFile(path.join(pluginsDir, 'inventory', 'ai-plugin.json'), JSON.stringify(InventoryApi.pluginManifest()));
    await writeFile(path.join(pluginsDir, 'inventory', 'openapi.yaml'), api.spec());
    events = [];
    decisions = [];
    toolSettings = {};
    alwaysAllowed = new Set();
  });

  afterEach(async () => {
    await chat?.dispose();
    await models.close();
    await api.close();
    await rm(pluginsDir, { recursive: true, force: true });
  });

  async function start(providerType: 'openai-compatible' | 'ollama' = 'openai-compatible', selected?: { providerId: string; modelId: string }): Promise<void> {
    ({ backend: chat } = testBackend({
      pluginRoots: () => [{ dir: bundledPlugins, source: 'bundled' }, { dir: pluginsDir, source: 'global' }],
      endpointLayers: () => fakeEndpoint(providerType === 'ollama' ? models.url : models.openAiBaseUrl, providerType),
      loadSelectedModel: () => selected ?? { providerId: 'fake', modelId: providerType === 'ollama' ? 'fake-llama:latest' : 'fake-model' },
      toolCalling: () => toolSettings,
      alwaysAllowedTools: () => alwaysAllowed,
      rememberAlwaysAllowedTool: (name) => alwaysAllowed.add(name),
      clock,
    }));
    chat.conversations.onEvent((event) => {
      events.push(event);
      if (event.type === 'toolCall' && event.call.status === 'awaiting-approval') {
        const decision = decisions.shift() ?? 'once';
        if (decision !== 'wait') setTimeout(() => chat.tools.decide(event.call.id, decision), 5);
      }
    });
    await chat.models.refresh();
  }

  function script(responses: ScriptedResponse[]): void {
    let next = 0;
    models.onChat = () => responses[next++];
  }

  const chatRequests = (): RecordedRequest[] => models.requests.filter((r) => r.path.endsWith('/chat/completions') || r.path === '/api/chat');
  const body = (index: number) => chatRequests()[index]?.json as { messages: { role: string; content: string; tool_calls?: unknown[]; tool_call_id?: string }[]; tools?: { function: { name: string } }[] };
  const answer = () => chat.conversations.conversation.turns.at(-1) as AssistantTurn;
  const finalCalls = (): ToolCallView[] => answer().toolCalls ?? [];
  const statusesOf = (callId: string) => events.filter((e): e is Extract<SessionEvent, { type: 'toolCall' }> => e.type === 'toolCall' && e.call.id === callId).map((e) => e.call.status);

  it('offers the API\'s operations natively, asks, calls the API, and gives the model the result', async () => {
    await start();
    script([
      sse([
        { role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'getItem', arguments: '' } }] },
        { tool_calls: [{ index: 0, function: { arguments: '{"item' } }] },
        { tool_calls: [{ index: 0, function: { arguments: 'Id": 1}' } }] },
      ]),
      text('You have 3 left-handed screwdrivers.'),
    ]);
    await chat.conversations.send('How many screwdrivers do we have?');
    // With the bundled workspace-tools plugin's read-only tools (offered in any workspace).
    assert.deepEqual(body(0).tools?.map((tool) => tool.function.name).sort(), ['addItem', 'bigExport', 'deleteItem', 'getItem', 'getLogo', 'get_problems', 'get_selection', 'listItems', 'list_files', 'read_file', 'search_text', 'secureReport', 'slowReport']);
    assert.deepEqual(api.requests.map((r) => `${r.method} ${r.path}`), ['GET /items/1']);
    const second = body(1).messages;
    assert.deepEqual(second.at(-2)?.tool_calls, [{ id: 'call_a', type: 'function', function: { name: 'getItem', arguments: '{"itemId": 1}' } }]);
    assert.deepEqual({ role: second.at(-1)?.role, tool_call_id: second.at(-1)?.tool_call_id }, { role: 'tool', tool_call_id: 'call_a' });
    assert.match(second.at(-1)?.content ?? '', /Left-handed screwdriver/);
    assert.equal(answer().content, 'You have 3 left-handed screwdrivers.');
    assert.equal(answer().status, 'complete');
    assert.deepEqual(statusesOf('call_a'), ['checking', 'awaiting-approval', 'running', 'done']);
    const card = finalCalls()[0]!;
    assert.deepEqual([card.plugin, card.qualifiedName, card.method, card.url], ['inventory', 'inventory.getItem', 'GET', `${api.url}/items/1`]);
    assert.equal(card.canAlwaysAllow, true);
    assert.match(card.result ?? '', /Left-handed screwdriver/);
    assert.deepEqual(answer().toolsOffered, { names: body(0).tools?.map((tool) => tool.function.name), total: 13, mode: 'native' });
  });

  it('tells parallel calls apart by index, even starting at 1, with continuation pieces carrying empty ids', async () => {
    await start();
    script([
      sse([
        { tool_calls: [{ index: 1, id: 'c1', type: 'function', function: { name: 'getItem', arguments: '{"it' } }] },
        { tool_calls: [{ index: 2, id: 'c2', type: 'function', function: { name: 'listItems', arguments: '{"li' } }] },
        { tool_calls: [{ index: 1, id: '', function: { name: '', arguments: 'emId":2}' } }] },
        { tool_calls: [{ index: 2, id: '', function: { arguments: 'mit":1}' } }] },
      ]),
      text('Done.'),
    ]);
    await chat.conversations.send('Look up item 2 and one item of the list');
    assert.deepEqual(api.requests.map((r) => `${r.method} ${r.path}`), ['GET /items/2', 'GET /items?limit=1']);
    assert.deepEqual(body(1).messages.filter((m) => m.role === 'tool').map((m) => m.tool_call_id), ['c1', 'c2']);
  });

  it('reads whole calls without index (Ollama\'s /v1) and whole arguments in one chunk', async () => {
    await start();
    script([
      sse([
        { tool_calls: [{ id: 'w1', type: 'function', function: { name: 'getItem', arguments: '{"itemId":1}' } }] },
        { tool_calls: [{ id: 'w2', type: 'function', function: { name: 'getItem', arguments: '{"itemId":2}' } }] },
      ]),
      text('Both found.'),
    ]);
    await chat.conversations.send('items 1 and 2');
    assert.deepEqual(api.requests.map((r) => r.path), ['/items/1', '/items/2']);
  });

  it('takes Ollama\'s native tool calls (whole, arguments as an object, no ids)', async () => {
    models.ollamaModels = [{ name: 'fake-llama:latest', contextLength: 8192, capabilities: ['completion', 'tools'] }];
    await start('ollama');
    script([
      ndjson([
        { model: 'fake-llama:latest', message: { role: 'assistant', content: '', tool_calls: [{ function: { name: 'getItem', arguments: { itemId: 2 } } }] }, done: false },
        { model: 'fake-llama:latest', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' },
      ]),
      ndjson([
        { model: 'fake-llama:latest', message: { role: 'assistant', content: 'Tartan paint is out of stock.' }, done: false },
        { model: 'fake-llama:latest', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' },
      ]),
    ]);
    await chat.conversations.send('Do we have tartan paint?');
    assert.deepEqual(api.requests.map((r) => r.path), ['/items/2']);
    const sent = body(0) as unknown as { tools: { type: string; function: { name: string } }[] };
    assert.ok(sent.tools.some((tool) => tool.type === 'function' && tool.function.name === 'getItem'));
    const followUp = body(1).messages as unknown as { role: string; content: string; tool_calls?: { function: { name: string; arguments: unknown } }[]; tool_name?: string }[];
    assert.deepEqual(followUp.at(-2)?.tool_calls, [{ function: { name: 'getItem', arguments: { itemId: 2 } } }]);
    assert.equal(followUp.at(-1)?.tool_name, 'getItem');
    assert.equal(answer().content, 'Tartan paint is out of stock.');
  });

  it('describes tools in the prompt from the start for an Ollama model without the tools capability', async () => {
    await start('ollama');
    script([
      ndjson([
        { model: 'fake-llama:latest', message: { role: 'assistant', content: 'No tools needed.' }, done: false },
        { model: 'fake-llama:latest', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' },
      ]),
    ]);
    await chat.conversations.send('hello');
    assert.equal(body(0).tools, undefined);
    assert.match(body(0).messages[0]?.content ?? '', /You can call tools to answer/);
    assert.equal(answer().toolsOffered?.mode, 'prompt');
  });

  it('tells the model a denied call was denied, and calls nothing', async () => {
    await start();
    decisions = ['deny'];
    script([sse([{ tool_calls: [{ index: 0, id: 'd1', type: 'function', function: { name: 'deleteItem', arguments: '{"itemId":1}' } }] }]), text('I did not delete it.')]);
    await chat.conversations.send('delete item 1');
    assert.deepEqual(api.requests, []);
    assert.match(body(1).messages.at(-1)?.content ?? '', /The user denied the call to "deleteItem"/);
    const card = finalCalls()[0]!;
    assert.deepEqual([card.status, card.method, card.canAlwaysAllow], ['denied', 'DELETE', false]);
  });

  it('remembers "Always allow" for a GET tool, and follows toolApproval rules without asking', async () => {
    await start();
    decisions = ['always'];
    const call = (id: string, name: string, args: string) => sse([{ tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: args } }] }]);
    script([call('g1', 'getItem', '{"itemId":1}'), text('one'), call('g2', 'getItem', '{"itemId":2}'), text('two')]);
    await chat.conversations.send('item 1');
    await chat.conversations.send('item 2');
    assert.deepEqual([...alwaysAllowed], [alwaysAllowKey({ source: 'global', location: path.join(pluginsDir, 'inventory') }, 'inventory.getItem')]);
    assert.deepEqual(statusesOf('g2'), ['checking', 'running', 'done']);

    toolSettings = { approval: { default: 'ask', allow: ['inventory.addItem'], deny: ['inventory.deleteItem'] } };
    script([
      sse([
        { tool_calls: [{ index: 0, id: 'p1', type: 'function', function: { name: 'addItem', arguments: '{"name":"Glass hammer"}' } }] },
        { tool_calls: [{ index: 1, id: 'p2', type: 'function', function: { name: 'deleteItem', arguments: '{"itemId":1}' } }] },
      ]),
      text('added, not deleted'),
    ]);
    await chat.conversations.send('add a glass hammer and delete item 1');
    assert.deepEqual(statusesOf('p1'), ['checking', 'running', 'done']);
    assert.deepEqual(statusesOf('p2'), ['checking', 'denied']);
    assert.deepEqual(api.requests.map((r) => `${r.method} ${r.path}`), ['GET /items/1', 'GET /items/2', 'POST /items']);
  });

  it('checks arguments against the schema before any request, and tells the model what is wrong', async () => {
    await start();
    script([sse([{ tool_calls: [{ index: 0, id: 'bad', type: 'function', function: { name: 'getItem', arguments: '{"itemId":"one"}' } }] }]), text('sorry')]);
    await chat.conversations.send('item one');
    assert.deepEqual(api.requests, []);
    assert.match(body(1).messages.at(-1)?.content ?? '', /do not match its schema: "itemId" must be integer/);
    assert.deepEqual(statusesOf('bad'), ['checking', 'failed']);
  });

  it('cuts a 5 MB tool result for the model', async () => {
    await start();
    script([sse([{ tool_calls: [{ index: 0, id: 'big', type: 'function', function: { name: 'bigExport', arguments: '{}' } }] }]), text('big')]);
    await chat.conversations.send('export everything');
    const toolMessage = body(1).messages.at(-1)?.content ?? '';
    assert.ok(toolMessage.length < 20_000, `${toolMessage.length} characters sent to the model`);
    assert.match(toolMessage, /Response cut for the model: 5,242,880 bytes in all/);
  });

  it('gives up on a tool that takes too long, and the answer goes on', async () => {
    toolSettings = { timeoutMs: 300 };
    await start();
    script([sse([{ tool_calls: [{ index: 0, id: 'slow', type: 'function', function: { name: 'slowReport', arguments: '{}' } }] }]), text('it timed out')]);
    const sending = chat.conversations.send('the slow report please');
    await clock.advanceWhenDue(300);
    await sending;
    assert.deepEqual(statusesOf('slow').at(-1), 'failed');
    assert.match(body(1).messages.at(-1)?.content ?? '', /did not finish within/);
    assert.equal(answer().content, 'it timed out');
    assert.equal(chat.plugins.records().find((p) => p.candidate.id === 'inventory')?.status, 'loaded', 'a slow API is not a broken plugin');
  });

  it('falls back to tools described in the prompt when the model cannot take native tools', async () => {
    await start();
    script([
      { status: 400, steps: [{ kind: 'write', data: '{"error":{"message":"registry.ollama.ai/library/gemma:2b does not support tools"}}' }] },
      text('Let me look. <tool_call>{"name": "getItem", "arguments": {"itemId": 1}}</tool_call>'),
      text('There are 3.'),
    ]);
    await chat.conversations.send('How many screwdrivers?');
    assert.ok(body(0).tools, 'the first request offered tools natively');
    assert.equal(body(1).tools, undefined, 'the retry described them instead');
    assert.match(body(1).messages[0]?.content ?? '', /You can call tools to answer/);
    assert.deepEqual(api.requests.map((r) => r.path), ['/items/1']);
    assert.match(body(2).messages.at(-1)?.content ?? '', /Result of the tool call getItem/);
    assert.equal(answer().content, 'Let me look. \n\nThere are 3.');
    assert.equal(answer().toolsOffered?.mode, 'prompt');
    // The model is remembered as prompt-only.
    script([text('no tools needed')]);
    await chat.conversations.send('thanks');
    assert.equal(body(3).tools, undefined);
  });

  it('describes tools in the prompt to a plugin provider that does not declare tool support, and runs the call it writes', async () => {
    // A provider in the style of the README's echo example: it never looks at request.tools.
    await writeFile(path.join(pluginsDir, 'plain.js'), `
      exports.activate = (context) => {
        context.registerProvider({
          id: 'plain',
          label: 'Plain',
          listModels: async () => [{ id: 'plain-model' }],
          async *chat(request) {
            const system = request.messages.find((message) => message.role === 'system')?.content ?? '';
            const last = request.messages.at(-1)?.content ?? '';
            if (last.includes('Result of the tool call getItem')) yield { type: 'text', text: 'There are 3.' };
            else if (system.includes('<tool_call>')) yield { type: 'text', text: '<tool_call>{"name": "getItem", "arguments": {"itemId": 1}}</tool_call>' };
            else yield { type: 'text', text: 'I was offered no tools.' };
          },
        });
      };
    `);
    await start('openai-compatible', { providerId: 'plain', modelId: 'plain-model' });
    await chat.conversations.send('How many screwdrivers?');
    assert.deepEqual(api.requests.map((r) => r.path), ['/items/1']);
    assert.equal(answer().content, 'There are 3.');
    assert.equal(answer().toolsOffered?.mode, 'prompt', 'the note says the tools were described in the prompt');
  });

  it('uses prompt-based calling when config.yaml says so for the model, and finds calls a server leaked as text', async () => {
    toolSettings = { modelModes: { 'fake-model': 'prompt' } };
    await start();
    script([text('<tool_call>\n{"name": "listItems", "arguments": {"limit": 1}}\n</tool_call>'), text('One item.')]);
    await chat.conversations.send('list one item');
    assert.equal(body(0).tools, undefined);
    assert.deepEqual(api.requests.map((r) => r.path), ['/items?limit=1']);
    assert.equal(answer().content, 'One item.');
  });

  it('stops after the configured number of rounds', async () => {
    toolSettings = { maxRounds: 2 };
    await start();
    const again = (id: string) => sse([{ tool_calls: [{ index: 0, id, type: 'function', function: { name: 'listItems', arguments: '{}' } }] }]);
    script([again('r1'), again('r2'), again('r3')]);
    await chat.conversations.send('loop forever');
    assert.equal(answer().status, 'incomplete');
    assert.match(answer().problem?.message ?? '', /still calling tools after 2 rounds/);
    assert.equal(api.requests.length, 1);
  });

  it('Stop while a card waits for approval cancels the call and the answer', async () => {
    await start();
    decisions = ['wait'];
    chat.conversations.onEvent((event) => {
      if (event.type === 'toolCall' && event.call.status === 'awaiting-approval') setTimeout(() => chat.conversations.stop(), 5);
    });
    script([sse([{ tool_calls: [{ index: 0, id: 's1', type: 'function', function: { name: 'addItem', arguments: '{"name":"x"}' } }] }])]);
    await chat.conversations.send('add x');
    assert.equal(answer().status, 'stopped');
    assert.deepEqual(api.requests, []);
    assert.deepEqual(statusesOf('s1'), ['checking', 'awaiting-approval', 'cancelled']);
    assert.equal(chatRequests().length, 1, 'nothing more was asked of the model');
  });

  it('offers no more tools than the budget allows, the most relevant first', async () => {
    toolSettings = { budget: { maxTools: 2, maxTokens: 8000 } };
    await start();
    script([text('ok')]);
    await chat.conversations.send('please list the items in the inventory');
    assert.equal(body(0).tools?.length, 2);
    assert.equal(body(0).tools?.[0]?.function.name, 'listItems');
    // 8 of the API and the 5 read-only workspace tools.
    assert.deepEqual([answer().toolsOffered?.names.length, answer().toolsOffered?.total], [2, 13]);
  });

  it('keeps defaults in step with the documented ones', () => {
    assert.deepEqual([defaultToolCalling.maxRounds, defaultToolCalling.budget.maxTools, defaultToolCalling.timeoutMs], [5, 64, 60_000]);
  });
});
