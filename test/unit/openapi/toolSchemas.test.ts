import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { toolArgumentsValidator } from '../../../src/core/util/schemaValidator';
import { examples, githubSpec, specCandidate, toolsOf } from './support';

describe('tool argument schemas always compile, so arguments are always checked', function () {
  this.timeout(60_000);

  it('every operation of the example specs (Swagger 2.0, OpenAPI 3.0 and 3.1) and of the GitHub REST spec', async () => {
    const files = ['2.0', '3.0', '3.1']
      .flatMap((version) => readdirSync(path.join(examples, version, 'json')).map((name) => path.join(examples, version, 'json', name)))
      .filter((file) => file.endsWith('.json') && !file.endsWith('webhooks.json'));
    files.push(githubSpec);
    let checked = 0;
    const broken: string[] = [];
    for (const file of files) {
      const { tools } = await toolsOf(specCandidate(file, { baseUrl: 'http://127.0.0.1:9' }));
      for (const tool of tools) {
        checked++;
        try {
          toolArgumentsValidator(tool.parameters);
        } catch (error) {
          broken.push(`${path.basename(file)} ${tool.name}: ${(error as Error).message}`);
        }
      }
    }
    assert.deepEqual(broken, []);
    assert.ok(checked > 1200, `${checked} tools`);
  });

  it('boolean exclusiveMaximum (3.0), a pattern JavaScript cannot read, and 3.1 tuples become rules that are checked', async () => {
    const { tools } = await toolsOf(specCandidate(path.join(examples, '3.0/json/schema-validation.json'), { baseUrl: 'http://127.0.0.1:9' }));
    const numbers = tools.find((tool) => tool.name === 'get_anything_numbers')!;
    const text = JSON.stringify(numbers.parameters);
    assert.doesNotMatch(text, /"exclusiveM(in|ax)imum":(true|false)/);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-schemas-'));
    try {
      const file = path.join(dir, 'tuple.json');
      await writeFile(file, JSON.stringify({
        openapi: '3.1.0', info: { title: 't', version: '1' }, servers: [{ url: 'http://127.0.0.1:9' }],
        paths: { '/points': { post: { operationId: 'addPoint', requestBody: { required: true, content: { 'application/json': { schema: {
          type: 'object', required: ['point', 'code'],
          properties: {
            point: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], items: false },
            code: { type: 'string', pattern: '^[[:alpha:]]+$' },
          },
          dependentRequired: { point: ['code'] },
        } } } }, responses: { 200: { description: 'ok' } } } } },
      }));
      const [tool] = (await toolsOf(specCandidate(file))).tools;
      const validate = toolArgumentsValidator(tool!.parameters);
      assert.equal(validate({ point: [1, 2], code: 'x' }), true);
      assert.equal(validate({ point: [1, 'two'], code: 'x' }), false);
      assert.equal(validate({ point: [1, 2, 3], code: 'x' }), false);
      // Kept for the model to read, not for a validator that cannot compile it.
      assert.match(JSON.stringify(tool!.parameters), /matches the pattern \^\[\[:alpha:\]\]\+\$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
