/** MCP servers through the composition root: their tools go through the same approval as plugins' tools. */
import assert from 'node:assert/strict';
import type { ChatServices } from '../../../src/core/chatServices';
import type { ToolCallView } from '../../../src/core/tools/toolCallView';
import { testBackend } from '../../support/testBackend';
import { eventually, faultyServer, status, stdioServer } from './mcpHarness';

describe('MCP: tools in the chat', function () {
  this.timeout(30_000);
  let chat: ChatServices;
  const alwaysAllowed = new Set<string>();
  afterEach(() => chat?.dispose());

  /** Runs one call of `name`, answering its approval card with `decision`; the card's last state and the model's text. */
  async function call(name: string, decision: 'once' | 'always' | 'deny'): Promise<{ view: ToolCallView; content: string; asked: boolean }> {
    const session = chat.tools.create({ modelId: 'm', question: 'notes' });
    assert.ok(session);
    let view: ToolCallView | undefined;
    let asked = false;
    const id = `call-${Math.random()}`;
    const content = await session.run({ id, name, arguments: '{}' }, new AbortController().signal, (update) => {
      view = { ...update };
      if (update.status === 'awaiting-approval') {
        asked = true;
        setTimeout(() => chat.tools.decide(id, decision), 1);
      }
    });
    assert.ok(view);
    return { view, content, asked };
  }

  it('an MCP tool is named server.tool; a denied call never runs; "Always allow" holds for a read-only tool only', async () => {
    ({ backend: chat } = testBackend({
      mcp: { definitions: () => ({ servers: [stdioServer('notes', faultyServer)], problems: [] }), isWorkspaceTrusted: () => true, workspaceFolder: () => undefined },
      alwaysAllowedTools: () => alwaysAllowed,
      rememberAlwaysAllowedTool: (key) => alwaysAllowed.add(key),
    }));
    await eventually(() => chat.mcp.statuses()[0]?.state.kind === 'connected' && chat.plugins.registry.tools().some((tool) => tool.owner !== 'workspace-tools'), 'the server');
    assert.equal(status(chat.mcp, 'notes').state.kind, 'connected');

    const denied = await call('write_note', 'deny');
    assert.deepEqual([denied.view.qualifiedName, denied.view.status, denied.view.canAlwaysAllow], ['notes.write_note', 'denied', false]);

    const first = await call('read_note', 'always');
    assert.deepEqual([first.asked, first.view.status, first.view.method, first.view.url], [true, 'done', 'READ', 'mcp://notes/read_note']);
    assert.match(first.content, /read_note done/);
    const second = await call('read_note', 'deny');
    assert.deepEqual([second.asked, second.view.status], [false, 'done'], '"Always allow" was remembered for the server');

    const write = await call('write_note', 'always');
    assert.equal(write.asked, true);
    const writeAgain = await call('write_note', 'once');
    assert.equal(writeAgain.asked, true, 'a tool that is not read-only is asked about every time');
  });
});
