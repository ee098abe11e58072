/**
 * Parameters go out serialized as the spec says: every `style` and `explode` of OpenAPI 3
 * and every `collectionFormat` of Swagger 2, checked on the wire of a real local API. The
 * expected strings are the "Style Examples" table of the OpenAPI Specification (3.0.4, the
 * same in 3.1.1 and 3.2.0) for a parameter `color` of "blue", ["blue","black","brown"] and
 * { "R": 100, "G": 200, "B": 150 }.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ToolDefinition } from '../../../src/core/api';
import { silentLogger } from '../../../src/core/ports';
import { InventoryApi } from '../../support/inventoryApi';
import { specCandidate, toolsOf } from './support';

type Kind = 'string' | 'array' | 'object';

const VALUES: Record<Kind, unknown> = { string: 'blue', array: ['blue', 'black', 'brown'], object: { R: 100, G: 200, B: 150 } };
const SCHEMAS: Record<Kind, unknown> = {
  string: { type: 'string' },
  array: { type: 'array', items: { type: 'string' } },
  object: { type: 'object', properties: { R: { type: 'integer' }, G: { type: 'integer' }, B: { type: 'integer' } } },
};

/** [style, explode, kind, what the path segment or query string is on the wire] */
const PATH_TABLE: [string, boolean, Kind, string][] = [
  ['matrix', false, 'string', ';color=blue'],
  ['matrix', false, 'array', ';color=blue,black,brown'],
  ['matrix', false, 'object', ';color=R,100,G,200,B,150'],
  ['matrix', true, 'string', ';color=blue'],
  ['matrix', true, 'array', ';color=blue;color=black;color=brown'],
  ['matrix', true, 'object', ';R=100;G=200;B=150'],
  ['label', false, 'string', '.blue'],
  ['label', false, 'array', '.blue,black,brown'],
  ['label', false, 'object', '.R,100,G,200,B,150'],
  ['label', true, 'string', '.blue'],
  ['label', true, 'array', '.blue.black.brown'],
  ['label', true, 'object', '.R=100.G=200.B=150'],
  ['simple', false, 'string', 'blue'],
  ['simple', false, 'array', 'blue,black,brown'],
  ['simple', false, 'object', 'R,100,G,200,B,150'],
  ['simple', true, 'string', 'blue'],
  ['simple', true, 'array', 'blue,black,brown'],
  ['simple', true, 'object', 'R=100,G=200,B=150'],
];

const QUERY_TABLE: [string, boolean, Kind, string][] = [
  ['form', false, 'string', '?color=blue'],
  ['form', false, 'array', '?color=blue,black,brown'],
  ['form', false, 'object', '?color=R,100,G,200,B,150'],
  ['form', true, 'string', '?color=blue'],
  ['form', true, 'array', '?color=blue&color=black&color=brown'],
  ['form', true, 'object', '?R=100&G=200&B=150'],
  ['spaceDelimited', false, 'array', '?color=blue%20black%20brown'],
  ['spaceDelimited', false, 'object', '?color=R%20100%20G%20200%20B%20150'],
  ['pipeDelimited', false, 'array', '?color=blue%7Cblack%7Cbrown'],
  ['pipeDelimited', false, 'object', '?color=R%7C100%7CG%7C200%7CB%7C150'],
  ['deepObject', true, 'object', '?color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150'],
];

const toolName = (place: string, style: string, explode: boolean, kind: Kind) => `${place}_${style}_${explode}_${kind}`;

function openApi3Spec(url: string): string {
  const paths: Record<string, unknown> = {};
  for (const [style, explode, kind] of PATH_TABLE) {
    paths[`/echo/path/${style}/${explode}/${kind}/{color}`] = {
      get: { operationId: toolName('path', style, explode, kind), parameters: [{ name: 'color', in: 'path', required: true, style, explode, schema: SCHEMAS[kind] }], responses: { 200: { description: 'ok' } } },
    };
  }
  for (const [style, explode, kind] of QUERY_TABLE) {
    paths[`/echo/query/${style}/${explode}/${kind}`] = {
      get: { operationId: toolName('query', style, explode, kind), parameters: [{ name: 'color', in: 'query', style, explode, schema: SCHEMAS[kind] }], responses: { 200: { description: 'ok' } } },
    };
  }
  for (const explode of [false, true]) {
    for (const kind of ['array', 'object'] as const) {
      paths[`/echo/header/${explode}/${kind}`] = {
        get: { operationId: toolName('header', 'simple', explode, kind), parameters: [{ name: 'X-Color', in: 'header', explode, schema: SCHEMAS[kind] }], responses: { 200: { description: 'ok' } } },
      };
    }
  }
  paths['/echo/defaults/{color}'] = {
    get: {
      operationId: 'defaults',
      parameters: [
        { name: 'color', in: 'path', required: true, schema: SCHEMAS.array },
        { name: 'shade', in: 'query', schema: SCHEMAS.array },
        { name: 'tone', in: 'query', schema: SCHEMAS.object },
      ],
      responses: { 200: { description: 'ok' } },
    },
  };
  paths['/echo/reserved'] = {
    get: {
      operationId: 'reserved',
      parameters: [
        { name: 'plain', in: 'query', schema: { type: 'string' } },
        { name: 'raw', in: 'query', allowReserved: true, schema: { type: 'string' } },
        { name: 'filter', in: 'query', content: { 'application/json': { schema: { type: 'object' } } } },
      ],
      responses: { 200: { description: 'ok' } },
    },
  };
  return JSON.stringify({ openapi: '3.0.3', info: { title: 'Styles', version: '1' }, servers: [{ url }], paths });
}

