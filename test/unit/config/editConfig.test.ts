import assert from 'node:assert/strict';
import { addToConfigList, removeFromConfigList, setConfigValue } from '../../../src/core/config/editConfig';
import { mergePluginSections } from '../../../src/core/config/mergeConfig';
import { parseConfig } from '../../../src/core/config/parseConfig';

describe('editing config.yaml for the user', () => {
  const original = '# Lab settings\nproviders: [] # none yet\n';

  it('sets a plugin setting and keeps the comments', () => {
    const edited = setConfigValue(original, ['plugins', 'config', 'weather', 'units'], 'imperial');
    assert.match(edited, /^# Lab settings\nproviders: \[\] # none yet\n/);
    assert.deepEqual(parseConfig(edited).config?.plugins?.config, { weather: { units: 'imperial' } });
    assert.equal(parseConfig(setConfigValue(edited, ['plugins', 'config', 'weather', 'units'], undefined)).config?.plugins?.config?.['weather']?.['units'], undefined);
  });

  it('adds to and removes from the disabled list without duplicates', () => {
    let text = addToConfigList(original, ['plugins', 'disabled'], 'noisy');
    text = addToConfigList(text, ['plugins', 'disabled'], 'noisy');
    text = addToConfigList(text, ['plugins', 'disabled'], 'other');
    assert.deepEqual(parseConfig(text).config?.plugins?.disabled, ['noisy', 'other']);
    text = removeFromConfigList(removeFromConfigList(text, ['plugins', 'disabled'], 'noisy'), ['plugins', 'disabled'], 'other');
    assert.equal(parseConfig(text).config?.plugins?.disabled, undefined);
    assert.equal(removeFromConfigList(original, ['plugins', 'disabled'], 'x'), original);
  });

  it('works on an empty file and refuses a broken one', () => {
    assert.deepEqual(parseConfig(setConfigValue('', ['plugins', 'disabled'], ['a'])).config, { plugins: { disabled: ['a'] } });
    assert.throws(() => setConfigValue('providers: [unclosed\n', ['plugins'], {}), /fix them first/);
  });

  it('locates a value for the Problems panel', () => {
    const text = 'plugins:\n  config:\n    weather:\n      units: kelvin\n';
    assert.deepEqual(parseConfig(text).locate(['plugins', 'config', 'weather', 'units']), { line: 4, column: 14, endLine: 4, endColumn: 20 });
    assert.equal(parseConfig(text).locate(['plugins', 'config', 'nope']), undefined);
  });
});

describe('mergePluginSections', () => {
  it('adds disabled lists up, takes the most specific enabled list and merges settings key by key', () => {
    const merged = mergePluginSections([
      { plugins: { disabled: ['a'], enabled: ['x', 'y'], config: { weather: { units: 'metric', days: 3 } } } },
      undefined,
      { plugins: { disabled: ['b', 'a'], enabled: ['y'], config: { weather: { units: 'imperial' } } } },
    ]);
    assert.deepEqual(merged, {
      disabled: ['a', 'b'],
      enabled: ['y'],
      settings: { weather: { units: 'imperial', days: 3 } },
      // Kept apart too: a workspace's values reach the user's plugins only with their consent.
      userSettings: { weather: { units: 'metric', days: 3 } },
      workspaceSettings: { weather: { units: 'imperial' } },
    });
  });
});
