/**
 * OpenAPI tools end to end in a real VS Code: a workspace plugin folder with an
 * `ai-plugin.json` for a small local API; the model (the fake server) calls it; the user
 * sees the approval card, allows it, and the answer uses the API's result; a denied call
 * never reaches the API and the model is told.
 */
import assert from 'node:assert/strict';
import { FakeModelServer, type RecordedRequest } from '../support/fakeModelServer';
import { InventoryApi } from '../support/inventoryApi';
import { ask, chooseModel, lastAnswer } from './support/chatPanel';
import type { Workbench } from './support/workbench';
import { createWorkspace, fakeServerConfig, tearDown } from './support/fixtureWorkspace';
import { openVsCode, screenshotFailure, type VsCodeSession } from './support/vsCodeSession';
import { sseReply } from './support/scriptedReplies';

interface ChatBody {
  messages: { role: string; content: string | null }[];
  tools?: { function: { name: string } }[];
}

/** The model's side: call a tool for certain questions, then answer from the tool's result. */
function scriptedModel(request: RecordedRequest) {
  const body = request.json as ChatBody;
  const last = body.messages.at(-1);
  const call = (name: string, args: object) => sseReply({ role: 'assistant', tool_calls: [{ index: 0, id: `call_${name}`, type: 'function', function: { name, arguments: JSON.stringify(args) } }] }, 'tool_calls');
  if (last?.role === 'tool') {
    // The result comes marked as a tool's output; the model reads what is inside the block.
    const content = String(last.content).replace(/^<tool_result[^>]*>\n\[[^\n]*\]\n([\s\S]*)\n<\/tool_result>$/, '$1');
    return sseReply({ role: 'assistant', content: /denied/.test(content) ? 'Understood: I did not delete anything.' : `The inventory API says: ${content}` }, 'stop');
  }
  if (last?.role === 'user' && /screwdrivers/.test(String(last.content))) return call('getItem', { itemId: 1 });
  if (last?.role === 'user' && /delete/i.test(String(last.content))) return call('deleteItem', { itemId: 2 });
  return undefined;
}

describe('OpenAPI tools in a real VS Code', function () {
  let fake: FakeModelServer;
  let api: InventoryApi;
  let workspace: string;
  let session: VsCodeSession;
  let workbench: Workbench;

  before(async function () {
    fake = await FakeModelServer.start();
    fake.onChat = scriptedModel;
    api = await InventoryApi.start();
    workspace = createWorkspace('patchbay-tools-workspace-', {
      '.patchbay/config.yaml': fakeServerConfig(fake),
      '.patchbay/plugins/inventory/ai-plugin.json': JSON.stringify(InventoryApi.pluginManifest()),
      '.patchbay/plugins/inventory/openapi.yaml': api.spec(),
    });
    session = await openVsCode(workspace);
    workbench = session.workbench;
  });

  after(async () => {
    await tearDown(workspace, session, fake, api);
  });

  afterEach(async function () {
    await screenshotFailure(workbench, 'tools-', this.currentTest);
  });

  it('shows the approval card, calls the API once allowed, and the answer uses its result', async () => {
    await workbench.runCommand('Patchbay: Open Chat');
    const chat = await workbench.chat();
    await chooseModel(chat, 'fake-model');
    const answering = ask(chat, 'How many screwdrivers do we have?');
    const card = chat.locator('section.tool-call', { hasText: 'getItem' }).last();
    const allow = card.getByRole('button', { name: 'Allow once', exact: true });
    await allow.waitFor({ timeout: 30_000 });
    const cardText = await card.innerText();
    assert.match(cardText, new RegExp(`GET ${api.url.replace(/[.]/g, '\\.')}/items/1`));
    assert.match(cardText, /"itemId": 1/);
    assert.equal(await card.getByRole('button', { name: 'Always allow this tool', exact: true }).count(), 1);
    assert.equal(api.requests.length, 0, 'nothing is called before the user allows it');
    await workbench.screenshot('20-tool-approval-card');
    await allow.click();
    const text = await answering;
    assert.match(text, /The inventory API says: \{"id":1,"name":"Left-handed screwdriver","stock":3\}/);
    assert.deepEqual(api.requests.map((r) => `${r.method} ${r.path}`), ['GET /items/1']);
    // The result is shown collapsed on the card.
    const result = card.locator('details');
    assert.equal(await result.first().evaluate((element) => (element as HTMLDetailsElement).open), false);
    await workbench.screenshot('21-tool-result-answer');
    // Every operation of the spec is offered (beside the bundled workspace tools).
    const offered = (fake.requests.find((r) => r.path.endsWith('/chat/completions'))?.json as ChatBody).tools?.map((tool) => tool.function.name) ?? [];
    for (const operation of ['getItem', 'deleteItem', 'listItems', 'addItem', 'secureReport', 'bigExport', 'getLogo', 'slowReport']) assert.ok(offered.includes(operation), `${operation} offered: ${offered.join(', ')}`);
  });

  it('tells the model when the user denies a call, and the API is never called', async () => {
    const chat = await workbench.chat();
    const before = api.requests.length;
    const answering = ask(chat, 'Please delete item 2');
    const card = chat.locator('section.tool-call', { hasText: 'deleteItem' }).last();
    await card.getByRole('button', { name: 'Deny', exact: true }).waitFor({ timeout: 30_000 });
    assert.equal(await card.getByRole('button', { name: 'Always allow this tool', exact: true }).count(), 0, 'a DELETE is asked every time');
    await card.getByRole('button', { name: 'Deny', exact: true }).click();
    assert.match(await answering, /Understood: I did not delete anything\./);
    assert.equal(api.requests.length, before);
    const toolMessage = (fake.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)?.json as ChatBody).messages.at(-1);
    assert.equal(toolMessage?.role, 'tool');
    assert.match(String(toolMessage?.content), /The user denied the call to "deleteItem"/);
    assert.match(await lastAnswer(chat).innerText(), /Denied/);
    await workbench.screenshot('22-tool-denied');
  });
});
