/**
 * A repository's `.vscode/settings.json` must not change what Patchbay sends or where: every
 * `patchbay.*` setting is either user-only (application or machine scope, so VS Code ignores
 * workspace values) or listed in `restrictedConfigurations` (ignored in Restricted Mode).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

interface SettingContribution {
  scope?: string;
}

interface Manifest {
  capabilities: { untrustedWorkspaces: { supported: boolean | 'limited'; restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, SettingContribution> } };
}

const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
const settings = manifest.contributes.configuration.properties;
const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [];
const userOnlyScopes = ['application', 'machine'];

/**
 * Settings an untrusted workspace may set, each with the reason it is harmless. Empty today:
 * every Patchbay setting shapes requests (what is sent, where, or how long Patchbay waits).
 */
const freeForWorkspaces: Record<string, string> = {};

/** Settings that must never come from a workspace, even a trusted one: they move requests. */
const neverFromWorkspace = ['patchbay.endpoints', 'patchbay.discoverLocalServers'];

describe('settings and workspace trust', () => {
  it('contributes settings to check', () => {
    assert.ok(Object.keys(settings).length >= 8, Object.keys(settings).join(', '));
  });

  for (const [name, contribution] of Object.entries(settings)) {
    it(`${name} cannot be set by an untrusted workspace`, () => {
      const userOnly = userOnlyScopes.includes(contribution.scope ?? '');
      const listed = restricted.includes(name);
      assert.ok(
        userOnly || listed || Object.hasOwn(freeForWorkspaces, name),
        `${name} has scope ${contribution.scope ?? '(window)'} and is not in capabilities.untrustedWorkspaces.restrictedConfigurations`,
      );
    });
  }

  it('keeps the settings that move requests user-only, even in a trusted workspace', () => {
    for (const name of neverFromWorkspace) assert.equal(settings[name]?.scope, 'application', name);
  });

  it('restricts only settings that exist and are not already user-only', () => {
    for (const name of restricted) {
      assert.ok(settings[name], `${name} is restricted but not contributed`);
      assert.ok(!userOnlyScopes.includes(settings[name]?.scope ?? ''), `${name} is user-only already; listing it as restricted hides that`);
    }
  });

  it('says in the README settings table which settings a workspace may set', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('### Settings'), readme.indexOf('## Troubleshooting'));
    for (const [name, contribution] of Object.entries(settings)) {
      const row = table.split('\n').find((line) => line.startsWith('|') && line.includes(`\`${name}\``));
      assert.ok(row, `no row for ${name}`);
      const rule = userOnlyScopes.includes(contribution.scope ?? '') ? /User settings only/ : /Trusted workspaces only/;
      assert.match(row, rule, name);
    }
  });
});
