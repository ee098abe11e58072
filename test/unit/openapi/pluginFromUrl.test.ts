/**
 * Add Tool Plugin from URL, below VS Code, against a site on 127.0.0.1: the manifest found at
 * a site's /.well-known/ai-plugin.json or given directly, its spec fetched through the guarded
 * fetch, what would be added (tools, credentials, the API's origin) read by the real OpenAPI
 * loader, saving into the plugins folder (never over a plugin without being told to), the
 * saved plugin loading and calling its API, and a clear error for each way it can fail.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ContributionRegistry } from '../../../src/core/plugins/contributionRegistry';
import { discoverPlugins } from '../../../src/core/plugins/discovery';
import { PluginRuntime } from '../../../src/core/plugins/pluginRuntime';
import { selectPlugins } from '../../../src/core/plugins/pluginSelection';
import { prepareOpenApiPlugin } from '../../../src/core/openapi/openApiPlugin';
import { discardToolPlugin, fetchToolPlugin, manifestUrlOf, pluginFolderExists, saveToolPlugin } from '../../../src/core/openapi/pluginFromUrl';
import { silentLogger } from '../../../src/core/ports';
import { startSpecServer, type SpecServer } from './specServer';

const manifest = (fields: Record<string, unknown>) =>
  JSON.stringify({
    schema_version: 'v1',
    name_for_human: 'Inventory',
    name_for_model: 'inventory',
    description_for_human: 'Stock of the shop.',
    description_for_model: 'Look up what the shop has in stock.',
    auth: { type: 'none' },
    ...fields,
  });

const INVENTORY_YAML = `# The shop's inventory (this comment is kept)
openapi: 3.0.3
info: { title: Inventory, version: "1.0" }
paths:
  /items:
    get:
      operationId: listItems
      summary: Lists the items
      security: [{ token: [] }]
      responses: { "200": { description: the items } }
  /items/{id}:
    get:
      operationId: getItem
      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]
      security: [{ token: [] }]
      responses: { "200": { description: one item } }
components:
  securitySchemes:
    token: { type: http, scheme: bearer }
`;

describe('Add Tool Plugin from URL', () => {
  let server: SpecServer;
  let routes: Record<string, { type: string; body: string }>;
  const authorizations: (string | undefined)[] = [];
  let pluginsFolder: string;

  before(async () => {
    routes = {};
    server = await startSpecServer((request: http.IncomingMessage, response: http.ServerResponse) => {
      const pathname = new URL(request.url ?? '/', 'http://x').pathname;
      if (pathname === '/items') {
        authorizations.push(request.headers.authorization);
        return void response.writeHead(200, { 'content-type': 'application/json' }).end('[{"name":"bolt","stock":4}]');
      }
      const route = routes[pathname];
      if (!route) return void response.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}');
      response.writeHead(200, { 'content-type': route.type }).end(route.body);
    });
    const json = 'application/json';
    routes['/.well-known/ai-plugin.json'] = { type: json, body: manifest({ api: { type: 'openapi', url: '/openapi.yaml' } }) };
    routes['/openapi.yaml'] = { type: 'text/yaml', body: INVENTORY_YAML };
    routes['/direct/weather.json'] = { type: json, body: manifest({ name_for_model: 'weather', name_for_human: 'Weather', auth: { type: 'user_http', authorization_type: 'bearer' }, api: { type: 'openapi', url: `${server.origin}/specs/weather.json` } }) };
    routes['/specs/weather.json'] = {
      type: json,
      body: JSON.stringify({ openapi: '3.1.0', info: { title: 'Weather', version: '1' }, servers: [{ url: '/v2' }], paths: { '/forecast': { get: { operationId: 'forecast', responses: { '200': { description: 'ok' } } } } } }),
    };
    routes['/refs/ai-plugin.json'] = { type: json, body: manifest({ name_for_model: 'split', api: { type: 'openapi', url: '/refs/openapi.json' } }) };
    routes['/refs/openapi.json'] = {
      type: json,
      body: JSON.stringify({ openapi: '3.0.0', info: { title: 'Split', version: '1' }, paths: { '/items': { get: { operationId: 'split', responses: { '200': { $ref: 'responses.json#/Ok' } } } } } }),
    };
    routes['/refs/responses.json'] = { type: json, body: JSON.stringify({ Ok: { description: 'ok' } }) };
    routes['/docs/ai-plugin.json'] = { type: json, body: manifest({ name_for_model: 'docs', api: { type: 'openapi', url: '/docs/index.html' } }) };
    routes['/docs/index.html'] = { type: 'text/html', body: '<!doctype html><html><body>API docs</body></html>' };
    routes['/metadata/ai-plugin.json'] = { type: json, body: manifest({ name_for_model: 'meta', api: { type: 'openapi', url: 'http://169.254.169.254/openapi.json' } }) };
    routes['/metadata-api/ai-plugin.json'] = { type: json, body: manifest({ name_for_model: 'meta_api', api: { type: 'openapi', url: '/metadata-api/openapi.json' } }) };
    routes['/metadata-api/openapi.json'] = {
      type: json,
      body: JSON.stringify({ openapi: '3.0.0', info: { title: 'Meta', version: '1' }, servers: [{ url: 'http://169.254.169.254/latest' }], paths: { '/meta-data': { get: { operationId: 'meta', responses: { '200': { description: 'ok' } } } } } }),
    };
    routes['/broken/ai-plugin.json'] = { type: json, body: '{ "name_for_model": ' };
  });

  after(() => server.close());

  beforeEach(async () => {
    pluginsFolder = path.join(await realpath(await mkdtemp(path.join(os.tmpdir(), 'patchbay-from-url-'))), 'plugins');
  });

  afterEach(async () => {
    await rm(path.dirname(pluginsFolder), { recursive: true, force: true });
  });

  it('finds a site\'s /.well-known/ai-plugin.json, shows what it adds, saves it, and the plugin loads and calls its API', async () => {
    const fetched = await fetchToolPlugin(`${server.origin}/`, { pluginsFolder });
    assert.equal(fetched.manifestUrl, `${server.origin}/.well-known/ai-plugin.json`);
    assert.equal(fetched.specUrl, `${server.origin}/openapi.yaml`);
    assert.equal(fetched.folderName, 'inventory');
    assert.equal(fetched.nameForHuman, 'Inventory');
    assert.deepEqual(fetched.tools, ['getItem', 'listItems']);
    assert.equal(fetched.auth, 'a bearer token');
    assert.equal(fetched.apiOrigin, server.origin);
    // Staged out of discovery's sight: nothing is added until saved.
    assert.deepEqual((await discoverPlugins([{ dir: pluginsFolder, source: 'global' }])).candidates, []);

    const folder = await saveToolPlugin(fetched, pluginsFolder, { replace: false });
    assert.equal(folder, path.join(pluginsFolder, 'inventory'));
    assert.deepEqual(await readdir(pluginsFolder), ['inventory']);
    const savedSpec = await readFile(path.join(folder, 'openapi.yaml'), 'utf8');
    assert.match(savedSpec, /^# The shop's inventory \(this comment is kept\)/);
    assert.match(savedSpec, new RegExp(`servers:\\s+- url: ${server.origin.replace(/[.]/g, '\\.')}`));
    assert.equal(JSON.parse(await readFile(path.join(folder, 'ai-plugin.json'), 'utf8')).api.url, 'openapi.yaml');

    const registry = new ContributionRegistry();
    const runtime = new PluginRuntime({
      registry,
      loggerFor: () => silentLogger,
      kindLoaders: { openapi: (candidate) => prepareOpenApiPlugin(candidate) },
      secret: async (_owner, key) => (key === 'token' ? 'shop-token' : undefined),
    });
    const { candidates } = await discoverPlugins([{ dir: pluginsFolder, source: 'global' }]);
    await runtime.sync(selectPlugins(candidates, { workspaceTrusted: true, loadOnly: undefined, enabled: undefined, disabled: [] }), { settingsFor: () => undefined });
    const record = runtime.plugins().find((item) => item.candidate.id === 'inventory');
    assert.equal(record?.status, 'loaded', record?.detail);
    const listItems = registry.tools().find((tool) => tool.definition.name === 'listItems')!;
    const result = await listItems.definition.invoke({}, { signal: new AbortController().signal, log: silentLogger });
    assert.match(JSON.stringify(result), /bolt/);
    assert.deepEqual(authorizations.at(-1), 'Bearer shop-token');
    await runtime.unloadAll();
  });

  it('takes a manifest\'s own URL, and keeps a relative API address the spec had at its URL', async () => {
    const fetched = await fetchToolPlugin(`${server.origin}/direct/weather.json`, { pluginsFolder });
    assert.equal(fetched.manifestUrl, `${server.origin}/direct/weather.json`);
    assert.deepEqual(fetched.tools, ['forecast']);
    assert.equal(fetched.auth, 'a bearer token');
    assert.equal(fetched.apiOrigin, server.origin);
    const folder = await saveToolPlugin(fetched, pluginsFolder, { replace: false });
    assert.deepEqual(JSON.parse(await readFile(path.join(folder, 'openapi.json'), 'utf8')).servers, [{ url: `${server.origin}/v2` }]);
    const prepared = await prepareOpenApiPlugin((await discoverPlugins([{ dir: pluginsFolder, source: 'global' }])).candidates[0]!);
    assert.equal(prepared.baseUrl, `${server.origin}/v2`);
  });

  it('leaves a spec that refers to other documents at its URL, where its references resolve', async () => {
    const fetched = await fetchToolPlugin(`${server.origin}/refs/ai-plugin.json`, { pluginsFolder });
    assert.equal(fetched.specStaysRemote, true);
    assert.deepEqual(fetched.tools, ['split']);
    const folder = await saveToolPlugin(fetched, pluginsFolder, { replace: false });
    assert.deepEqual(await readdir(folder), ['ai-plugin.json']);
    assert.equal(JSON.parse(await readFile(path.join(folder, 'ai-plugin.json'), 'utf8')).api.url, `${server.origin}/refs/openapi.json`);
  });

  it('never replaces a plugin folder unless told to, and loses nothing either way', async () => {
    const existing = path.join(pluginsFolder, 'inventory');
    await mkdir(existing, { recursive: true });
    await writeFile(path.join(existing, 'ai-plugin.json'), 'the user\'s own');
    const fetched = await fetchToolPlugin(`${server.origin}/`, { pluginsFolder });
    assert.equal(await pluginFolderExists(fetched, pluginsFolder), true);
    await assert.rejects(saveToolPlugin(fetched, pluginsFolder, { replace: false }), /inventory exists already; it was left as it is/);
    assert.equal(await readFile(path.join(existing, 'ai-plugin.json'), 'utf8'), 'the user\'s own');
    await discardToolPlugin(fetched);
    assert.deepEqual(await readdir(pluginsFolder), ['inventory']);

    const again = await fetchToolPlugin(`${server.origin}/`, { pluginsFolder });
    await saveToolPlugin(again, pluginsFolder, { replace: true });
    assert.deepEqual(await readdir(pluginsFolder), ['inventory']);
    assert.equal(JSON.parse(await readFile(path.join(existing, 'ai-plugin.json'), 'utf8')).name_for_model, 'inventory');
  });

  it('says what is wrong for each way it can fail, and leaves nothing behind', async () => {
    const failsWith = async (input: string, expected: RegExp, options: { maxManifestBytes?: number } = {}) => {
      await assert.rejects(fetchToolPlugin(input, { pluginsFolder, timeoutMs: 5_000, ...options }), (error: Error) => {
        assert.match(error.message, expected);
        return true;
      });
    };
    await failsWith('not a url', /"not a url" is not a URL; give the address of an ai-plugin\.json/);
    await failsWith('ftp://127.0.0.1/ai-plugin.json', /ftp: URLs are not fetched/);
    const bare = await startSpecServer((_request, response) => void response.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}'));
    await failsWith(`${bare.origin}/docs/`, /\/\.well-known\/ai-plugin\.json: cannot be fetched: HTTP 404 Not Found: "Not Found"; the site serves no \/\.well-known\/ai-plugin\.json/);
    await bare.close();
    await failsWith('http://169.254.169.254/', /169\.254\.169\.254 is a link-local address.*Patchbay does not connect there/);
    await failsWith(`${server.origin}/metadata/ai-plugin.json`, /http:\/\/169\.254\.169\.254\/openapi\.json: cannot be fetched: 169\.254\.169\.254 is a link-local address/);
    await failsWith(`${server.origin}/metadata-api/ai-plugin.json`, new RegExp(`^${server.origin.replace(/[.]/g, '\\.')}/metadata-api/openapi\\.json: gives the API's address as http://169\\.254\\.169\\.254/latest, a link-local address`));
    await failsWith(`${server.origin}/docs/ai-plugin.json`, /docs\/index\.html: is an HTML page, not an OpenAPI document/);
    await failsWith(`${server.origin}/broken/ai-plugin.json`, /broken\/ai-plugin\.json: is not valid JSON/);
    await failsWith(`${server.origin}/.well-known/ai-plugin.json`, /is larger than 100 bytes; Patchbay stopped reading it there/, { maxManifestBytes: 100 });
    assert.deepEqual(await readdir(pluginsFolder).catch(() => []), []);
  });

  it('reads a site address as its well-known manifest and a .json address as the manifest itself', () => {
    assert.equal(manifestUrlOf(' https://example.com/docs#x '), 'https://example.com/.well-known/ai-plugin.json');
    assert.equal(manifestUrlOf('https://example.com/plugins/ai-plugin.json'), 'https://example.com/plugins/ai-plugin.json');
    assert.throws(() => manifestUrlOf('https://user:pw@example.com/'), /user name or password is not fetched/);
  });
});