function swagger2Spec(url: string): string {
  const formats = ['csv', 'ssv', 'tsv', 'pipes', 'multi', undefined];
  const paths: Record<string, unknown> = {};
  for (const format of formats) {
    paths[`/echo/collection/${format ?? 'default'}`] = {
      get: {
        operationId: `collection_${format ?? 'default'}`,
        parameters: [{ name: 'color', in: 'query', type: 'array', items: { type: 'string' }, ...(format ? { collectionFormat: format } : {}) }],
        responses: { 200: { description: 'ok' } },
      },
    };
  }
  paths['/echo/collection/path/{color}'] = {
    get: {
      operationId: 'collection_path',
      parameters: [
        { name: 'color', in: 'path', required: true, type: 'array', items: { type: 'string' } },
        { name: 'X-Color', in: 'header', type: 'array', items: { type: 'string' }, collectionFormat: 'pipes' },
      ],
      responses: { 200: { description: 'ok' } },
    },
  };
  const { host } = new URL(url);
  return JSON.stringify({ swagger: '2.0', info: { title: 'Collections', version: '1' }, host, schemes: ['http'], paths });
}

describe('OpenAPI parameters are serialized as the spec says', function () {
  this.timeout(20_000);
  let api: InventoryApi;
  let dir: string;

  async function load(name: string, text: string): Promise<Map<string, ToolDefinition>> {
    const file = path.join(dir, name);
    await writeFile(file, text);
    return new Map((await toolsOf(specCandidate(file))).tools.map((tool) => [tool.name, tool]));
  }

  async function wire(tools: Map<string, ToolDefinition>, name: string, args: Record<string, unknown>): Promise<{ path: string; headers: Record<string, unknown> }> {
    const tool = tools.get(name);
    assert.ok(tool, `no tool ${name}`);
    await tool.invoke(args, { signal: new AbortController().signal, log: silentLogger });
    const request = api.requests.at(-1)!;
    return { path: request.path, headers: request.headers };
  }

  beforeEach(async () => {
    api = await InventoryApi.start();
    dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-styles-'));
  });

  afterEach(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('path parameters: matrix, label and simple, exploded or not, as in the spec\'s table', async () => {
    const tools = await load('styles.json', openApi3Spec(api.url));
    for (const [style, explode, kind, expected] of PATH_TABLE) {
      const { path: sent } = await wire(tools, toolName('path', style, explode, kind), { color: VALUES[kind] });
      assert.equal(sent, `/echo/path/${style}/${explode}/${kind}/${expected}`, `${style} explode=${explode} ${kind}`);
    }
  });

  it('query parameters: form, spaceDelimited, pipeDelimited and deepObject, as in the spec\'s table', async () => {
    const tools = await load('styles.json', openApi3Spec(api.url));
    for (const [style, explode, kind, expected] of QUERY_TABLE) {
      const { path: sent } = await wire(tools, toolName('query', style, explode, kind), { color: VALUES[kind] });
      assert.equal(sent, `/echo/query/${style}/${explode}/${kind}${expected}`, `${style} explode=${explode} ${kind}`);
    }
  });

  it('header parameters: simple, exploded or not', async () => {
    const tools = await load('styles.json', openApi3Spec(api.url));
    const expected: [boolean, Kind, string][] = [
      [false, 'array', 'blue,black,brown'],
      [false, 'object', 'R,100,G,200,B,150'],
      [true, 'array', 'blue,black,brown'],
      [true, 'object', 'R=100,G=200,B=150'],
    ];
    for (const [explode, kind, value] of expected) {
      const { headers } = await wire(tools, toolName('header', 'simple', explode, kind), { 'X-Color': VALUES[kind] });
      assert.equal(headers['x-color'], value, `explode=${explode} ${kind}`);
    }
  });

  it('without style or explode: simple in the path, exploded form in the query', async () => {
    const tools = await load('styles.json', openApi3Spec(api.url));
    const { path: sent } = await wire(tools, 'defaults', { color: ['a b', 'c,d'], shade: ['x', 'y'], tone: { R: 1, G: 2 } });
    // A delimiter inside a value is percent-encoded, so it cannot be taken for one.
    assert.equal(sent, '/echo/defaults/a%20b,c%2Cd?shade=x&shade=y&R=1&G=2');
  });

  it('allowReserved leaves reserved characters as they are; a content parameter goes as JSON text', async () => {
    const tools = await load('styles.json', openApi3Spec(api.url));
    const { path: sent } = await wire(tools, 'reserved', { plain: 'a/b?c', raw: 'a/b?c:d', filter: { size: 'L' } });
    assert.equal(sent, '/echo/reserved?plain=a%2Fb%3Fc&raw=a/b?c:d&filter=%7B%22size%22%3A%22L%22%7D');
  });

  it('Swagger 2 collectionFormat: csv (the default), ssv, tsv, pipes and multi', async () => {
    const tools = await load('collections.json', swagger2Spec(api.url));
    const expected: [string, string][] = [
      ['csv', '?color=blue,black,brown'],
      ['ssv', '?color=blue%20black%20brown'],
      ['tsv', '?color=blue%09black%09brown'],
      ['pipes', '?color=blue%7Cblack%7Cbrown'],
      ['multi', '?color=blue&color=black&color=brown'],
      ['default', '?color=blue,black,brown'],
    ];
    for (const [format, query] of expected) {
      const { path: sent } = await wire(tools, `collection_${format}`, { color: VALUES.array });
      assert.equal(sent, `/echo/collection/${format}${query}`, format);
    }
    const { path: sent, headers } = await wire(tools, 'collection_path', { color: VALUES.array, 'X-Color': VALUES.array });
    assert.equal(sent, '/echo/collection/path/blue,black,brown');
    assert.equal(headers['x-color'], 'blue|black|brown');
  });
});
