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
  it('lets a workspace plugin the user allowed shadow a global one, which shadows a bundled one', () => {
    const candidates = [candidate('tools', 'bundled'), candidate('tools', 'global'), candidate('tools', 'workspace'), candidate('only-global', 'global')];
    const allowed: SelectionRules = { ...open, replacement: () => true };
    assert.deepEqual(summary(allowed, candidates), {
      active: ['workspace:tools', 'global:only-global'],
      notLoaded: ['bundled:tools=shadowed', 'global:tools=shadowed'],
    });
    const shadowed = selectPlugins(candidates, allowed).notLoaded.find(({ candidate: c }) => c.source === 'global');
    assert.equal(shadowed?.why.reason, 'shadowed by the workspace plugin at /workspace/tools');
  });

  it('keeps the user\'s plugin until they allow a workspace plugin of the same id to replace it', () => {
    const candidates = [candidate('tools', 'bundled'), candidate('tools', 'global'), candidate('tools', 'workspace'), candidate('ollama', 'bundled'), candidate('ollama', 'workspace')];
    const asked: string[] = [];
    const unanswered: SelectionRules = { ...open, replacement: (workspacePlugin, usersPlugin) => void asked.push(`${workspacePlugin.location} -> ${usersPlugin.location}`) };
    assert.deepEqual(summary(unanswered, candidates), {
      active: ['global:tools', 'bundled:ollama'],
      notLoaded: ['bundled:tools=shadowed', 'workspace:ollama=waiting-for-consent', 'workspace:tools=waiting-for-consent'],
    });
    assert.deepEqual(asked.sort(), ['/workspace/ollama -> /bundled/ollama', '/workspace/tools -> /global/tools']);
    const waiting = selectPlugins(candidates, unanswered).notLoaded.find(({ candidate: c }) => c.location === '/workspace/tools')?.why;
    assert.match(waiting?.reason ?? '', /it would replace your global plugin "tools" \(\/global\/tools\)/);
    assert.deepEqual(summary({ ...open, replacement: () => false }, candidates).notLoaded, [
      'bundled:tools=shadowed', 'workspace:ollama=consent-denied', 'workspace:tools=consent-denied',
    ]);
    // Without a way to ask, a workspace plugin never replaces the user's.
    assert.deepEqual(summary(open, candidates).active, ['global:tools', 'bundled:ollama']);
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
