import assert from 'node:assert/strict';
import type { PromptTemplateDefinition, ToolDefinition } from '../../../src/core/api';
import { ContributionRegistry } from '../../../src/core/plugins/contributionRegistry';

const tool = (name: string): ToolDefinition => ({ name, description: 'd', parameters: { type: 'object', properties: {} }, invoke: async () => 'ok' });
const template = (name: string): PromptTemplateDefinition => ({ name, description: 'd', template: 'x' });

describe('ContributionRegistry', () => {
  it('remembers who registered what and lists it', () => {
    const registry = new ContributionRegistry();
    registry.register('tool', 'weather', tool('forecast'));
    registry.register('promptTemplate', 'weather', template('rain'));
    registry.register('filter', 'weather', { id: 'units', inlet: () => undefined });
    assert.deepEqual(registry.contributionsOf('weather'), ['tool forecast', 'filter units', 'prompt template rain']);
  });

  it('qualifies a tool name or slash command two plugins share, and leaves unique ones plain', () => {
    const registry = new ContributionRegistry();
    registry.register('tool', 'alpha', tool('search'));
    registry.register('tool', 'beta', tool('search'));
    registry.register('tool', 'beta', tool('fetch'));
    registry.register('promptTemplate', 'alpha', template('explain'));
    registry.register('promptTemplate', 'beta', template('explain'));
    assert.deepEqual(registry.tools().map((t) => t.listedName), ['alpha_search', 'beta_search', 'fetch']);
    assert.deepEqual(registry.promptTemplates().map((t) => t.listedName), ['alpha:explain', 'beta:explain']);
  });

  it('qualified tool names stay valid, within 64 characters and unique', () => {
    const registry = new ContributionRegistry();
    const long = 'x'.repeat(64);
    // A plugin id may hold "." (not allowed in a tool name); "a.b" and "a_b" must not meet.
    for (const owner of ['my.tools', 'my_tools', 'other']) registry.register('tool', owner, tool(long));
    // "alpha" + "b_c" and "alpha_b" + "c" would both read "alpha_b_c"; so would a plain "alpha_b_c".
    registry.register('tool', 'alpha', tool('b_c'));
    registry.register('tool', 'zeta', tool('b_c'));
    registry.register('tool', 'alpha_b', tool('c'));
    registry.register('tool', 'zeta', tool('c'));
    registry.register('tool', 'plain', tool('alpha_b_c'));
    const names = registry.tools().map((t) => t.listedName);
    assert.equal(new Set(names).size, names.length, names.join(' '));
    assert.deepEqual(names.filter((name) => !/^[a-zA-Z0-9_-]{1,64}$/.test(name)), []);
    assert.ok(names.includes('zeta_b_c') && names.includes('zeta_c'), names.join(' '));
  });

  it('refuses the same per-plugin name twice from one plugin', () => {
    const registry = new ContributionRegistry();
    registry.register('action', 'p', { id: 'a', label: 'A', run: async () => undefined });
    assert.throws(() => registry.register('action', 'p', { id: 'a', label: 'A2', run: async () => undefined }), /action "a" is registered twice by this plugin/);
    registry.register('action', 'q', { id: 'a', label: 'A', run: async () => undefined });
  });

  it('checks definitions with messages that say what is wrong', () => {
    const registry = new ContributionRegistry();
    assert.throws(() => registry.register('tool', 'p', tool('has space')), /tool "has space": "name" must match/);
    assert.throws(() => registry.register('tool', 'p', { ...tool('t'), parameters: { type: 'string' } }), /"parameters" must be a JSON Schema with "type": "object"/);
    assert.throws(() => registry.register('filter', 'p', { id: 'f' }), /filter "f": needs at least one of "inlet", "stream", "outlet"/);
    assert.throws(() => registry.register('filter', 'p', { id: 'f', priority: Number.NaN, inlet: () => undefined }), /"priority" must be a number/);
    assert.throws(() => registry.register('promptTemplate', 'p', { name: 'x', description: 'd', template: 5 as unknown as string }), /"template" must be a string or a function/);
    assert.throws(() => registry.register('command', 'p', { id: 'c', title: '', run: async () => undefined }), /"title" must be a non-empty string/);
  });

  it('tells which kinds changed, and drops all of a plugin\'s registrations at once', () => {
    const registry = new ContributionRegistry();
    const kinds: string[] = [];
    registry.onDidChange((kind) => kinds.push(kind));
    registry.register('tool', 'p', tool('t'));
    registry.register('command', 'p', { id: 'c', title: 'C', run: async () => undefined });
    registry.register('command', 'other', { id: 'c', title: 'C', run: async () => undefined });
    registry.removeAllOf('p');
    assert.deepEqual(kinds, ['tool', 'command', 'command', 'tool', 'command']);
    assert.deepEqual(registry.all('command').map((c) => c.owner), ['other']);
    assert.deepEqual(registry.tools(), []);
  });
});
