/**
 * The read-only workspace tools in a real VS Code: the model (the fake server) searches the
 * workspace with `search_text`, reads the hit with `read_file`, then proposes a change with
 * `propose_edit`. The two reads run without an approval card (read-only tools of the bundled
 * plugin) and the three cards read as one sequence in the answer; a `read_file` of
 * `../outside.txt` is refused with a message naming the path. `get_problems` and
 * `get_selection` read the editor's diagnostics and selection.
 */
import assert from 'node:assert/strict';
import { FakeModelServer, type RecordedRequest } from '../support/fakeModelServer';
import { ask, chooseModel, newChat } from './support/chatPanel';
import type { Workbench } from './support/workbench';
import { createWorkspace, fakeServerConfig, tearDown } from './support/fixtureWorkspace';
import { openVsCode, screenshotFailure, type VsCodeSession } from './support/vsCodeSession';
import { sseReply } from './support/scriptedReplies';

interface ChatBody {
  messages: { role: string; content: string | null; tool_call_id?: string }[];
}

const GREET = 'export function greetUser(name) {\n  return "Hello, " + name;\n}\n';

/** The model's side: search, read the file the search found, propose a change; or read outside the workspace. */
function scriptedModel(request: RecordedRequest) {
  const body = request.json as ChatBody;
  const last = body.messages.at(-1);
  const call = (name: string, args: object) => sseReply({ role: 'assistant', tool_calls: [{ index: 0, id: `call_${name}_${body.messages.length}`, type: 'function', function: { name, arguments: JSON.stringify(args) } }] }, 'tool_calls');
  const content = String(last?.content ?? '');
  if (last?.role === 'user' && /greet/.test(content)) return call('search_text', { query: 'greetUser' });
  if (last?.role === 'user' && /outside/.test(content)) return call('read_file', { path: '../outside.txt' });
  if (last?.role === 'user' && /problems/.test(content)) return call('get_problems', { path: 'broken.json' });
  if (last?.role === 'user' && /selection/.test(content)) return call('get_selection', {});
  if (last?.role === 'tool') {
    const hit = /(src\/[\w.]+):(\d+):/.exec(content);
    if (/\d+ match(es)?:/.test(content) && hit) return call('read_file', { path: hit[1] });
    if (/lines 1-3 of 3/.test(content)) return call('propose_edit', { path: 'src/greet.js', edits: [{ search: '"Hello, "', replace: '"Hi, "' }] });
    return sseReply({ role: 'assistant', content: `Tool said: ${content.replace(/<\/?tool_result[^>]*>/g, '').trim()}` }, 'stop');
  }
  return undefined;
}

describe('workspace tools in a real VS Code', function () {
  let fake: FakeModelServer;
  let workspace: string;
  let session: VsCodeSession;
  let workbench: Workbench;

  before(async function () {
    fake = await FakeModelServer.start();
    fake.onChat = scriptedModel;
    workspace = createWorkspace('patchbay-wstools-', {
      '.patchbay/config.yaml': fakeServerConfig(fake),
      'src/greet.js': GREET,
      'README.md': '# Greeter\n',
      'broken.json': '{\n  "name": "greeter",\n  "version": \n}\n',
    });
    session = await openVsCode(workspace);
    workbench = session.workbench;
  });

  after(async () => {
    await tearDown(workspace, session, fake);
  });

  afterEach(async function () {
    await screenshotFailure(workbench, 'workspace-tools-', this.currentTest);
  });

  it('searches, reads the hit without asking, then proposes an edit: one sequence of cards', async () => {
    await workbench.runCommand('Patchbay: Open Chat');
    const chat = await workbench.chat();
    await chooseModel(chat, 'fake-model');
    const answering = ask(chat, 'Make greet say Hi');
    const proposeCard = chat.locator('section.tool-call', { hasText: 'propose_edit' }).last();
    const allow = proposeCard.getByRole('button', { name: 'Allow once', exact: true });
    await allow.waitFor({ timeout: 60_000 });
    // The reads ran before any card asked: no approval buttons on theirs.
    const cards = chat.locator('section.tool-call');
    const titles = await cards.allInnerTexts();
    const order = ['search_text', 'read_file', 'propose_edit'].map((name) => titles.findIndex((text) => text.includes(name)));
    assert.deepEqual(order, [0, 1, 2], titles.join('\n---\n'));
    for (const name of ['search_text', 'read_file']) {
      const card = cards.filter({ hasText: name }).last();
      assert.equal(await card.getByRole('button', { name: 'Allow once', exact: true }).count(), 0, `${name} ran without asking`);
    }
    await workbench.screenshot('60-workspace-tools-sequence');
    await allow.click();
    const text = await answering;
    assert.match(text, /Tool said: .*Proposed the change to src\/greet\.js/s);
    const requests = fake.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.json as ChatBody);
    const toolResults = requests.flatMap((body) => body.messages.filter((m) => m.role === 'tool').map((m) => String(m.content)));
    assert.ok(toolResults.some((result) => /src\/greet\.js:1: export function greetUser\(name\) \{/.test(result)), toolResults.join('\n'));
    assert.ok(toolResults.some((result) => /src\/greet\.js, lines 1-3 of 3:\nexport function greetUser/.test(result)), toolResults.join('\n'));
  });

  it('get_problems gives the editor\'s diagnostics of a file, and get_selection the selected lines', async () => {
    await workbench.openFile('broken.json');
    // The JSON language service reports the missing value once the file is open.
    await workbench.page.locator('.squiggly-error').first().waitFor({ timeout: 60_000 });
    const chat = await workbench.chat();
    await newChat(chat);
    const problems = await ask(chat, 'what problems does broken.json have?');
    assert.match(problems, /\d+ problems?:\s*broken\.json:[34]: error/);
    await workbench.openFile('greet.js');
    await workbench.page.locator('.editor-instance .view-lines', { hasText: 'greetUser' }).first().click();
    await workbench.page.keyboard.press('ControlOrMeta+A');
    const selected = await ask(chat, 'explain my selection');
    assert.match(selected, /src\/greet\.js, lines 1-\d:\s*export function greetUser\(name\) \{/);
  });

  it('refuses read_file of ../outside.txt with a message naming the path', async () => {
    const chat = await workbench.chat();
    await newChat(chat);
    const text = await ask(chat, 'read the outside file');
    assert.match(text, /"\.\.\/outside\.txt" is outside the workspace folders/);
    const card = chat.locator('section.tool-call', { hasText: 'read_file' }).last();
    // The error sits in the card's collapsed result: open it.
    await card.locator('details summary').last().click();
    await card.getByText(/outside the workspace folders/).first().waitFor({ timeout: 10_000 });
    assert.match(await card.innerText(), /Failed[\s\S]*"\.\.\/outside\.txt" is outside the workspace folders/);
    await workbench.screenshot('61-workspace-tools-outside');
  });
});
