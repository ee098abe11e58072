import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ContributionRegistry } from '../../../src/core/plugins/contributionRegistry';
import { prepareOpenApiPlugin } from '../../../src/core/openapi/openApiPlugin';
import { examples, githubSpec, specCandidate, toolsOf } from './support';

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

describe('OpenAPI specs to tools, on real public specs', function () {
  this.timeout(20_000);

  it('Swagger 2.0 Petstore: every operation, names from operationId, host+basePath as the API address', async () => {
    const { prepared, tools } = await toolsOf(specCandidate(path.join(examples, '2.0/json/petstore.json')));
    assert.equal(tools.length, 20);
    assert.equal(prepared.baseUrl, 'http://petstore.swagger.io/v2');
    const names = tools.map((tool) => tool.name);
    for (const name of ['addPet', 'updatePet', 'findPetsByStatus', 'getPetById', 'deletePet', 'placeOrder', 'loginUser']) assert.ok(names.includes(name), name);
    const getPetById = tools.find((tool) => tool.name === 'getPetById')!;
    assert.deepEqual(getPetById.parameters, {
      type: 'object',
      properties: { petId: { type: 'integer', format: 'int64', description: 'ID of pet to return' } },
      required: ['petId'],
    });
    assert.deepEqual(getPetById.describeCall?.({ petId: 7 }), { method: 'GET', url: 'http://petstore.swagger.io/v2/pet/7' });
    // The body (a Pet) becomes arguments of its own; its required fields stay required.
    const addPet = tools.find((tool) => tool.name === 'addPet')!;
    const schema = addPet.parameters as { properties: Record<string, { type?: string }>; required: string[] };
    assert.deepEqual(Object.keys(schema.properties).sort(), ['category', 'id', 'name', 'photoUrls', 'status', 'tags']);
    assert.deepEqual(schema.required.sort(), ['name', 'photoUrls']);
    assert.deepEqual(addPet.describeCall?.({ name: 'Rex', photoUrls: [] }), { method: 'POST', url: 'http://petstore.swagger.io/v2/pet' });
  });

  it('OpenAPI 3.0 petstore-expanded (YAML): operations with and without operationId, query arrays, request body', async () => {
    const { prepared, tools } = await toolsOf(specCandidate(path.join(examples, '3.0/yaml/petstore-expanded.yaml')));
    assert.equal(prepared.baseUrl, 'http://petstore.swagger.io/api');
    assert.deepEqual(tools.map((tool) => tool.name), ['findPets', 'addPet', 'find_pet_by_id', 'deletePet']);
    const findPets = tools[0]!;
    const properties = (findPets.parameters as { properties: Record<string, unknown> }).properties;
    assert.deepEqual(Object.keys(properties), ['tags', 'limit']);
    assert.deepEqual(findPets.describeCall?.({ tags: ['dog', 'cat'], limit: 2 }), { method: 'GET', url: 'http://petstore.swagger.io/api/pets?tags=dog&tags=cat&limit=2' });
    assert.match(findPets.description, /Returns all pets from the system that the user has access to/);
    assert.equal(tools[3]!.describeCall?.({ id: 3 }).method, 'DELETE');
  });

  it('OpenAPI 3.1 Petstore', async () => {
    const { tools } = await toolsOf(specCandidate(path.join(examples, '3.1/json/petstore.json')));
    assert.equal(tools.length, 20);
    assert.ok(tools.every((tool) => TOOL_NAME.test(tool.name)));
    const update = tools.find((tool) => tool.name === 'updatePetWithForm')!;
    assert.deepEqual(update.describeCall?.({ petId: 1, name: 'x' }), { method: 'POST', url: 'http://petstore.swagger.io/v2/pet/1' });
  });

  it('a spec with reference cycles gives finite schemas that say where they stop', async () => {
    const { tools } = await toolsOf(specCandidate(path.join(examples, '3.0/json/schema-circular.json'), { baseUrl: 'http://127.0.0.1:9' }));
    assert.ok(tools.length >= 3);
    for (const tool of tools) {
      const text = JSON.stringify(tool.parameters);
      assert.ok(text.length < 200_000, `${tool.name}: ${text.length} characters`);
    }
    assert.ok(tools.some((tool) => /again; nested fields omitted/.test(JSON.stringify(tool.parameters))));
  });

  it('the GitHub REST spec: 1,000+ operations, valid unique names, lazy schemas, described within budget', async () => {
    const { prepared, tools } = await toolsOf(specCandidate(githubSpec));
    assert.ok(tools.length > 1000, `${tools.length} tools`);
    assert.equal(prepared.baseUrl, 'https://api.github.com');
    assert.equal(new Set(tools.map((tool) => tool.name)).size, tools.length);
    assert.ok(tools.every((tool) => TOOL_NAME.test(tool.name)));
    assert.ok(tools.every((tool) => tool.description.length <= 1024));
    const get = tools.find((tool) => tool.name === 'repos_get')!;
    const schema = get.parameters as { properties: Record<string, unknown>; required: string[] };
    assert.deepEqual(schema.required, ['owner', 'repo']);
    assert.deepEqual(get.describeCall?.({ owner: 'octo', repo: 'hello world' }), { method: 'GET', url: 'https://api.github.com/repos/octo/hello%20world' });
    // The registry accepts a thousand tools without building their schemas.
    const registry = new ContributionRegistry();
    for (const tool of tools) registry.register('tool', 'github', tool);
    assert.equal(registry.tools().length, tools.length);
  });

  it('offers only the operations its settings include and not those they exclude', async () => {
    const { tools } = await toolsOf(specCandidate(path.join(examples, '2.0/json/petstore.json')), { include: ['*Pet*'], exclude: ['deletePet'] });
    assert.deepEqual(tools.map((tool) => tool.name).sort(), ['addPet', 'findPetsByStatus', 'findPetsByTags', 'getPetById', 'updatePet', 'updatePetWithForm']);
    assert.ok(!tools.some((tool) => tool.name === 'deletePet'));
  });
});

