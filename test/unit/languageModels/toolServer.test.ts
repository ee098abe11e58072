import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import net from 'node:net';
import { PatchbayToolServer, type RunningToolServer } from '../../../src/core/languageModels/toolServer';
import { bridgeLaunch } from '../../../src/core/languageModels/toolServerLaunch';
import { toolServerSdk } from '../../../src/core/languageModels/toolServerSdk';
import { ContributionRegistry } from '../../../src/core/plugins/contributionRegistry';
import { silentLogger } from '../../../src/core/ports';
import { defaultToolCalling, type ToolCallingSettings } from '../../../src/core/tools/toolSessions';

describe("Patchbay's tools as an MCP server for VS Code's agent mode", function () {
  this.timeout(20_000);
  const registry = new ContributionRegistry();
  let settings: ToolCallingSettings = defaultToolCalling;
  const calls: string[] = [];
  const server = new PatchbayToolServer({ tools: () => registry.tools(), settings: () => settings, callRules: { loggerFor: () => silentLogger, signalOf: () => undefined, timeoutMs: 5_000 }, sdk: toolServerSdk, version: 'test' });
  let running: RunningToolServer;
  let client: Client;

  before(async () => {
    registry.register('tool', 'inventory', {
      name: 'getItem',
      description: 'Reads an item',
      parameters: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
      describeCall: (args) => ({ method: 'GET', url: `https://inventory.example/items/${String(args['id'])}` }),
      invoke: async (args) => (calls.push(`getItem ${String(args['id'])}`), { id: args['id'], name: 'bolt' }),
    });
    registry.register('tool', 'inventory', {
      name: 'deleteItem',
      description: 'Deletes an item',
      parameters: { type: 'object', properties: { id: { type: 'integer' } } },
      describeCall: (args) => ({ method: 'DELETE', url: `https://inventory.example/items/${String(args['id'])}` }),
      invoke: async (args) => (calls.push(`deleteItem ${String(args['id'])}`), 'deleted'),
    });
    running = await server.start();
    client = new Client({ name: 'test', version: '1' });
    // As VS Code starts it: the bridge process of the launch Patchbay's server definition gives.
    const launch = bridgeLaunch(running);
    await client.connect(new StdioClientTransport({ command: launch.command, args: launch.args, env: launch.env, stderr: 'pipe' }));
  });

  after(async () => {
    await client.close();
    await server.stop();
  });

  it('lists the chat\'s tools with their schemas, marking the reading ones read-only', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((tool) => [tool.name, tool.annotations?.readOnlyHint, tool.inputSchema.required]),
      [
        ['deleteItem', false, undefined],
        ['getItem', true, ['id']],
      ],
    );
  });

  it('runs a call with checked arguments and returns its result as text', async () => {
    const result = await client.callTool({ name: 'getItem', arguments: { id: 7 } });
    assert.deepEqual(result.content, [{ type: 'text', text: '{"id":7,"name":"bolt"}' }]);
    assert.deepEqual(calls.splice(0), ['getItem 7']);
    const wrong = await client.callTool({ name: 'getItem', arguments: { id: 'seven' } });
    assert.equal(wrong.isError, true);
    assert.match(JSON.stringify(wrong.content), /do not match its schema/);
    assert.deepEqual(calls, [], 'arguments that do not match are never passed on');
  });

  it("refuses a call the user's or the workspace's toolApproval denies, without running it", async () => {
    settings = { ...defaultToolCalling, approval: { default: 'ask', allow: [], deny: ['inventory.deleteItem'] } };
    const denied = await client.callTool({ name: 'deleteItem', arguments: { id: 1 } });
    assert.equal(denied.isError, true);
    assert.match(JSON.stringify(denied.content), /Patchbay's rules do not allow calling \\"deleteItem\\"/);
    settings = { ...defaultToolCalling, workspaceApproval: { allow: [], deny: ['inventory.*'] } };
    assert.equal((await client.callTool({ name: 'getItem', arguments: { id: 2 } })).isError, true);
    settings = { ...defaultToolCalling, workspaceApproval: { default: 'allow', allow: [], deny: [] } };
    assert.equal((await client.callTool({ name: 'deleteItem', arguments: { id: 3 } })).isError, undefined, 'a looser workspace rule does not stop a call VS Code confirms');
    assert.deepEqual(calls.splice(0), ['deleteItem 3']);
    settings = defaultToolCalling;
  });

  it('closes a connection that does not send its token first, unanswered', async () => {
    const initialize = `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } })}\n`;
    const answerTo = (firstLine: string) =>
      new Promise<string>((resolve) => {
        let received = '';
        const socket = net.connect({ host: '127.0.0.1', port: running.port }, () => socket.write(`${firstLine}\n${initialize}`));
        socket.on('data', (chunk) => {
          received += chunk.toString();
          if (received.endsWith('\n')) socket.destroy();
        });
        socket.on('close', () => resolve(received));
        setTimeout(() => socket.destroy(), 2_000);
      });
    assert.equal(await answerTo('guess'), '');
    assert.equal(await answerTo(''), '');
    assert.match(await answerTo(running.token), /"protocolVersion"/, 'the same message after the right token is answered');
  });

  it('says what is wrong when the bridge is started without its port and token', async () => {
    const launch = bridgeLaunch(running);
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(launch.command, launch.args, { env: { PATH: process.env['PATH'] ?? '' }, encoding: 'utf8', timeout: 10_000 });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /needs PATCHBAY_TOOL_SERVER_PORT and PATCHBAY_TOOL_SERVER_TOKEN/);
  });
});
