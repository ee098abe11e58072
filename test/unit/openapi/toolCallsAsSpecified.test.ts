/**
 * OpenAPI tool calls against a real local API: bodies in the media type the operation
 * declares, arguments always checked against a schema that compiles, nothing that leaves the
 * operation's path or sends a credential to another origin, and responses read for what
 * they are rather than for what they claim.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ToolCall, ToolDefinition } from '../../../src/core/api';
import type { ToolCallView } from '../../../src/core/chat/conversation';
import { ContributionRegistry, type Listed } from '../../../src/core/plugins/contributionRegistry';
import { silentLogger } from '../../../src/core/ports';
import { runToolCall, type ToolRunDeps } from '../../../src/core/tools/toolRunner';
import { INVENTORY_API_KEY, InventoryApi } from '../../support/inventoryApi';
import { specCandidate, toolsOf } from './support';

describe('OpenAPI tool calls go out as the spec says', function () {
  this.timeout(20_000);
  let api: InventoryApi;
  let dir: string;

  async function load(text: string, config: Record<string, unknown> = {}): Promise<Map<string, ToolDefinition>> {
    const file = path.join(dir, 'api.yaml');
    await writeFile(file, text);
    return new Map((await toolsOf(specCandidate(file), config)).tools.map((tool) => [tool.name, tool]));
  }

  const invoke = (tool: ToolDefinition | undefined, args: Record<string, unknown>) => {
    assert.ok(tool);
    return tool.invoke(args, { signal: new AbortController().signal, log: silentLogger });
  };

  /** Runs a call the way the chat does: checked against the schema, approved, invoked. */
  async function run(tool: ToolDefinition, args: Record<string, unknown>, registry = new ContributionRegistry()): Promise<{ content: string; view: ToolCallView; invoked: boolean }> {
    registry.register('tool', 'api', tool);
    const listed = registry.tools().find((item) => item.definition === tool)!;
    let invoked = false;
    const deps: ToolRunDeps = {
      rules: { default: 'allow', allow: [], deny: [] },
      alwaysAllowed: new Set(),
      approve: async () => 'once',
      rememberAlwaysAllowed: () => undefined,
      invoke: (item: Listed<ToolDefinition>, callArgs, signal) => {
        invoked = true;
        return item.definition.invoke(callArgs, { signal, log: silentLogger });
      },
      update: () => undefined,
      maxResultChars: 20_000,
      reportToolProblem: (item, problem) => registry.reportToolProblem(item.owner, item.definition.name, problem),
    };
    const call: ToolCall = { id: 'c1', name: listed.listedName, arguments: JSON.stringify(args) };
    const result = await runToolCall(call, new Map([[listed.listedName, listed]]), deps, new AbortController().signal);
    return { ...result, invoked };
  }

  beforeEach(async () => {
    api = await InventoryApi.start();
    dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-calls-'));
  });

  afterEach(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('arguments are always checked', () => {
    const spec = (url: string) => `openapi: 3.0.3
info: {title: Checked, version: "1"}
servers: [{url: "${url}"}]
paths:
  /echo/range:
    get:
      operationId: inRange
      parameters:
        - {name: above, in: query, required: true, schema: {type: integer, minimum: 0, exclusiveMinimum: true}}
        - {name: below, in: query, schema: {type: number, maximum: 10, exclusiveMaximum: true, example: 5}}
        - {name: note, in: query, schema: {type: string, nullable: true, enum: [a, b]}}
      responses: {"200": {description: ok}}
`;

    it('OpenAPI 3.0 boolean exclusiveMinimum / exclusiveMaximum and nullable are checked, not skipped', async () => {
      const tools = await load(spec(api.url));
      const tool = tools.get('inRange')!;
      const bad = await run(tool, { above: 0 });
      assert.equal(bad.view.status, 'failed');
      assert.equal(bad.invoked, false);
      assert.match(bad.content, /"above" must be > 0/);
      const alsoBad = await run(tool, { above: 1, below: 10 });
      assert.match(alsoBad.content, /"below" must be < 10/);
      const good = await run(tool, { above: 1, below: 9.5, note: null });
      assert.equal(good.view.status, 'done', good.content);
      assert.equal(api.requests.length, 1);
      assert.equal(api.requests[0]!.path, '/echo/range?above=1&below=9.5');
    });

    it('a tool whose schema cannot be compiled is never called unchecked, and its plugin shows why', async () => {
      const registry = new ContributionRegistry();
      let called = false;
      const broken: ToolDefinition = {
        name: 'broken',
        description: 'a tool with a schema no validator can compile',
        parameters: { type: 'object', properties: { size: { type: 'huge' } } },
        invoke: async () => {
          called = true;
          return 'ran';
        },
      };
      const result = await run(broken, { size: 3 }, registry);
      assert.equal(called, false);
      assert.equal(result.view.status, 'failed');
      assert.match(result.content, /"broken" cannot be called: its argument schema cannot be checked \(.*type.*\)/);
      assert.ok(registry.contributionsOf('api').some((line) => /^tool broken — error: its argument schema cannot be checked/.test(line)), registry.contributionsOf('api').join('\n'));
      assert.deepEqual(registry.tools(), [], 'a broken tool is no longer offered');
    });
  });

  describe('bodies in the declared media type', () => {
    it('multipart/form-data goes as real multipart, files and arrays as parts', async () => {
      const tools = await load(`openapi: 3.0.3
info: {title: Upload, version: "1"}
servers: [{url: "${api.url}"}]
paths:
  /echo/upload:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [title]
              properties:
                title: {type: string}
                tags: {type: array, items: {type: string}}
                meta: {type: object, properties: {size: {type: integer}}}
                file: {type: string, format: binary}
      responses: {"200": {description: ok}}
`);
      await invoke(tools.get('upload'), { title: 'Sky hook', tags: ['x', 'y'], meta: { size: 2 }, file: 'file text' });
      const request = api.requests.at(-1)!;
      const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(String(request.headers['content-type']))?.[1];
      assert.ok(boundary, String(request.headers['content-type']));
      const parts = request.body.split(`--${boundary}`).slice(1, -1).map((part) => part.trim());
      assert.deepEqual(parts.map((part) => /name="([^"]+)"/.exec(part)?.[1]), ['title', 'tags', 'tags', 'meta', 'file']);
      assert.match(parts[0]!, /\r\n\r\nSky hook$/);
      // An object field goes as its JSON text.
      assert.match(parts[3]!, /name="meta"\r\n\r\n\{"size":2\}$/);
      assert.match(parts[4]!, /filename="file"[\s\S]*\r\n\r\nfile text$/);
    });

    it('Swagger 2 formData: multipart when it consumes multipart (a file), url-encoded otherwise', async () => {
      const { host } = new URL(api.url);
      const tools = await load(JSON.stringify({
        swagger: '2.0',
        info: { title: 'Forms', version: '1' },
        host,
        schemes: ['http'],
        paths: {
          '/echo/photo': {
            post: {
              operationId: 'uploadPhoto',
              consumes: ['multipart/form-data'],
              parameters: [
                { name: 'caption', in: 'formData', type: 'string' },
                { name: 'photo', in: 'formData', type: 'file', required: true },
              ],
              responses: { 200: { description: 'ok' } },
            },
          },
          '/echo/form': {
            post: {
              operationId: 'sendForm',
              consumes: ['application/x-www-form-urlencoded'],
              parameters: [
                { name: 'name', in: 'formData', type: 'string' },
                { name: 'colors', in: 'formData', type: 'array', items: { type: 'string' }, collectionFormat: 'multi' },
              ],
              responses: { 200: { description: 'ok' } },
            },
          },
        },
      }));
      await invoke(tools.get('uploadPhoto'), { caption: 'Rex', photo: 'PNG…' });
      assert.match(String(api.requests.at(-1)!.headers['content-type']), /^multipart\/form-data; boundary=/);
      assert.match(api.requests.at(-1)!.body, /name="photo"; filename="photo"/);
      await invoke(tools.get('sendForm'), { name: 'a b', colors: ['red', 'green'] });
      assert.equal(api.requests.at(-1)!.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.equal(api.requests.at(-1)!.body, 'name=a+b&colors=red&colors=green');
    });

    it('GET and HEAD get no body argument, even when the spec declares an (empty) body; body headers are not arguments', async () => {
      const tools = await load(`openapi: 3.0.3
info: {title: Bodies, version: "1"}
servers: [{url: "${api.url}"}]
paths:
  /echo/search:
    get:
      operationId: search
      parameters: [{name: q, in: query, schema: {type: string}}]
      requestBody: {content: {application/json: {}}}
      responses: {"200": {description: ok}}
  /echo/upload:
    post:
      operationId: upload
      parameters:
        - {name: Content-Type, in: header, schema: {type: string}}
        - {name: authorization, in: header, schema: {type: string}}
      requestBody: {content: {multipart/form-data: {schema: {type: object, properties: {title: {type: string}}}}}}
      responses: {"200": {description: ok}}
`);
      const tool = tools.get('search')!;
      assert.deepEqual(Object.keys((tool.parameters as { properties: object }).properties), ['q']);
      // Accept, Content-Type and Authorization "parameters" are ignored, as OpenAPI 3 says.
      assert.deepEqual(Object.keys((tools.get('upload')!.parameters as { properties: object }).properties), ['title']);
      assert.equal((await run(tool, { q: 'x' })).view.status, 'done');
    });
  });

  describe('calls never leave the operation\'s path or origin', () => {
    const spec = (url: string) => `openapi: 3.0.3
info: {title: Paths, version: "1"}
servers: [{url: "${url}/echo/v1"}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-API-Key}
security: [{key: []}]
paths:
  /items/{name}/detail:
    get:
      operationId: itemDetail
      parameters: [{name: name, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
  /labels/{tag}:
    get:
      operationId: byLabel
      parameters: [{name: tag, in: path, required: true, style: label, schema: {type: string}}]
      responses: {"200": {description: ok}}
  /moved:
    get:
      operationId: moved
      responses: {"200": {description: ok}}
`;

    it('refuses a path parameter that is a dot segment, and sends nothing', async () => {
      const tools = await load(spec(api.url), { key: INVENTORY_API_KEY });
      for (const name of ['..', '.']) {
        await assert.rejects(invoke(tools.get('itemDetail'), { name }), new RegExp(`the path parameter "name" cannot be "${name.replaceAll('.', '\\.')}": it would leave the operation's path`));
      }
      await assert.rejects(invoke(tools.get('byLabel'), { tag: '.' }), /the path parameter "tag" cannot be "\.": it would leave the operation's path/);
      assert.equal(api.requests.length, 0);
      await invoke(tools.get('itemDetail'), { name: '..a/b' });
      assert.equal(api.requests.at(-1)!.path, '/echo/v1/items/..a%2Fb/detail');
    });

    it('does not follow a redirect to another origin, so the credential stays home', async () => {
      const other = await InventoryApi.start();
      try {
        const tools = await load(spec(api.url).replace(`${api.url}/echo/v1`, api.url), { key: INVENTORY_API_KEY });
        api.redirectTarget = `${other.url}/secure/report`;
        await assert.rejects(invoke(tools.get('moved'), {}), /HTTP 302 Found: the API redirects to http:\/\/127\.0\.0\.1:\d+\/secure\/report, which Patchbay does not follow/);
        assert.equal(api.requests.at(-1)!.headers['x-api-key'], INVENTORY_API_KEY);
        assert.equal(other.requests.length, 0);
      } finally {
        await other.close();
      }
    });

    it('a header value outside Latin-1 is a clear error naming the parameter', async () => {
      const tools = await load(`openapi: 3.0.3
info: {title: Headers, version: "1"}
servers: [{url: "${api.url}"}]
paths:
  /echo/greet:
    get:
      operationId: greet
      parameters: [{name: X-Greeting, in: header, schema: {type: string}}]
      responses: {"200": {description: ok}}
`);
      await assert.rejects(invoke(tools.get('greet'), { 'X-Greeting': 'Grüße €' }), (error: Error) =>
        error.name === 'ToolCallError' && /the header parameter "X-Greeting" cannot be sent: "€" is not a Latin-1 character, and HTTP header values allow only those/.test(error.message));
      await assert.rejects(invoke(tools.get('greet'), { 'X-Greeting': 'a\r\nX-Evil: 1' }), /the header parameter "X-Greeting" cannot be sent: it contains a line break or control character/);
      assert.equal(api.requests.length, 0);
      await invoke(tools.get('greet'), { 'X-Greeting': 'Grüße' });
      assert.equal(Buffer.from(String(api.requests.at(-1)!.headers['x-greeting']), 'latin1').toString('latin1'), 'Grüße');
    });
  });

  describe('responses are read for what they are', () => {
    const spec = (url: string) => `openapi: 3.0.3
info: {title: Responses, version: "1"}
servers: [{url: "${url}"}]
paths:
  /photo/untyped: {get: {operationId: untyped, responses: {"200": {description: ok}}}}
  /photo/as-text: {get: {operationId: asText, responses: {"200": {description: ok}}}}
  /latin1: {get: {operationId: latin1, responses: {"200": {description: ok}}}}
`;

    it('a binary response without a truthful content type is described as binary', async () => {
      const tools = await load(spec(api.url));
      assert.equal(await invoke(tools.get('untyped'), {}), '(a binary response: image/png by its content, 93 bytes; not shown)');
      assert.equal(await invoke(tools.get('asText'), {}), '(a binary response: image/png by its content, declared as text/plain, 93 bytes; not shown)');
    });

    it('text in the charset its content type names is decoded in that charset', async () => {
      const tools = await load(spec(api.url));
      assert.equal(await invoke(tools.get('latin1'), {}), 'Café crème');
    });
  });
});
