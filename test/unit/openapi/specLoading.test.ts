import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { PluginContext, ToolDefinition } from '../../../src/core/api';
import { prepareOpenApiPlugin, type TextLoader } from '../../../src/core/openapi/openApiPlugin';
import type { PluginCandidate } from '../../../src/core/plugins/discovery';
import { discoverPlugins } from '../../../src/core/plugins/discovery';
import { specCandidate } from './support';
import { closedPort, fixtureCopy, fixtures, serveFolder, startSpecServer, type SpecServer } from './specServer';

/** The plugin found in a fixture folder, as the Plugins view would find it. */
async function discovered(root: string): Promise<PluginCandidate> {
  const { candidates, problems } = await discoverPlugins([{ dir: root, source: 'global' }]);
  assert.deepEqual(problems, []);
  assert.equal(candidates.length, 1);
  return candidates[0]!;
}

/** Prepares and activates a plugin, returning its tools and the warnings it logged. */
async function activated(candidate: PluginCandidate, load?: TextLoader): Promise<{ tools: ToolDefinition[]; warnings: string[]; baseUrl: string }> {
  const prepared = await prepareOpenApiPlugin(candidate, load);
  const tools: ToolDefinition[] = [];
  const warnings: string[] = [];
  const context = {
    pluginId: candidate.id,
    config: {},
    log: { info: () => undefined, debug: () => undefined, error: () => undefined, warn: (message: string) => warnings.push(message) },
    registerTool: (tool: ToolDefinition) => {
      tools.push(tool);
      return { dispose: () => undefined };
    },
  } as unknown as PluginContext;
  prepared.activate(context);
  return { tools, warnings, baseUrl: prepared.baseUrl };
}

async function failure(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}

describe('OpenAPI plugins load as written in the wild', function () {
  this.timeout(10_000);
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function serve(folder: string): Promise<SpecServer> {
    const server = await startSpecServer(serveFolder(folder));
    cleanup.push(() => server.close());
    return server;
  }

  async function copy(name: string, port?: number): Promise<{ root: string; folder: string }> {
    const copied = await fixtureCopy(name, port);
    cleanup.push(() => rm(copied.root, { recursive: true, force: true }));
    return copied;
  }

  it('reads `openapi: 3.1` and `swagger: 2.0` written as YAML numbers', async () => {
    const openapi = await activated(specCandidate(path.join(fixtures, 'yaml-number-version/openapi.yaml')));
    assert.deepEqual(openapi.tools.map((tool) => tool.name), ['currentTime']);
    assert.equal(openapi.baseUrl, 'http://127.0.0.1:8123');
    const swagger = await activated(specCandidate(path.join(fixtures, 'yaml-number-version/swagger.yaml')));
    assert.equal(swagger.baseUrl, 'http://127.0.0.1:8123/v1');
  });

  it('ignores a byte order mark before ai-plugin.json', async () => {
    const { root } = await copy('bom-manifest');
    const candidate = await discovered(root);
    assert.notEqual(candidate.displayName, candidate.id, 'the Plugins view shows name_for_human');
    const { tools } = await activated(candidate);
    assert.deepEqual(tools.map((tool) => tool.name), ['currentTime']);
  });

  it('loads a plugin whose name_for_model is a human name (OpenAssistant style), prefixing its tools with a valid name and warning with the original', async () => {
    const server = await serve(path.join(fixtures, 'openassistant-style'));
    const { root } = await copy('openassistant-style', server.port);
    const { tools, warnings } = await activated(await discovered(root));
    assert.deepEqual(tools.map((tool) => tool.name), ['Friendly_Quote_Finder_get_quote']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /"Friendly Quote Finder".*"Friendly_Quote_Finder"/);
  });

  it('reads manifest fields the way real manifests write them: "OpenAPI", "Bearer", a spec path starting with /', async () => {
    const { root } = await copy('odd-fields');
    const candidate = await discovered(root);
    const prepared = await prepareOpenApiPlugin(candidate);
    assert.deepEqual(prepared.operations.map((operation) => operation.toolName), ['currentTime']);
    assert.deepEqual(Object.entries(prepared.configSchema.properties ?? {}).filter(([, property]) => property.secret).map(([name]) => name), ['token']);
  });

  it('takes the API address of a served spec without `servers` from where it was served', async () => {
    const server = await serve(path.join(fixtures, 'served-spec'));
    const { root } = await copy('served-spec', server.port);
    const { tools, baseUrl } = await activated(await discovered(root));
    assert.equal(baseUrl, server.origin);
    assert.deepEqual(tools[0]!.describeCall?.({ topic: 'rain' }), { method: 'GET', url: `${server.origin}/get-quote/?topic=rain` });
  });

  it('says what to do in ai-plugin.json when a spec file has no `servers`', async () => {
    const message = await failure(() => activated(specCandidateOfFolder(path.join(fixtures, 'file-spec-without-servers'))));
    assert.match(message, /openapi\.json: has no usable "servers" entry/);
    assert.match(message, /set "api\.url" in ai-plugin\.json to the URL the running API serves its spec at/);
  });

  it('says why api.url cannot be fetched (connection refused) and that a spec file lies next to the manifest', async () => {
    const { root } = await copy('served-spec', await closedPort());
    const candidate = await discovered(root);
    const message = await failure(() => activated(candidate));
    assert.match(message, /cannot be fetched: connection refused: nothing listens at 127\.0\.0\.1:\d+/);
    assert.match(message, /openapi\.json lies next to ai-plugin\.json: set "api\.url": "openapi\.json"/);
  });

  it('says when https:// is used for a server that speaks plain http (TLS)', async () => {
    const server = await serve(path.join(fixtures, 'openassistant-style'));
    const message = await failure(() => activated(specCandidate(`https://127.0.0.1:${server.port}/openapi.json`)));
    assert.match(message, /cannot be fetched: the TLS \(https\) connection to 127\.0\.0\.1:\d+ failed: .*\(the server may speak plain http:, not https:\)/);
  });

  it('calls an HTML page where the spec should be an HTML page, not a YAML error', async () => {
    const server = await serve(path.join(fixtures, 'not-a-spec'));
    const fetched = await failure(() => activated(specCandidate(`${server.origin}/docs.html`)));
    assert.match(fetched, /docs\.html: is an HTML page, not an OpenAPI document/);
    assert.doesNotMatch(fetched, /YAML/);
    const file = await failure(() => activated(specCandidate(path.join(fixtures, 'not-a-spec/docs.html'))));
    assert.match(file, /docs\.html: is an HTML page, not an OpenAPI document/);
  });

  it('calls a JSON error body where the spec should be an error response, with its message', async () => {
    const server = await serve(path.join(fixtures, 'not-a-spec'));
    const ok = await failure(() => activated(specCandidate(`${server.origin}/error.json`)));
    assert.match(ok, /error\.json: is an error response, not an OpenAPI document: "Not Found"/);
    const missing = await failure(() => activated(specCandidate(`${server.origin}/missing.json`)));
    assert.match(missing, /missing\.json: cannot be fetched: HTTP 404 Not Found: "Not Found"/);
  });
});

function specCandidateOfFolder(folder: string): PluginCandidate {
  return { id: path.basename(folder), displayName: path.basename(folder), source: 'global', kind: 'openapi', location: folder, entryPath: path.join(folder, 'ai-plugin.json') };
}
