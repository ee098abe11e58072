/**
 * MCP servers end to end in a real VS Code: a workspace's .patchbay/config.yaml declares the
 * reference "everything" server over stdio. It does not run before the user allows it in the
 * modal (the Plugins view says it waits, and no such process exists); once allowed, the view
 * lists it connected with its tools; the model (the fake server) calls its `echo` tool, the
 * user approves the card, and the model reads the echoed text; a denied call never reaches
 * the server and the model is told.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { FakeModelServer, type RecordedRequest } from '../support/fakeModelServer';
import { ask, chooseModel } from './support/chatPanel';
import { repoRoot } from './support/codeServer';
import { createWorkspace, fakeServerConfig, tearDown } from './support/fixtureWorkspace';
import { openVsCode, screenshotFailure, type VsCodeSession } from './support/vsCodeSession';
import type { Workbench } from './support/workbench';
import { sseReply } from './support/scriptedReplies';

const everythingServer = path.join(repoRoot, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const CONSENT_QUESTION = 'This workspace wants to start the MCP server "everything"';

interface ChatBody {
  messages: { role: string; content: string | null }[];
  tools?: { function?: { name?: string } }[];
}

/** The model's side: call `echo` for certain questions, then answer with what the tool said. */
function scriptedModel(request: RecordedRequest) {
  const body = request.json as ChatBody;
  const last = body.messages.at(-1);
  const echo = (message: string) => sseReply({ role: 'assistant', tool_calls: [{ index: 0, id: `call_${message.length}`, type: 'function', function: { name: 'echo', arguments: JSON.stringify({ message }) } }] }, 'tool_calls');
  if (last?.role === 'tool') {
    const content = String(last.content);
    return sseReply({ role: 'assistant', content: /denied/.test(content) ? 'Understood: nothing was echoed.' : `The tool said: ${content.includes('Echo: ') ? content.slice(content.indexOf('Echo: ')).split('\n')[0] : content}` }, 'stop');
  }
  if (last?.role === 'user' && /echo it/i.test(String(last.content))) return echo('hello from the e2e test');
  if (last?.role === 'user' && /echo nothing/i.test(String(last.content))) return echo('this must never reach the server');
  return undefined;
}

/** Processes running the everything server in `folder` (its working folder), read from /proc. */
function everythingProcesses(folder: string): number[] {
  const wanted = realpathSync(folder);
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (commandLine.includes(everythingServer) && readlinkSync(`/proc/${entry}/cwd`) === wanted) found.push(Number(entry));
    } catch {
      // The process ended while we looked, or is not ours to read.
    }
  }
  return found;
}

