/**
 * Proposed edits end to end in a real VS Code: the model (the fake server) calls the bundled
 * workspace-tools plugin's `propose_edit` and `create_file`; the user allows the call, reviews
 * the proposal in VS Code's diff editor and decides on it from the tool call's card or the diff
 * editor's title bar. Accept changes the file as one undo step; Reject, a stale proposal and a
 * path outside the workspace leave the files as they were, with the reason on the card.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame, Locator } from 'playwright-core';
import { FakeModelServer, type RecordedRequest } from '../support/fakeModelServer';
import { chooseModel, lastAnswer, send } from './support/chatPanel';
import type { Workbench } from './support/workbench';
import { createWorkspace, fakeServerConfig, tearDown } from './support/fixtureWorkspace';
import { openVsCode, screenshotFailure, type VsCodeSession } from './support/vsCodeSession';
import { sseReply } from './support/scriptedReplies';

interface ChatBody {
  messages: { role: string; content: string | null }[];
}

const GREET = 'export function greet(name) {\n  return "Hello, " + name;\n}\n';
const STALE = 'version = 1\n';
const BOM = '\uFEFF';
const OUTSIDE = 'not in the workspace\n';

/** What the model calls for each question (matched on a word of it). */
const CALLS: [RegExp, string, object][] = [
  [/friendlier/, 'propose_edit', { path: 'src/greet.js', edits: [{ search: '"Hello, "', replace: '"Hi there, "' }] }],
  [/shout/, 'propose_edit', { path: 'src/greet.js', edits: [{ search: 'return "Hello, " + name;', replace: 'return ("Hello, " + name).toUpperCase();' }] }],
  [/notes file/, 'create_file', { path: 'docs/notes.md', content: '# Notes\n\nWritten by the model.\n' }],
  [/version/, 'propose_edit', { path: 'version.txt', edits: [{ search: 'version = 1', replace: 'version = 2' }] }],
  [/byte order mark/, 'propose_edit', { path: 'bom.txt', edits: [{ search: 'colour', replace: 'color' }] }],
  [/outside/, 'propose_edit', { path: '../outside.txt', edits: [{ search: 'not in', replace: 'now in' }] }],
];

/** The model's side: call a tool for the questions above, then say what the tool answered. */
function scriptedModel(request: RecordedRequest) {
  const body = request.json as ChatBody;
  const last = body.messages.at(-1);
  if (last?.role === 'tool') return sseReply({ role: 'assistant', content: 'The tool said so; it is up to you now.' }, 'stop');
  const question = String(last?.content ?? '');
  const found = CALLS.find(([words]) => words.test(question));
  if (last?.role !== 'user' || !found) return undefined;
  const [, name, args] = found;
  return sseReply({ role: 'assistant', tool_calls: [{ index: 0, id: `call_${name}`, type: 'function', function: { name, arguments: JSON.stringify(args) } }] }, 'tool_calls');
}

