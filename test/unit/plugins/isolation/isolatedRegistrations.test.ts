import assert from 'node:assert/strict';
import { silentLogger } from '../../../../src/core/ports';
import { eventually, isolatedPlugins, type IsolatedPlugins } from './isolationHarness';

const TOOLS = 1500;

/** Registers many tools in one synchronous loop, as an OpenAPI plugin does, and can drop one. */
const manyTools = `
const handles = [];
exports.activate = (ctx) => {
  for (let i = 0; i < ${TOOLS}; i++) {
    handles.push(ctx.registerTool({
      name: 'tool_' + i, description: 'Tool number ' + i,
      parameters: { type: 'object', properties: { n: { type: 'integer', minimum: i }, tags: { type: 'array', items: { enum: ['a', 'b'] } } }, required: ['n'] },
      invoke: async (args) => 'tool ' + i + ' got ' + args.n,
    }));
  }
  ctx.registerCommand({ id: 'drop', title: 'Drop tool 7', run: async () => { handles[7].dispose(); } });
};`;

const stringSchema = `exports.activate = (ctx) => ctx.registerTool({ name: 'odd', description: 'Odd schema', parameters: { type: 'string' }, invoke: async () => 'x' });`;

describe('isolated plugins: registrations cross in batches and keep their order and data', () => {
  let plugins: IsolatedPlugins;

  before(async () => {
    plugins = await isolatedPlugins({ activationTimeoutMs: 20_000 });
    await plugins.load({ 'many.js': manyTools, 'odd.js': stringSchema });
  });

  after(() => plugins.close());

  it(`a plugin that registers ${TOOLS} tools at once is loaded with every one of them, each schema as the plugin wrote it`, async () => {
    assert.equal(plugins.status('many')?.status, 'loaded', plugins.status('many')?.detail);
    const tools = plugins.registry.tools().filter((tool) => tool.owner === 'many');
    assert.equal(tools.length, TOOLS);
    const tool = tools.find((item) => item.definition.name === 'tool_1234')!;
    assert.deepEqual(tool.definition.parameters, {
      type: 'object',
      properties: { n: { type: 'integer', minimum: 1234 }, tags: { type: 'array', items: { enum: ['a', 'b'] } } },
      required: ['n'],
    });
    assert.equal(await tool.definition.invoke({ n: 2000 }, { signal: new AbortController().signal, log: silentLogger }), 'tool 1234 got 2000');
  });

  it('a registration the plugin disposes later is gone from the host', async () => {
    const drop = plugins.registry.all('command').find((item) => item.owner === 'many')!;
    await drop.definition.run({ signal: new AbortController().signal, log: silentLogger });
    await eventually(() => !plugins.registry.tools().some((tool) => tool.definition.name === 'tool_7'), 'tool_7 is unregistered');
    assert.equal(plugins.registry.tools().filter((tool) => tool.owner === 'many').length, TOOLS - 1);
  });

  it('a tool whose parameters are not an object schema fails its plugin with the usual message, and only its plugin', () => {
    const odd = plugins.status('odd');
    assert.equal(odd?.status, 'failed');
    assert.match(odd?.detail ?? '', /"parameters" must be a JSON Schema with "type": "object"/);
    assert.equal(plugins.status('many')?.status, 'loaded');
  });
});