async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('MCP servers in a real VS Code', function () {
  let fake: FakeModelServer;
  let workspace: string;
  let session: VsCodeSession;
  let workbench: Workbench;

  before(async function () {
    fake = await FakeModelServer.start();
    fake.onChat = scriptedModel;
    workspace = createWorkspace('patchbay-mcp-workspace-', {
      '.patchbay/config.yaml': fakeServerConfig(fake, `mcpServers:\n  everything:\n    command: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(everythingServer)}, stdio]\n`),
    });
    session = await openVsCode(workspace);
    workbench = session.workbench;
  });

  after(async () => {
    await tearDown(workspace, session, fake);
  });

  afterEach(async function () {
    await screenshotFailure(workbench, 'mcp-', this.currentTest);
  });

  const serverRow = async () => (await workbench.treeRows('Plugins')).find((row) => row.startsWith('everything')) ?? '';

  it('does not start the workspace server before the user allows it, and lists it connected with its tools after', async () => {
    await workbench.runCommand('Patchbay: Focus on Plugins View');
    const dialog = workbench.page.locator('.monaco-dialog-box', { hasText: CONSENT_QUESTION });
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    const details = await dialog.innerText();
    assert.match(details, new RegExp(`Command: ${process.execPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(details, /Arguments: .*server-everything\/dist\/index\.js stdio/);
    assert.match(details, new RegExp(`Working folder: .*${path.basename(workspace)}`));
    assert.match(details, /Environment variables: \(none\)/);
    await waitUntil(async () => /waiting for your permission/.test(await serverRow()), 'the server waiting in the Plugins view');
    assert.deepEqual(everythingProcesses(workspace), [], 'no server process before consent');
    await workbench.screenshot('50-mcp-start-consent');

    await workbench.answerDialog(CONSENT_QUESTION, 'Allow');
    await waitUntil(async () => /connected/.test(await serverRow()), 'the server connected', 60_000);
    assert.match(await serverRow(), /workspace · connected · \d+ tools/);
    // The server's row was a leaf while it waited: open it to see its tools.
    const pane = workbench.page.locator('.pane', { has: workbench.page.locator('.pane-header', { hasText: 'Plugins' }) });
    const row = pane.locator('.monaco-list-row', { hasText: /^everything/ }).first();
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    await waitUntil(async () => (await workbench.treeRows('Plugins')).includes('tool echo'), 'its tools listed');
    assert.equal(everythingProcesses(workspace).length, 1, 'one server process once allowed');
    await workbench.screenshot('51-mcp-server-connected');
  });

  it("calls the server's echo tool once the user approves the card, and the model reads its result", async () => {
    await workbench.runCommand('Patchbay: Open Chat');
    const chat = await workbench.chat();
    await chooseModel(chat, 'fake-model');
    const answering = ask(chat, 'Please echo it back');
    const card = chat.locator('section.tool-call', { hasText: 'echo' }).last();
    const allow = card.getByRole('button', { name: 'Allow once', exact: true });
    await allow.waitFor({ timeout: 30_000 });
    const cardText = await card.innerText();
    assert.match(cardText, /READ mcp:\/\/everything\/echo/);
    assert.match(cardText, /hello from the e2e test/);
    await workbench.screenshot('52-mcp-tool-approval');
    await allow.click();
    assert.match(await answering, /The tool said: Echo: hello from the e2e test/);
    const toolMessage = (fake.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)?.json as ChatBody).messages.at(-1);
    assert.equal(toolMessage?.role, 'tool');
    assert.match(String(toolMessage?.content), /Echo: hello from the e2e test/);
    await workbench.screenshot('53-mcp-tool-result');
  });

  it('a denied call never reaches the server, and the model is told', async () => {
    const chat = await workbench.chat();
    const answering = ask(chat, 'Please echo nothing');
    const card = chat.locator('section.tool-call', { hasText: 'this must never reach the server' }).last();
    const deny = card.getByRole('button', { name: 'Deny', exact: true });
    await deny.waitFor({ timeout: 30_000 });
    await deny.click();
    assert.match(await answering, /Understood: nothing was echoed\./);
    const toolMessage = (fake.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)?.json as ChatBody).messages.at(-1);
    assert.equal(toolMessage?.role, 'tool');
    assert.match(String(toolMessage?.content), /The user denied the call to "echo"/);
    assert.doesNotMatch(String(toolMessage?.content), /Echo: this must never reach the server/);
    assert.match(await card.innerText(), /Denied/);
    await workbench.screenshot('54-mcp-tool-denied');
  });

  it('an `@` mention offers the server\'s resources beside the files, and the picked one becomes a chip', async () => {
    const chat = await workbench.chat();
    const input = chat.getByRole('textbox', { name: 'Message' });
    await input.click();
    await input.pressSequentially('Summarize @architec');
    const option = chat.locator('.file-option', { hasText: 'architecture.md (everything)' });
    await option.waitFor({ timeout: 15_000 });
    await workbench.screenshot('55-mcp-resource-mention');
    await option.click();
    await chat.getByRole('button', { name: 'Remove everything: architecture.md', exact: true }).waitFor({ timeout: 15_000 });
    assert.equal((await input.inputValue()).trim(), 'Summarize', 'the mention leaves the text once picked');
    await input.fill('');
    await chat.getByRole('button', { name: 'Remove everything: architecture.md', exact: true }).click();
  });
});