describe('Proposed edits in a real VS Code', function () {
  let fake: FakeModelServer;
  let root: string;
  let workspace: string;
  let session: VsCodeSession;
  let workbench: Workbench;
  let chat: Frame;

  const file = (relative: string) => path.join(workspace, relative);
  const diffEditor = () => workbench.page.locator('.editor-instance .monaco-diff-editor');
  const diffTab = (name: string) => workbench.page.locator('.tabs-container .tab', { hasText: name });

  /** Asks, allows the call if asked, and returns the call's card once the answer has ended. */
  async function askForProposal(question: string, tool: string): Promise<Locator> {
    const before = await chat.locator('article.turn-assistant').count();
    await send(chat, question);
    await chat.locator('article.turn-assistant').nth(before).waitFor({ timeout: 30_000 });
    const card = lastAnswer(chat).locator('section.tool-call', { hasText: tool }).last();
    const allow = card.getByRole('button', { name: 'Allow once', exact: true });
    const decided = card.locator('.tool-call-proposal:not([hidden]), .tool-call-status', { hasText: /proposed|error|fail/i });
    await allow.or(decided).first().waitFor({ timeout: 30_000 });
    if (await allow.isVisible()) await allow.click();
    await chat.waitForFunction(
      () => {
        const status = [...document.querySelectorAll('article.turn-assistant')].at(-1)?.getAttribute('data-status');
        return status !== null && status !== undefined && status !== 'streaming';
      },
      undefined,
      { timeout: 30_000 },
    );
    return card;
  }

  const proposal = (card: Locator) => card.locator('.tool-call-proposal');
  const decide = (card: Locator, label: 'Accept' | 'Reject') => proposal(card).getByRole('button', { name: new RegExp(`^${label} the proposed change`) });

  before(async function () {
    fake = await FakeModelServer.start();
    fake.onChat = scriptedModel;
    // The workspace is a folder of its own, so "../outside.txt" is a file of this test.
    root = createWorkspace('patchbay-edits-', {
      'outside.txt': OUTSIDE,
      'project/.patchbay/config.yaml': fakeServerConfig(fake),
      'project/src/greet.js': GREET,
      'project/version.txt': STALE,
      'project/bom.txt': `${BOM}colour\n`,
    });
    workspace = path.join(root, 'project');
    session = await openVsCode(workspace);
    workbench = session.workbench;
    // Room for the diff editor beside the chat (in the README's picture too).
    await workbench.runCommand('View: Hide Secondary Side Bar');
    await workbench.runCommand('Patchbay: Open Chat');
    chat = await workbench.chat();
    await chooseModel(chat, 'fake-model');
  });

  after(async () => {
    await tearDown(root, session, fake);
  });

  afterEach(async function () {
    await screenshotFailure(workbench, 'edits-', this.currentTest);
    // A diff a failed test left open is not the next test's.
    if (this.currentTest?.state === 'failed') await workbench.runCommand('View: Close All Editors');
  });

  it('opens the diff editor with a proposal; Accept on the card changes the file, and one undo restores it', async () => {
    const card = await askForProposal('Make the greeting friendlier', 'propose_edit');
    await decide(card, 'Accept').waitFor({ timeout: 30_000 });
    assert.match(await proposal(card).innerText(), /Change to src\/greet\.js \(\+1 −1 lines\): proposed for your review/);
    await diffEditor().waitFor({ timeout: 30_000 });
    await diffTab('greet.js').first().waitFor();
    assert.match(await diffEditor().locator('.editor.modified').innerText(), /Hi\sthere,/);
    assert.equal(readFileSync(file('src/greet.js'), 'utf8'), GREET, 'nothing is written before Accept');
    await workbench.screenshot('50-proposed-edit-diff');

    await decide(card, 'Accept').click();
    await proposal(card).filter({ hasText: /: accepted/ }).waitFor({ timeout: 15_000 });
    assert.equal(await decide(card, 'Accept').count(), 0, 'a decided proposal has no buttons');
    await diffEditor().waitFor({ state: 'detached', timeout: 15_000 });
    await waitForFile(file('src/greet.js'), GREET.replace('"Hello, "', '"Hi there, "'));

    await workbench.openFile('greet.js');
    const editor = workbench.page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines', { hasText: 'Hi there' }).waitFor({ timeout: 15_000 });
    await editor.locator('.view-lines').click();
    await workbench.page.keyboard.press('ControlOrMeta+Z');
    await editor.locator('.view-lines', { hasText: '"Hello, "' }).waitFor({ timeout: 15_000 });
    await workbench.page.keyboard.press('ControlOrMeta+S');
    await waitForFile(file('src/greet.js'), GREET);
  });

  it('Reject in the diff editor\'s title bar leaves the file as it was, and the card says Rejected', async () => {
    const card = await askForProposal('Make it shout', 'propose_edit');
    await decide(card, 'Reject').waitFor({ timeout: 30_000 });
    await diffEditor().waitFor({ timeout: 30_000 });
    const reject = workbench.page.locator('.editor-actions').getByRole('button', { name: 'Reject Proposed Change' });
    await reject.click();
    await proposal(card).filter({ hasText: /: rejected/ }).waitFor({ timeout: 15_000 });
    assert.match(await proposal(card).innerText(), /^Change to src\/greet\.js \(\+1 −1 lines\): rejected$/);
    await diffEditor().waitFor({ state: 'detached', timeout: 15_000 });
    assert.equal(readFileSync(file('src/greet.js'), 'utf8'), GREET);
  });

  it('create_file and Accept creates the file', async () => {
    const card = await askForProposal('Write a notes file', 'create_file');
    await decide(card, 'Accept').waitFor({ timeout: 30_000 });
    assert.match(await proposal(card).innerText(), /New file docs\/notes\.md/);
    await diffEditor().waitFor({ timeout: 30_000 });
    assert.equal(existsSync(file('docs/notes.md')), false, 'nothing is written before Accept');
    await decide(card, 'Accept').click();
    await proposal(card).filter({ hasText: /: accepted/ }).waitFor({ timeout: 15_000 });
    await waitForFile(file('docs/notes.md'), '# Notes\n\nWritten by the model.\n');
  });

  it('refuses to accept a proposal whose file changed since, with the reason on the card', async () => {
    const card = await askForProposal('Bump the version', 'propose_edit');
    await decide(card, 'Accept').waitFor({ timeout: 30_000 });
    await diffEditor().waitFor({ timeout: 30_000 });
    writeFileSync(file('version.txt'), 'version = 7\n');
    await decide(card, 'Accept').click();
    await proposal(card).filter({ hasText: 'The file changed since the proposal; ask again.' }).waitFor({ timeout: 15_000 });
    assert.equal(readFileSync(file('version.txt'), 'utf8'), 'version = 7\n');
    await decide(card, 'Reject').click();
    await proposal(card).filter({ hasText: /: rejected/ }).waitFor({ timeout: 15_000 });
  });

  it('accepts a change to a UTF-8 file that starts with a byte order mark, and keeps the mark', async () => {
    const card = await askForProposal('Fix the spelling in the file with a byte order mark', 'propose_edit');
    await decide(card, 'Accept').waitFor({ timeout: 30_000 });
    await diffEditor().waitFor({ timeout: 30_000 });
    await decide(card, 'Accept').click();
    await proposal(card).filter({ hasText: /: accepted/ }).waitFor({ timeout: 15_000 });
    await waitForFile(file('bom.txt'), `${BOM}color\n`);
  });

  it('refuses a path outside the workspace, with the message on the card', async () => {
    const card = await askForProposal('Edit the file outside', 'propose_edit');
    await card.filter({ hasText: 'Failed' }).waitFor({ timeout: 15_000 });
    // The refusal is the call's error, on the card under "Error" like any tool's.
    await card.locator('details.tool-call-result > summary', { hasText: 'Error' }).click();
    await card.locator('.tool-call-result-body', { hasText: '"../outside.txt" is outside the workspace folders (a path may not contain "..")' }).waitFor({ timeout: 15_000 });
    assert.equal(await proposal(card).isVisible(), false, 'nothing was proposed');
    assert.equal(readFileSync(path.join(root, 'outside.txt'), 'utf8'), OUTSIDE);
  });
});

async function waitForFile(file: string, text: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (now === text) return;
    if (Date.now() > deadline) assert.equal(now, text, `${file} on disk`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