describe('OpenAPI problems get specific errors with their location', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-specs-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function failure(fileName: string, text: string, declared = {}): Promise<string> {
    const file = path.join(dir, fileName);
    await writeFile(file, text);
    try {
      await prepareOpenApiPlugin(specCandidate(file, declared));
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  }

  it('says where YAML and JSON are broken', async () => {
    assert.match(await failure('broken.yaml', 'openapi: 3.0.0\npaths:\n  /x: [unclosed\n'), /broken\.yaml: invalid YAML at line \d+, column \d+/);
    assert.match(await failure('broken.json', '{\n  "openapi": "3.0.0",\n  "paths": { oops }\n}'), /broken\.json: invalid JSON at line 3, column \d+/);
  });

  it('names what is missing or unsupported', async () => {
    assert.match(await failure('a.yaml', 'info: {title: x}\n'), /neither an "openapi" nor a "swagger" field/);
    assert.match(await failure('b.yaml', 'openapi: 4.0.0\npaths: {}\n'), /OpenAPI 4\.0\.0 is not supported/);
    assert.match(await failure('c.yaml', 'openapi: 3.0.0\ninfo: {title: x}\n'), /has no "paths"/);
    assert.match(await failure('d.yaml', 'openapi: 3.0.0\npaths:\n  /x:\n    get:\n      operationId: x\n'), /no usable "servers" entry; give the API's address as "baseUrl"/);
  });

  it('refuses references outside the spec\'s folder and to other origins', async () => {
    const spec = 'openapi: 3.0.0\nservers: [{url: "http://127.0.0.1:9"}]\npaths:\n  /x:\n    get:\n      parameters:\n        - $ref: "REF"\n';
    assert.match(await failure('e.yaml', spec.replace('REF', '../outside.yaml#/p')), /outside the spec's folder/);
    assert.match(await failure('f.yaml', spec.replace('REF', 'https://elsewhere.example/p.yaml#/p')), /only to the spec's own origin/);
  });

  it('follows a reference to another file in the spec\'s folder', async () => {
    await writeFile(path.join(dir, 'common.yaml'), 'Limit:\n  name: limit\n  in: query\n  schema: {type: integer, maximum: 50}\n');
    const file = path.join(dir, 'api.yaml');
    await writeFile(file, 'openapi: 3.0.0\nservers: [{url: "http://127.0.0.1:9"}]\npaths:\n  /items:\n    get:\n      operationId: listItems\n      parameters:\n        - $ref: "common.yaml#/Limit"\n');
    const { tools } = await toolsOf(specCandidate(file));
    assert.deepEqual(tools[0]?.parameters, { type: 'object', properties: { limit: { type: 'integer', maximum: 50 } } });
  });
});
