import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ToolDefinition } from '../../../src/core/api';
import { applyAuth, defaultResponseLimits, prepareRequest } from '../../../src/core/openapi/httpCall';
import { silentLogger } from '../../../src/core/ports';
import { INVENTORY_API_KEY, InventoryApi } from '../../support/inventoryApi';
import { specCandidate, toolsOf } from './support';

describe('OpenAPI tools call a real HTTP API', function () {
  this.timeout(20_000);
  let api: InventoryApi;
  let dir: string;
  let tools: Map<string, ToolDefinition>;

  async function load(config: Record<string, unknown> = {}, declared = {}): Promise<Map<string, ToolDefinition>> {
    const file = path.join(dir, 'inventory.yaml');
    await writeFile(file, api.spec());
    return new Map((await toolsOf(specCandidate(file, declared), config)).tools.map((tool) => [tool.name, tool]));
  }

  const call = (name: string, args: Record<string, unknown>, signal = new AbortController().signal) =>
    tools.get(name)!.invoke(args, { signal, log: silentLogger });

  beforeEach(async () => {
    api = await InventoryApi.start();
    dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-inventory-'));
    tools = await load();
  });

  afterEach(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('GET with a path parameter', async () => {
    assert.equal(await call('getItem', { itemId: 1 }), '{"id":1,"name":"Left-handed screwdriver","stock":3}');
    assert.deepEqual(api.requests.map((r) => `${r.method} ${r.path}`), ['GET /items/1']);
  });

  it('GET with a query parameter, POST with a JSON body, DELETE', async () => {
    assert.equal(JSON.parse(String(await call('listItems', { limit: 1 }))).length, 1);
    assert.equal(await call('addItem', { name: 'Sky hook', stock: 2 }), '{"id":3,"stock":2,"name":"Sky hook"}');
    const post = api.requests.find((r) => r.method === 'POST')!;
    assert.equal(post.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(post.body), { name: 'Sky hook', stock: 2 });
    assert.match(String(await call('deleteItem', { itemId: 2 })), /HTTP 204/);
    assert.deepEqual(api.requests.map((r) => `${r.method} ${r.path}`), ['GET /items?limit=1', 'POST /items', 'DELETE /items/2']);
  });

  it('reports an HTTP error with its status and body', async () => {
    await assert.rejects(call('getItem', { itemId: 99 }), (error: Error) => error.name === 'ToolCallError' && /HTTP 404 Not Found\n\{"error":"no item 99"\}/.test(error.message));
  });

  it('sends the API key from the plugin settings, only to the API\'s own origin', async () => {
    await assert.rejects(call('secureReport', {}), /needs "inventoryKey", which is not set/);
    tools = await load({ inventoryKey: INVENTORY_API_KEY });
    assert.equal(await call('secureReport', {}), '{"report":"all good"}');
    assert.equal(api.requests.at(-1)?.headers['x-api-key'], INVENTORY_API_KEY);
    assert.equal(api.requests.filter((r) => r.headers['x-api-key'] !== undefined && r.path !== '/secure/report').length, 0);
  });

  it('refuses to attach a key to a request for another origin', () => {
    const request = prepareRequest('get', 'https://elsewhere.example', '/x', [], {}, undefined);
    assert.throws(() => applyAuth(request, { kind: 'bearer', secretField: 'token' }, 'secret', 'https://api.example'), /refused to send the API key to https:\/\/elsewhere\.example: it belongs to https:\/\/api\.example/);
    assert.equal(request.headers['authorization'], undefined);
  });

  it('adds a query API key without re-encoding the delimiters the parameter styles chose', () => {
    const request = prepareRequest('get', 'https://api.example', '/x', [{ argument: 'color', place: 'query', name: 'color', encoding: { style: 'form', explode: false } }], { color: ['a', 'b c'] }, undefined);
    applyAuth(request, { kind: 'apiKey', in: 'query', name: 'api_key', secretField: 'token' }, 's&cret', 'https://api.example');
    assert.equal(request.url.search, '?color=a,b%20c&api_key=s%26cret');
  });

  it('follows a config baseUrl: the key goes to the API where the user pointed it', async () => {
    const other = await InventoryApi.start();
    try {
      tools = await load({ inventoryKey: INVENTORY_API_KEY }, { baseUrl: other.url });
      assert.equal(await call('secureReport', {}), '{"report":"all good"}');
      assert.equal(api.requests.length, 0);
      assert.equal(other.requests.at(-1)?.headers['x-api-key'], INVENTORY_API_KEY);
    } finally {
      await other.close();
    }
  });

  it('cuts a 5 MB response for the model and says so', async () => {
    const text = String(await call('bigExport', {}));
    assert.ok(text.length < 20_000, `${text.length} characters`);
    assert.match(text, /\[Response cut for the model: 5,242,880 bytes in all; the first 12,000 characters are shown\.\]$/);
  });

  it('describes a binary response instead of inlining it', async () => {
    assert.equal(await call('getLogo', {}), '(a binary response: image/png, 16 bytes; not shown)');
  });

  it('gives the model what arrived when the time runs out halfway through a response, and says it was cut', async () => {
    const stalling = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('first half of the report');
    });
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    try {
      const file = path.join(dir, 'stalling.yaml');
      await writeFile(file, `openapi: 3.0.3\ninfo: {title: Stalling, version: "1"}\nservers: [{url: "http://127.0.0.1:${(stalling.address() as AddressInfo).port}"}]\npaths:\n  /report: {get: {operationId: report, responses: {"200": {description: ok}}}}\n`);
      const { tools: [report] } = await toolsOf(specCandidate(file), {}, { ...defaultResponseLimits, timeoutMs: 300 });
      assert.equal(await report!.invoke({}, { signal: new AbortController().signal, log: silentLogger }),
        'first half of the report\n\n[Response cut for the model: more than 24 bytes; the first 24 characters are shown.]');
    } finally {
      stalling.closeAllConnections();
      await new Promise((resolve) => stalling.close(resolve));
    }
  });

  it('stops a call that never answers when cancelled', async () => {
    const stop = new AbortController();
    const pending = call('slowReport', {}, stop.signal);
    setTimeout(() => stop.abort(new Error('stopped')), 100);
    await assert.rejects(pending, /stopped/);
  });
});
