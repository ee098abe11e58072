import assert from 'node:assert/strict';
import type { PluginConfigSchema } from '../../../src/core/api';
import { checkSettingValue, parseSettingInput, resolvePluginSettings, secretFields } from '../../../src/core/plugins/pluginSettings';

const schema: PluginConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['token'],
  properties: {
    maxResults: { type: 'integer', minimum: 1, maximum: 10, default: 5, description: 'How many results' },
    units: { type: 'string', enum: ['metric', 'imperial'], default: 'metric' },
    verbose: { type: 'boolean', default: false },
    token: { type: 'string', secret: true },
  },
};

describe('plugin settings (valves)', () => {
  it('starts from the defaults, takes values from config.yaml and secrets from secret storage', () => {
    const resolved = resolvePluginSettings(schema, { maxResults: 8 }, { token: 's3cret' });
    assert.deepEqual(resolved, { values: { maxResults: 8, units: 'metric', verbose: false, token: 's3cret' }, problems: [] });
  });

  it('names the field and the rule a value breaks', () => {
    const { problems } = resolvePluginSettings(schema, { maxResults: 50, units: 'kelvin' }, { token: 'x' });
    assert.deepEqual(problems.map((p) => p.message).sort(), [
      '"maxResults" must be <= 10 (maximum)',
      '"units" must be equal to one of the allowed values (enum)',
    ]);
    assert.ok(problems.every((p) => p.severity === 'error'));
  });

  it('with nothing set by the user, reports a missing required setting as the full check does, and takes the defaults', () => {
    const unset = resolvePluginSettings(schema, undefined, {});
    const checked = resolvePluginSettings(schema, { verbose: true }, {});
    assert.deepEqual(unset.values, { maxResults: 5, units: 'metric', verbose: false });
    assert.deepEqual(unset.problems, checked.problems);
    assert.deepEqual(unset.problems, [{ field: 'token', message: '"token" is required (a secret: set it with "Patchbay: Configure Plugin")', severity: 'error' }]);
    const whole = { ...schema, required: [], anyOf: [{ required: ['token'] }] } as PluginConfigSchema;
    assert.ok(resolvePluginSettings(whole, undefined, {}).problems.some((problem) => /anyOf/.test(problem.message)), 'a schema with whole-object rules is checked in full');
  });

  it('refuses a secret written in a file and says how to set it', () => {
    const { problems } = resolvePluginSettings(schema, { token: 'leaked' }, {});
    assert.equal(problems[0]?.field, 'token');
    assert.match(problems[0]?.message ?? '', /secret: it must not be written in a file; set it with "Patchbay: Configure Plugin"/);
    assert.ok(problems.some((p) => /"token" is required \(a secret/.test(p.message)));
  });

  it('reports unknown settings when the schema allows no others', () => {
    const { problems } = resolvePluginSettings(schema, { maxresults: 3 }, { token: 'x' });
    assert.equal(problems[0]?.message, 'unknown setting "maxresults" (known: maxResults, units, verbose, token)');
  });

  it('warns about settings for a plugin that declares none, without failing it', () => {
    const { values, problems } = resolvePluginSettings(undefined, { anything: 1 }, {});
    assert.deepEqual(values, {});
    assert.equal(problems[0]?.severity, 'warning');
  });

  it('lists secret fields', () => {
    assert.deepEqual(secretFields(schema), ['token']);
  });

  it('parses typed input and checks one value', () => {
    assert.deepEqual(parseSettingInput({ type: 'integer' }, ' 7 '), { value: 7 });
    assert.deepEqual(parseSettingInput({ type: 'integer' }, '7.5'), { error: 'enter a whole number' });
    assert.deepEqual(parseSettingInput({ type: 'number' }, 'x'), { error: 'enter a number' });
    assert.deepEqual(parseSettingInput({ type: 'boolean' }, 'true'), { value: true });
    assert.deepEqual(parseSettingInput({ type: 'array' }, '["a"]'), { value: ['a'] });
    assert.ok('error' in parseSettingInput({ type: 'object' }, '{oops'));
    assert.equal(checkSettingValue(schema, 'maxResults', 11), '"maxResults" must be <= 10 (maximum)');
    assert.equal(checkSettingValue(schema, 'maxResults', 3), undefined);
    assert.equal(checkSettingValue(schema, 'nope', 3), 'unknown setting "nope"');
  });
});
