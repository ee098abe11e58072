/**
 * The VS Code the end-to-end tests drive is the one they were written for: code-server
 * 4.106.3 (VS Code 1.106.3) served on Node 22. Runs before every other suite (.mocharc's
 * `file`), so a leftover older install or the machine's Node cannot stand in unnoticed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readlinkSync, rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { createProfile, expectedVsCodeVersion, startCodeServer, type Profile, type RunningCodeServer } from './support/codeServer';
import { createWorkspace, tearDown } from './support/fixtureWorkspace';
import { packagedExtension } from './support/vsCodeSession';
import { launchBrowser, Workbench } from './support/workbench';

describe('The VS Code the end-to-end tests drive', function () {
  let workspace: string;
  let profile: Profile;
  let server: RunningCodeServer;
  let browser: Browser;
  let workbench: Workbench;

  before(async function () {
    workspace = createWorkspace('patchbay-version-', { 'README.md': '# version check\n' });
    profile = createProfile(packagedExtension(), {});
    server = await startCodeServer(profile);
    browser = await launchBrowser();
    workbench = await Workbench.open(browser, server.url, workspace);
  });

  after(async () => {
    await tearDown(workspace, workbench, browser, server && { close: () => server.stop() });
    if (profile) rmSync(profile.root, { recursive: true, force: true });
  });

  it(`is VS Code ${expectedVsCodeVersion}, as its About dialog says`, async () => {
    const about = await workbench.aboutText();
    const release = /^Code: (\S+)$/m.exec(about)?.[1];
    assert.equal(release, expectedVsCodeVersion, `the About dialog reads:\n${about}`);
  });

  it('is served by Node 22, which its extension host runs on too', () => {
    // The extension host is forked with the server's own executable.
    const executable = readlinkSync(`/proc/${server.pid}/exe`);
    const version = execFileSync(executable, ['--version'], { encoding: 'utf8' }).trim();
    assert.match(version, /^v22\./, `code-server runs on ${executable} (${version})`);
  });
});
