/**
 * OpenAPI tool calls go through the guarded fetch: a spec's server given as a host name is
 * resolved at every call, and a call whose host resolves to a link-local or cloud metadata
 * address is refused before anything is sent, credential and all. The resolver is injected:
 * tests never use real DNS, and every connection goes to the local API on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ToolDefinition } from '../../../src/core/api';
import type { HostResolver, ResolvedAddress } from '../../../src/core/openapi/guardedFetch';
import { defaultResponseLimits } from '../../../src/core/openapi/httpCall';
import { silentLogger } from '../../../src/core/ports';
import { INVENTORY_API_KEY, InventoryApi } from '../../support/inventoryApi';
import { specCandidate, toolsOf } from './support';

/** Answers each lookup of a name with the next of its answers (the last one repeats). */
function scriptedResolver(answers: Record<string, ResolvedAddress[][]>): HostResolver & { lookups: string[] } {
  const lookups: string[] = [];
  const resolve = async (hostname: string) => {
    const script = answers[hostname];
    if (!script) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const answer = script[Math.min(lookups.filter((name) => name === hostname).length, script.length - 1)]!;
    lookups.push(hostname);
    return answer;
  };
  return Object.assign(resolve, { lookups });
}

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });
const v6 = (address: string): ResolvedAddress => ({ address, family: 6 });

describe('OpenAPI tool calls connect only to addresses Patchbay may use', function () {
  this.timeout(10_000);
  let api: InventoryApi;
  let dir: string;

  beforeEach(async () => {
    api = await InventoryApi.start();
    dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-call-addresses-'));
  });

  afterEach(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The inventory API's tools, its spec naming the server by the host name inventory.test. */
  async function inventoryTools(resolveHost: HostResolver): Promise<Map<string, ToolDefinition>> {
    const file = path.join(dir, 'inventory.yaml');
    await writeFile(file, api.spec().replace(api.url, api.url.replace('127.0.0.1', 'inventory.test')));
    const { tools } = await toolsOf(specCandidate(file), { inventoryKey: INVENTORY_API_KEY }, { ...defaultResponseLimits, resolveHost });
    return new Map(tools.map((tool) => [tool.name, tool]));
  }

  const call = (tools: Map<string, ToolDefinition>, name: string) => tools.get(name)!.invoke({}, { signal: new AbortController().signal, log: silentLogger });

  it('refuses a call whose server host name resolves to a link-local or metadata address, and connects nowhere', async () => {
    for (const [answer, reason] of [
      [[v4('169.254.169.254')], /inventory\.test \(169\.254\.169\.254\) is a link-local address \(169\.254\.0\.0\/16\), where cloud metadata services live; Patchbay does not connect there/],
      [[v4('127.0.0.1'), v4('169.254.169.254')], /inventory\.test \(169\.254\.169\.254\) is a link-local address/],
      [[v6('fd00:ec2::254')], /inventory\.test \(fd00:ec2::254\) is a cloud metadata service address/],
      [[v6('::ffff:169.254.169.254')], /inventory\.test \(::ffff:169\.254\.169\.254\) is a link-local address/],
    ] as const) {
      const tools = await inventoryTools(scriptedResolver({ 'inventory.test': [[...answer]] }));
      await assert.rejects(call(tools, 'secureReport'), (error: Error) => {
        assert.equal(error.name, 'ToolCallError');
        assert.match(error.message, /^GET http:\/\/inventory\.test:\d+\/secure\/report failed: /);
        assert.match(error.message, reason);
        return true;
      });
    }
    assert.equal(api.requests.length, 0, 'nothing reached the API');
  });

  it('calls an API whose host name resolves to loopback, at the checked address, with its credential', async () => {
    const resolver = scriptedResolver({ 'inventory.test': [[v4('127.0.0.1')]] });
    const tools = await inventoryTools(resolver);
    assert.equal(await call(tools, 'secureReport'), '{"report":"all good"}');
    assert.deepEqual(resolver.lookups, ['inventory.test']);
    const request = api.requests.at(-1)!;
    assert.equal(request.headers.host, `inventory.test:${new URL(api.url).port}`);
    assert.equal(request.headers['x-api-key'], INVENTORY_API_KEY);
  });

  it('checks the address at every call: a host name that rebinds to a metadata address after loading is refused', async () => {
    const resolver = scriptedResolver({ 'inventory.test': [[v4('127.0.0.1')], [v4('169.254.169.254')]] });
    const tools = await inventoryTools(resolver);
    assert.equal(await call(tools, 'secureReport'), '{"report":"all good"}');
    await assert.rejects(call(tools, 'secureReport'), /inventory\.test \(169\.254\.169\.254\) is a link-local address/);
    assert.deepEqual(resolver.lookups, ['inventory.test', 'inventory.test']);
    assert.equal(api.requests.length, 1);
  });
});
