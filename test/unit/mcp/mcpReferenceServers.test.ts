/** MCP servers from the npm registry, over stdio and Streamable HTTP: tools, progress, prompts, resources. */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { spawn, type ChildProcess } from 'node:child_process';
import type { CallProgress } from '../../../src/core/api';
import { callContext, definition, eventually, everythingServer, freePort, harness, status, stdioServer, tool, type Harness } from './mcpHarness';

describe('MCP: the reference "everything" server over stdio', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => {
    h = harness([stdioServer('everything', everythingServer, ['stdio'])]);
    await h.service.start();
  });
  after(() => h.service.dispose());

  it('connects and registers its tools and prompts with the server as their owner', () => {
    assert.equal(status(h.service, 'everything').state.kind, 'connected');
    const tools = h.registry.all('tool').filter((item) => item.owner === 'everything').map((item) => item.definition.name);
    assert.ok(tools.includes('echo') && tools.includes('get-sum') && tools.includes('trigger-long-running-operation'), tools.join(', '));
    assert.deepEqual(status(h.service, 'everything').tools.sort(), [...status(h.service, 'everything').tools].sort());
    assert.ok(h.registry.all('promptTemplate').some((item) => item.owner === 'everything' && item.definition.name === 'args-prompt'));
  });

  it('calls echo and get-sum and returns their text', async () => {
    assert.equal(await tool(h.registry, 'everything', 'echo').invoke({ message: 'hello over stdio' }, callContext()), 'Echo: hello over stdio');
    assert.match(String(await tool(h.registry, 'everything', 'get-sum').invoke({ a: 2, b: 40 }, callContext())), /\b42\b/);
  });

  it("leaves no listener on the answer's signal after its calls (a long answer makes many)", async () => {
    const signal = new AbortController().signal;
    for (let call = 0; call < 12; call++) await tool(h.registry, 'everything', 'echo').invoke({ message: `m${call}` }, callContext(signal));
    assert.equal(getEventListeners(signal, 'abort').length, 0);
  });

  it("passes the server's progress notifications to the call's progress callback", async () => {
    const progress: CallProgress[] = [];
    const result = await tool(h.registry, 'everything', 'trigger-long-running-operation').invoke({ duration: 0.3, steps: 3 }, callContext(undefined, progress));
    assert.match(String(result), /completed/i);
    // The server may send its last step's notification after the result; the earlier ones come first.
    assert.deepEqual(progress.slice(0, 2).map((item) => [item.progress, item.total]), [[1, 3], [2, 3]]);
  });

  it('keeps an image as a short placeholder, not its base64', async () => {
    const result = String(await tool(h.registry, 'everything', 'get-tiny-image').invoke({}, callContext()));
    assert.match(result, /\[image 1: image\/png, [\d.]+ (bytes|KB); shown to the user, not included here\]/);
    assert.ok(result.length < 1_000, `${result.length} characters`);
  });

  it('a read-only tool is a reading call (may be always allowed); others are asked about every time', () => {
    assert.equal(tool(h.registry, 'everything', 'trigger-long-running-operation').describeCall?.({})?.method, 'READ');
    assert.deepEqual(tool(h.registry, 'everything', 'toggle-simulated-logging').describeCall?.({}), { method: 'CALL', url: 'mcp://everything/toggle-simulated-logging' });
  });

  it('offers a prompt as /server:prompt and expands it through prompts/get, with its arguments', async () => {
    const listed = h.registry.promptTemplates().find((item) => item.owner === 'everything' && item.definition.name === 'args-prompt');
    assert.equal(listed?.listedName, 'everything:args-prompt');
    const prompt = h.registry.all('promptTemplate').find((item) => item.owner === 'everything' && item.definition.name === 'args-prompt')?.definition;
    const template = prompt?.template;
    assert.equal(typeof template, 'function');
    if (typeof template !== 'function') return;
    assert.equal(await template('city=Paris state="Île de France"', callContext()), "What's weather in Paris, Île de France?");
    await assert.rejects(Promise.resolve(template('state=Texas', callContext())), /\/everything:args-prompt needs "city": type \/everything:args-prompt city=… state=\[…\]/);
  });

  it('lists and reads resources', async () => {
    const resources = await h.service.listResources('everything');
    assert.ok(resources.length > 0);
    const first = resources.find((resource) => resource.mimeType?.startsWith('text/')) ?? resources[0];
    assert.ok(first);
    assert.ok((await h.service.readResource('everything', first.uri)).length > 0);
  });
});

describe('MCP: the reference "everything" server over Streamable HTTP', function () {
  this.timeout(30_000);
  let child: ChildProcess;
  let h: Harness;
  before(async () => {
    const port = await freePort();
    child = spawn(process.execPath, [everythingServer, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await eventually(() => /listening on port/.test(stderr), 'the HTTP server to listen', 15_000);
    h = harness([definition('web', { type: 'http', url: `http://127.0.0.1:${port}/mcp`, headers: {} })]);
    await h.service.start();
  });
  after(async () => {
    await h?.service.dispose();
    child.kill();
  });

  it('connects, lists tools and calls echo and get-sum', async () => {
    assert.equal(status(h.service, 'web').state.kind, 'connected', JSON.stringify(status(h.service, 'web').state));
    assert.equal(await tool(h.registry, 'web', 'echo').invoke({ message: 'hello over http' }, callContext()), 'Echo: hello over http');
    assert.match(String(await tool(h.registry, 'web', 'get-sum').invoke({ a: 1, b: 2 }, callContext())), /\b3\b/);
  });
});
