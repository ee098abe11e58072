/**
 * The trust boundary of tool approval in a real VS Code: a trusted workspace whose
 * .patchbay/config.yaml says `toolApproval: { default: allow }` does not get the user's
 * tools run without asking. The user is shown which tools the workspace wants to free;
 * declining keeps the approval card, and the decision is remembered for the workspace.
 */
import assert from 'node:assert/strict';
import { FakeModelServer, type RecordedRequest } from '../support/fakeModelServer';
import { InventoryApi } from '../support/inventoryApi';
import { ask, chooseModel } from './support/chatPanel';
import type { Workbench } from './support/workbench';
import { createWorkspace, fakeServerConfig, tearDown } from './support/fixtureWorkspace';
import { openVsCode, screenshotFailure, type VsCodeSession } from './support/vsCodeSession';
import { sseReply } from './support/scriptedReplies';

interface ChatBody {
  messages: { role: string; content: string | null }[];
}

/** The model adds an item when asked to, then reports what the tool said. */
function scriptedModel(request: RecordedRequest) {
  const last = (request.json as ChatBody).messages.at(-1);
  if (last?.role === 'tool') return sseReply({ role: 'assistant', content: /denied/.test(String(last.content)) ? 'Understood: nothing was added.' : 'Added.' }, 'stop');
  if (last?.role === 'user' && /add/i.test(String(last.content))) {
    return sseReply({ role: 'assistant', tool_calls: [{ index: 0, id: `call_add_${Date.now()}`, type: 'function', function: { name: 'addItem', arguments: '{"name":"Glass hammer"}' } }] }, 'tool_calls');
  }
  return undefined;
}

describe('tool approval across the trust boundary in a real VS Code', function () {
  let fake: FakeModelServer;
  let api: InventoryApi;
  let workspace: string;
  let session: VsCodeSession;
  let workbench: Workbench;

  before(async function () {
    fake = await FakeModelServer.start();
    fake.onChat = scriptedModel;
    api = await InventoryApi.start();
    workspace = createWorkspace('patchbay-approval-workspace-', {
      '.patchbay/config.yaml': fakeServerConfig(fake, 'toolApproval:\n  default: allow\n'),
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
    await screenshotFailure(workbench, 'approval-trust-', this.currentTest);
  });

  it('asks before a workspace\'s "default: allow" frees the user\'s tools, listing them; declining keeps the approval card', async () => {
    await workbench.runCommand('Patchbay: Open Chat');
    const chat = await workbench.chat();
    await chooseModel(chat, 'fake-model');
    const answering = ask(chat, 'Please add a glass hammer');
    const dialog = workbench.page.locator('.monaco-dialog-box', { hasText: 'wants to loosen your tool approval rules' });
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    const listed = await dialog.innerText();
    for (const tool of ['inventory.addItem', 'inventory.deleteItem', 'inventory.getItem']) assert.match(listed, new RegExp(tool.replace('.', '\\.')));
    assert.match(listed, /would run without asking you/);
    await workbench.screenshot('60-workspace-loosening-prompt');
    assert.equal(api.requests.length, 0, 'nothing runs while the user decides');
    await dialog.getByRole('button', { name: 'Keep Asking', exact: true }).click();

    const card = chat.locator('section.tool-call', { hasText: 'addItem' }).last();
    const deny = card.getByRole('button', { name: 'Deny', exact: true });
    await deny.waitFor({ timeout: 30_000 });
    assert.match(await card.innerText(), /POST/);
    assert.equal(api.requests.length, 0, 'the POST waits for the card');
    await workbench.screenshot('61-card-despite-workspace-allow');
    await deny.click();
    assert.match(await answering, /Understood: nothing was added\./);
    assert.equal(api.requests.length, 0);
  });

  it('remembers the decision for the workspace: the next call shows the card without asking again', async () => {
    const chat = await workbench.chat();
    const answering = ask(chat, 'Add a glass hammer again');
    const card = chat.locator('section.tool-call', { hasText: 'addItem' }).last();
    const allow = card.getByRole('button', { name: 'Allow once', exact: true });
    await allow.waitFor({ timeout: 30_000 });
    assert.equal(await workbench.page.locator('.monaco-dialog-box').count(), 0, 'no second prompt');
    await allow.click();
    assert.match(await answering, /Added\./);
    assert.deepEqual(api.requests.map((r) => `${r.method} ${r.path}`), ['POST /items']);
  });
});
