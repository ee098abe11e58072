import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ContributionRegistry } from '../../../src/core/plugins/contributionRegistry';
import { specCandidate, toolsOf } from './support';

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

describe('OpenAPI tool names are always valid and unique', function () {
  this.timeout(20_000);
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-names-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('1,200 operations sharing one long operationId get 1,200 valid, different names, and all register', async () => {
    const longId = `list_${'everything_'.repeat(6)}`.slice(0, 64);
    const paths: Record<string, unknown> = {};
    for (let i = 0; i < 1200; i++) paths[`/things/${i}`] = { get: { operationId: longId, responses: { 200: { description: 'ok' } } } };
    const file = path.join(dir, 'clashes.json');
    await writeFile(file, JSON.stringify({ openapi: '3.0.3', info: { title: 'x', version: '1' }, servers: [{ url: 'http://127.0.0.1:9' }], paths }));
    const { tools } = await toolsOf(specCandidate(file));
    const names = tools.map((tool) => tool.name);
    assert.equal(new Set(names).size, 1200);
    assert.deepEqual(names.filter((name) => !TOOL_NAME.test(name)), []);
    assert.equal(names[0], longId);
    const registry = new ContributionRegistry();
    for (const tool of tools) registry.register('tool', 'things', tool);
    assert.equal(registry.tools().length, 1200);
  });
});
