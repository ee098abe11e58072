import assert from 'node:assert/strict';
import { cp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { prepareOpenApiPlugin } from '../../../src/core/openapi/openApiPlugin';
import type { PluginCandidate } from '../../../src/core/plugins/discovery';
import { specCandidate } from './support';
import { fixtureCopy, fixtures, serveFolder, startSpecServer, type SpecServer } from './specServer';

/** What a spec or manifest can make Patchbay read, through the default loader (only 127.0.0.1 is involved). */
describe('what a spec can make Patchbay fetch or read while loading', function () {
  this.timeout(10_000);
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function server(handler: Parameters<typeof startSpecServer>[0]): Promise<SpecServer> {
    const started = await startSpecServer(handler);
    cleanup.push(() => started.close());
    return started;
  }

  async function copy(name: string): Promise<{ root: string; folder: string }> {
    const copied = await fixtureCopy(name);
    cleanup.push(() => rm(copied.root, { recursive: true, force: true }));
    return copied;
  }

  async function failure(candidate: PluginCandidate): Promise<string> {
    try {
      await prepareOpenApiPlugin(candidate);
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  }

  function pluginIn(folder: string): PluginCandidate {
    return { id: path.basename(folder), displayName: path.basename(folder), source: 'global', kind: 'openapi', location: folder, entryPath: path.join(folder, 'ai-plugin.json') };
  }

  it('does not follow a redirect of the spec URL to another origin', async () => {
    const elsewhere = await server(serveFolder(path.join(fixtures, 'plain-plugin')));
    const redirecting = await server((_request, response) => response.writeHead(302, { location: `${elsewhere.origin}/openapi.yaml` }).end());
    const message = await failure(specCandidate(`${redirecting.origin}/openapi.yaml`));
    assert.match(message, new RegExp(`cannot be fetched: redirects to ${elsewhere.origin.replaceAll('.', '\\.')}/openapi\\.yaml, another origin`));
    assert.deepEqual(elsewhere.requests, []);
  });

  it('follows a redirect within the same origin', async () => {
    const folder = serveFolder(path.join(fixtures, 'plain-plugin'));
    const api = await server((request, response) => (request.url === '/old/openapi.yaml' ? response.writeHead(301, { location: '/openapi.yaml' }).end() : folder(request, response)));
    const prepared = await prepareOpenApiPlugin(specCandidate(`${api.origin}/old/openapi.yaml`));
    assert.deepEqual(prepared.operations.map((operation) => operation.toolName), ['currentTime']);
  });

  it('refuses an api.url that names a file outside the plugin\'s folder', async () => {
    const { root } = await copy('escaping-api-url');
    // The spec it names is a valid one, beside the plugin's folder.
    await cp(path.join(fixtures, 'outside-the-plugin'), path.join(root, 'outside-the-plugin'), { recursive: true });
    const message = await failure(pluginIn(path.join(root, 'escaping-api-url')));
    assert.match(message, /ai-plugin\.json: "api\.url" must name a file inside the plugin's folder/);
  });

  it('refuses an api.url that climbs to a system file', async () => {
    const { folder } = await copy('file-spec-without-servers');
    const manifest = JSON.parse(await readFile(path.join(folder, 'ai-plugin.json'), 'utf8')) as { api: { url: string } };
    manifest.api.url = `${'../'.repeat(20)}etc/hostname`;
    await writeFile(path.join(folder, 'ai-plugin.json'), JSON.stringify(manifest));
    const message = await failure(pluginIn(folder));
    assert.match(message, /"api\.url" must name a file inside the plugin's folder: \/etc\/hostname is outside/);
  });

  it('refuses a spec that is a symbolic link to a file outside the plugin\'s folder', async () => {
    const { root, folder } = await copy('plain-plugin');
    await writeFile(path.join(root, 'elsewhere.yaml'), await readFile(path.join(folder, 'openapi.yaml')));
    await rm(path.join(folder, 'openapi.yaml'));
    await symlink(path.join(root, 'elsewhere.yaml'), path.join(folder, 'openapi.yaml'));
    const message = await failure(pluginIn(folder));
    assert.match(message, /"api\.url" must name a file inside the plugin's folder: .*openapi\.yaml leads to .*elsewhere\.yaml \(through a symbolic link\)/);
  });

  it('refuses a $ref to a file that is a symbolic link out of the spec\'s folder', async () => {
    const { root, folder } = await copy('yaml-number-version');
    await writeFile(path.join(root, 'secret.yaml'), 'Limit:\n  name: limit\n  in: query\n  schema: {type: integer}\n');
    await symlink(path.join(root, 'secret.yaml'), path.join(folder, 'common.yaml'));
    const spec = path.join(folder, 'refs.yaml');
    await writeFile(spec, 'openapi: 3.0.3\nservers: [{url: "http://127.0.0.1:9"}]\npaths:\n  /x:\n    get:\n      operationId: x\n      parameters:\n        - $ref: "common.yaml#/Limit"\n');
    const message = await failure(specCandidate(spec));
    assert.match(message, /refs\.yaml: refers to a file outside the spec's folder: .*common\.yaml leads to .*secret\.yaml/);
  });

  it('refuses a spec whose API address is the cloud metadata service', async () => {
    const message = await failure(specCandidate(path.join(fixtures, 'metadata-server/openapi.yaml')));
    assert.match(message, /gives the API's address as http:\/\/169\.254\.169\.254\/latest, a link-local address/);
  });

  it('keeps loopback and private LAN APIs', async () => {
    const { folder } = await copy('yaml-number-version');
    const spec = path.join(folder, 'lan.yaml');
    await writeFile(spec, 'openapi: 3.0.3\nservers: [{url: "http://192.168.1.20:8080"}]\npaths:\n  /x:\n    get:\n      operationId: x\n      servers: [{url: "http://[::1]:9000"}]\n');
    const prepared = await prepareOpenApiPlugin(specCandidate(spec));
    assert.equal(prepared.baseUrl, 'http://192.168.1.20:8080');
  });
});
