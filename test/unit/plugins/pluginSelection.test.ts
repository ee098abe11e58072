import assert from 'node:assert/strict';
import type { PluginCandidate, PluginSource } from '../../../src/core/plugins/discovery';
import { parseLoadOnly, selectPlugins, type SelectionRules } from '../../../src/core/plugins/pluginSelection';

function candidate(id: string, source: PluginSource, location = `/${source}/${id}`): PluginCandidate {
  return { id, displayName: id, source, kind: 'code', location, entryPath: `${location}/index.js` };
}

const open: SelectionRules = { workspaceTrusted: true, loadOnly: undefined, enabled: undefined, disabled: [] };

function summary(rules: SelectionRules, candidates: PluginCandidate[]) {
  const selection = selectPlugins(candidates, rules);
  return {
    active: selection.active.map((c) => `${c.source}:${c.id}`),
    notLoaded: selection.notLoaded.map(({ candidate: c, why }) => `${c.source}:${c.id}=${why.status}`).sort(),
  };
}

describe('selectPlugins', () => {
  it('lets a workspace plugin shadow a global one, which shadows a bundled one', () => {
    const candidates = [candidate('tools', 'bundled'), candidate('tools', 'global'), candidate('tools', 'workspace'), candidate('only-global', 'global')];
    assert.deepEqual(summary(open, candidates), {
      active: ['workspace:tools', 'global:only-global'],
      notLoaded: ['bundled:tools=shadowed', 'global:tools=shadowed'],
    });
    const shadowed = selectPlugins(candidates, open).notLoaded.find(({ candidate: c }) => c.source === 'global');
    assert.equal(shadowed?.why.reason, 'shadowed by the workspace plugin at /workspace/tools');
  });

  it('keeps the first of two workspace folders for the same id', () => {
    const selection = selectPlugins([candidate('x', 'workspace', '/a/x'), candidate('x', 'workspace', '/b/x')], open);
    assert.equal(selection.active[0]?.location, '/a/x');
  });

  it('skips every plugin of an untrusted workspace, and the global one it would have shadowed loads instead', () => {
    const candidates = [candidate('tools', 'global'), candidate('tools', 'workspace'), candidate('mine', 'workspace')];
    const result = summary({ ...open, workspaceTrusted: false }, candidates);
    assert.deepEqual(result, { active: ['global:tools'], notLoaded: ['workspace:mine=skipped-untrusted', 'workspace:tools=skipped-untrusted'] });
    const why = selectPlugins(candidates, { ...open, workspaceTrusted: false }).notLoaded[0]?.why;
    assert.match(why?.reason ?? '', /not trusted/);
  });

  it('reads PATCHBAY_LOAD_PLUGINS like LLM_LOAD_PLUGINS: unset, empty, or a comma list', () => {
    assert.equal(parseLoadOnly(undefined), undefined);
    assert.deepEqual(parseLoadOnly(''), []);
    assert.deepEqual(parseLoadOnly(' a, b ,,c '), ['a', 'b', 'c']);
  });

  it('with PATCHBAY_LOAD_PLUGINS empty loads only the bundled plugins', () => {
    const candidates = [candidate('ollama', 'bundled'), candidate('g', 'global'), candidate('w', 'workspace')];
    assert.deepEqual(summary({ ...open, loadOnly: [] }, candidates), { active: ['bundled:ollama'], notLoaded: ['global:g=disabled', 'workspace:w=disabled'] });
  });

  it('with a PATCHBAY_LOAD_PLUGINS list loads only those (and the bundled ones)', () => {
    const candidates = [candidate('ollama', 'bundled'), candidate('g', 'global'), candidate('w', 'workspace')];
    assert.deepEqual(summary({ ...open, loadOnly: ['w'] }, candidates), { active: ['bundled:ollama', 'workspace:w'], notLoaded: ['global:g=disabled'] });
  });

  it('applies plugins.disabled to any plugin and plugins.enabled to non-bundled ones', () => {
    const candidates = [candidate('ollama', 'bundled'), candidate('openai-compatible', 'bundled'), candidate('a', 'global'), candidate('b', 'global')];
    assert.deepEqual(summary({ ...open, disabled: ['ollama'], enabled: ['a'] }, candidates), {
      active: ['bundled:openai-compatible', 'global:a'],
      notLoaded: ['bundled:ollama=disabled', 'global:b=disabled'],
    });
  });
});
