/** An MCP tool's progress and images on its card in the chat (through the composition root, with the reference server). */
import assert from 'node:assert/strict';
import type { ChatServices } from '../../../src/core/chatServices';
import type { ToolCallView } from '../../../src/core/tools/toolCallView';
import { testBackend } from '../../support/testBackend';
import { eventually, everythingServer, stdioServer } from './mcpHarness';

describe('MCP: the tool card', function () {
  this.timeout(30_000);
  let chat: ChatServices;
  afterEach(() => chat?.dispose());

  /** Runs one allowed call; every state of its card, in order. */
  async function call(name: string, args: object): Promise<ToolCallView[]> {
    const session = chat.tools.create({ modelId: 'm', question: 'everything' });
    assert.ok(session);
    const updates: ToolCallView[] = [];
    const id = `call-${Math.random()}`;
    await session.run({ id, name, arguments: JSON.stringify(args) }, new AbortController().signal, (update) => {
      updates.push(structuredClone(update));
      if (update.status === 'awaiting-approval') setTimeout(() => chat.tools.decide(id, 'once'), 1);
    });
    return updates;
  }

  beforeEach(async () => {
    ({ backend: chat } = testBackend({
      mcp: { definitions: () => ({ servers: [stdioServer('everything', everythingServer, ['stdio'])], problems: [] }), isWorkspaceTrusted: () => true, workspaceFolder: () => undefined },
    }));
    await eventually(() => chat.mcp.statuses()[0]?.state.kind === 'connected' && chat.plugins.registry.tools().some((tool) => tool.owner !== 'workspace-tools'), 'the server', 20_000);
  });

  it('shows the progress the server reports while the call runs', async () => {
    const updates = await call('trigger-long-running-operation', { duration: 0.6, steps: 3 });
    const running = updates.filter((update) => update.status === 'running' && update.progress !== undefined).map((update) => update.progress);
    assert.ok(running.length >= 2, `progress updates: ${JSON.stringify(running)}`);
    // The server's last notification may come after its result, when the card is done.
    assert.ok(running.every((item, index) => item?.total === 3 && (index === 0 || (item.progress ?? 0) > (running[index - 1]?.progress ?? 0))), JSON.stringify(running));
    assert.ok((running.at(-1)?.progress ?? 0) >= 2, JSON.stringify(running));
    assert.equal(updates.at(-1)?.progress, undefined, 'no progress once done');
    assert.equal(updates.at(-1)?.status, 'done');
  });

  it('puts the images of a result on the card as data: URIs', async () => {
    const updates = await call('get-tiny-image', {});
    const last = updates.at(-1);
    assert.equal(last?.status, 'done');
    assert.equal(last?.images?.length, 1);
    assert.match(last?.images?.[0] ?? '', /^data:image\/png;base64,[A-Za-z0-9+/=]+$/);
    assert.match(last?.result ?? '', /\[image 1: image\/png/);
  });
});
