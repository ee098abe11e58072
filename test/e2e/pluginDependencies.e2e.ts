/**
 * Plugin dependencies, end to end in a real VS Code: a global folder plugin whose package.json
 * declares a dependency vendored as a tarball (`file:./vendor/dep-1.0.0.tgz`, nothing from a
 * registry) fails to load because it is not installed; the notification offers Install
 * Dependencies, the user confirms what will be installed, npm installs it, and the plugin
 * loads: its command runs the dependency's code.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createWorkspace, tearDown } from './support/fixtureWorkspace';
import { openVsCode, screenshotFailure, type VsCodeSession } from './support/vsCodeSession';
import type { Workbench } from './support/workbench';

const COMMAND_TITLE = 'Shout hello';

const PLUGIN_SOURCE = `
const shout = require('dep');
exports.activate = (context) => {
  context.registerCommand({ id: 'shout', title: '${COMMAND_TITLE}', run: async () => ({ notify: shout('hello from the dependency') }) });
};`;

/** `npm pack` of a package with no dependencies of its own: local, no registry. */
function packedDependency(): Buffer {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'patchbay-e2e-dep-'));
  try {
    writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'dep', version: '1.0.0', main: 'index.js' }));
    writeFileSync(path.join(folder, 'index.js'), 'module.exports = (text) => text.toUpperCase() + "!";');
    execFileSync('npm', ['pack', '--pack-destination', folder], { cwd: folder, stdio: 'pipe', env: { ...process.env, npm_config_cache: path.join(folder, 'cache'), npm_config_offline: 'true' } });
    return readFileSync(path.join(folder, 'dep-1.0.0.tgz'));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe('Plugin dependencies in a real VS Code', function () {
  let session: VsCodeSession;
  let workbench: Workbench;
  let workspace: string;

  before(async function () {
    workspace = createWorkspace('patchbay-dependencies-workspace-', { 'README.md': 'A workspace.\n' });
    session = await openVsCode(workspace, {
      globalPlugins: {
        'shouter/package.json': JSON.stringify({ name: 'shouter', version: '1.0.0', main: 'index.js', patchbay: { displayName: 'Shouter' }, dependencies: { dep: 'file:./vendor/dep-1.0.0.tgz' } }),
        'shouter/index.js': PLUGIN_SOURCE,
        'shouter/vendor/dep-1.0.0.tgz': packedDependency(),
      },
    });
    workbench = session.workbench;
  });

  after(async () => {
    await tearDown(workspace, session);
  });

  afterEach(async function () {
    await screenshotFailure(workbench, 'dependencies-', this.currentTest);
  });

  it('a folder plugin that fails for a declared dependency loads once the user installs it from the notification', async () => {
    await workbench.runCommand('Patchbay: Focus on Plugins View');
    const offer = workbench.page.locator('.notification-toast', { hasText: 'the plugin "Shouter" failed to load: it needs "dep"' });
    await offer.waitFor({ timeout: 60_000 });
    // The view redraws a moment after the notification shows.
    let failed: string | undefined;
    for (let tries = 0; tries < 40 && !/failed/.test(failed ?? ''); tries++) {
      if (tries > 0) await workbench.page.waitForTimeout(250);
      failed = (await workbench.treeRows('Plugins')).find((row) => row.includes('Shouter'));
    }
    assert.match(failed ?? '', /global · failed: Cannot find module 'dep'/);
    await workbench.screenshot('60-dependency-missing');
    await offer.getByRole('button', { name: 'Install Dependencies', exact: true }).click();

    const question = 'Install the dependencies of the plugin "Shouter"?';
    const dialog = workbench.page.locator('.monaco-dialog-box', { hasText: question });
    await dialog.waitFor({ timeout: 15_000 });
    const details = await dialog.innerText();
    assert.match(details, /dep file:\.\/vendor\/dep-1\.0\.0\.tgz/);
    assert.match(details, /npm install --omit=dev --ignore-scripts --no-audit --no-fund/);
    await workbench.screenshot('61-dependency-install-confirm');
    await workbench.answerDialog(question, 'Install');

    await workbench.page.locator('.notification-toast', { hasText: 'installed the dependencies of "Shouter"; it is loaded.' }).waitFor({ timeout: 60_000 });
    let rows: string[] = [];
    for (const deadline = Date.now() + 15_000; !rows.some((row) => /Shouter.*global · loaded/.test(row)) && Date.now() < deadline; ) {
      await workbench.page.waitForTimeout(300);
      rows = await workbench.treeRows('Plugins');
    }
    assert.ok(rows.some((row) => /Shouter.*global · loaded/.test(row)), rows.join('\n'));

    await workbench.runCommand('Patchbay: Run Plugin Command');
    const item = workbench.page.locator('.quick-input-list .monaco-list-row').filter({ has: workbench.page.locator('.label-name', { hasText: COMMAND_TITLE }) });
    await item.first().waitFor({ state: 'visible', timeout: 15_000 });
    await item.first().click();
    await workbench.page.locator('.notification-toast', { hasText: 'HELLO FROM THE DEPENDENCY!' }).waitFor({ timeout: 15_000 });
    await workbench.screenshot('62-dependency-installed-plugin-runs');
  });
});
