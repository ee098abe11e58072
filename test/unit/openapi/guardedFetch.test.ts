import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { forbiddenAddressReason } from '../../../src/core/openapi/forbiddenAddress';
import type { HostResolver, ResolvedAddress } from '../../../src/core/openapi/guardedFetch';
import { prepareOpenApiPlugin } from '../../../src/core/openapi/openApiPlugin';
import { specLoader } from '../../../src/core/openapi/specLoader';
import { specCandidate } from './support';
import { fixtures, serveFolder, startSpecServer, type SpecServer } from './specServer';

/** A resolver that answers from a table, counting lookups: tests never use real DNS. */
function tableResolver(table: Record<string, ResolvedAddress[][]>): HostResolver & { lookups: string[] } {
  const lookups: string[] = [];
  const resolve = async (hostname: string) => {
    const answers = table[hostname];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const answer = answers[Math.min(lookups.filter((name) => name === hostname).length, answers.length - 1)]!;
    lookups.push(hostname);
    return answer;
  };
  return Object.assign(resolve, { lookups });
}

const refusingResolver: HostResolver = async (hostname) => assert.fail(`${hostname} was looked up, but an address literal needs no lookup`);

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });

describe('the guarded fetch of specs and $refs', function () {
  this.timeout(10_000);
  let api: SpecServer;
  beforeEach(async () => {
    api = await startSpecServer(serveFolder(path.join(fixtures, 'plain-plugin')));
  });
  afterEach(async () => {
    await api.close();
  });

  async function failure(url: string, resolveHost: HostResolver, options: { maxBytes?: number; timeoutMs?: number } = {}): Promise<string> {
    try {
      await prepareOpenApiPlugin(specCandidate(url), specLoader({ resolveHost, ...options }));
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  }

  it('refuses link-local and metadata addresses written as literals, IPv4-mapped forms included, without connecting', async () => {
    for (const url of [
      'http://169.254.169.254/latest/openapi.json',
      'http://169.254.170.2/openapi.json',
      'http://[::ffff:169.254.169.254]/openapi.json',
      'http://[::ffff:a9fe:a9fe]/openapi.json',
      'http://[64:ff9b::169.254.169.254]/openapi.json',
      'http://[fe80::1]/openapi.json',
      'http://[fd00:ec2::254]/openapi.json',
      'http://100.100.100.200/openapi.json',
    ]) {
      assert.match(await failure(url, refusingResolver), /cannot be fetched: .* is a (link-local|cloud metadata service) address.*; Patchbay does not connect there/, url);
    }
  });

  it('refuses a host name when any address it resolves to is link-local, before connecting to any', async () => {
    const resolver = tableResolver({ 'tools.test': [[v4('127.0.0.1'), v4('169.254.169.254')]] });
    const message = await failure(`http://tools.test:${api.port}/openapi.yaml`, resolver);
    assert.match(message, /cannot be fetched: tools\.test \(169\.254\.169\.254\) is a link-local address/);
    assert.equal(api.connections, 0);
  });

  it('connects to the address it checked, whatever a second lookup would say (DNS rebinding)', async () => {
    const resolver = tableResolver({ 'tools.test': [[v4('127.0.0.1')], [v4('169.254.169.254')]] });
    const prepared = await prepareOpenApiPlugin(specCandidate(`http://tools.test:${api.port}/openapi.yaml`), specLoader({ resolveHost: resolver }));
    assert.deepEqual(prepared.operations.map((operation) => operation.toolName), ['currentTime']);
    assert.deepEqual(resolver.lookups, ['tools.test']);
    assert.deepEqual(api.requests, [{ host: `tools.test:${api.port}`, path: '/openapi.yaml' }]);
  });

  it('tries each checked address of a host name, as localhost is both ::1 and 127.0.0.1', async () => {
    const resolver = tableResolver({ 'localhost.test': [[{ address: '::1', family: 6 }, v4('127.0.0.1')]] });
    const prepared = await prepareOpenApiPlugin(specCandidate(`http://localhost.test:${api.port}/openapi.yaml`), specLoader({ resolveHost: resolver }));
    assert.deepEqual(prepared.operations.map((operation) => operation.toolName), ['currentTime']);
  });

  it('says when a host name cannot be resolved', async () => {
    assert.match(await failure(`http://nowhere.test:${api.port}/openapi.yaml`, tableResolver({})), /cannot be fetched: the host name nowhere\.test could not be resolved \(DNS: ENOTFOUND\)/);
  });

  it('says when the server does not answer in time', async () => {
    const silent = await startSpecServer(() => undefined);
    try {
      assert.match(await failure(`${silent.origin}/openapi.yaml`, refusingResolver, { timeoutMs: 300 }), /cannot be fetched: no answer within 0\.3 s/);
    } finally {
      await silent.close();
    }
  });

  it('stops reading a spec at the size cap instead of reading it all first', async () => {
    let sent = 0;
    let closed = false;
    const endless = await startSpecServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.on('close', () => (closed = true));
      const chunk = Buffer.alloc(16_384, ' ');
      const pump = () => {
        while (!closed && response.write(chunk)) sent += chunk.byteLength;
        if (!closed) response.once('drain', pump);
      };
      response.write('{"openapi": "3.0.3", "paths": {}, "padding": "');
      pump();
    });
    try {
      assert.match(await failure(`${endless.origin}/openapi.json`, refusingResolver, { maxBytes: 100_000 }), /openapi\.json: is larger than 100,000 bytes; Patchbay stopped reading it there/);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(closed, 'the connection is closed');
      assert.ok(sent < 20_000_000, `${sent} bytes were sent`);
    } finally {
      await endless.close();
    }
  });

  it('reads a gzip-compressed spec, the size cap counting the uncompressed bytes', async () => {
    const text = await readFile(path.join(fixtures, 'plain-plugin/openapi.yaml'));
    const gzipped = await startSpecServer((_request, response) => response.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/yaml' }).end(gzipSync(text)));
    try {
      const prepared = await prepareOpenApiPlugin(specCandidate(`${gzipped.origin}/openapi.yaml`), specLoader({ resolveHost: refusingResolver }));
      assert.deepEqual(prepared.operations.map((operation) => operation.toolName), ['currentTime']);
      assert.match(await failure(`${gzipped.origin}/openapi.yaml`, refusingResolver, { maxBytes: text.byteLength - 1 }), /is larger than/);
    } finally {
      await gzipped.close();
    }
  });

  it('times out a compressed spec whose server stops sending halfway, instead of waiting for ever', async () => {
    const text = await readFile(path.join(fixtures, 'plain-plugin/openapi.yaml'));
    const compressed = gzipSync(text);
    const stalling = await startSpecServer((_request, response) => {
      response.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/yaml' });
      response.write(compressed.subarray(0, compressed.byteLength >> 1));
    });
    try {
      assert.match(await failure(`${stalling.origin}/openapi.yaml`, refusingResolver, { timeoutMs: 300 }), /cannot be fetched: no answer within 0\.3 s/);
    } finally {
      await stalling.close();
    }
  });

  it('fetches $refs of a remote spec through the same guard: no redirect to another origin', async () => {
    const elsewhere = await startSpecServer(serveFolder(path.join(fixtures, 'plain-plugin')));
    const spec = 'openapi: 3.0.3\nservers: [{url: "http://127.0.0.1:9"}]\npaths:\n  /x:\n    get:\n      operationId: x\n      parameters:\n        - $ref: "common.yaml#/Limit"\n';
    const server = await startSpecServer((request, response) => {
      if (request.url === '/openapi.yaml') response.writeHead(200, { 'content-type': 'text/yaml' }).end(spec);
      else response.writeHead(307, { location: `${elsewhere.origin}/common.yaml` }).end();
    });
    try {
      assert.match(await failure(`${server.origin}/openapi.yaml`, refusingResolver), /common\.yaml: cannot be fetched: redirects to http:\/\/127\.0\.0\.1:\d+\/common\.yaml, another origin/);
      assert.deepEqual(elsewhere.requests, []);
    } finally {
      await Promise.all([server.close(), elsewhere.close()]);
    }
  });
});

describe('forbidden addresses', () => {
  it('are link-local and metadata ones, however written', () => {
    for (const address of ['169.254.0.1', '169.254.169.254', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe', '[::ffff:a9fe:a9fe]', 'fe80::1', 'fe80::1%eth0', 'febf::1', 'fd00:ec2::254', '64:ff9b::a9fe:a9fe', '100.100.100.200']) {
      assert.ok(forbiddenAddressReason(address), address);
    }
  });

  it('are not loopback, private LAN or public ones, nor host names', () => {
    for (const address of ['127.0.0.1', '::1', '10.0.0.1', '172.16.5.4', '192.168.1.20', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:192.168.1.1', '8.8.8.8', '2001:db8::1', 'fec0::1', 'localhost', '169.254.169.254.nip.io']) {
      assert.equal(forbiddenAddressReason(address), undefined, address);
    }
  });
});
