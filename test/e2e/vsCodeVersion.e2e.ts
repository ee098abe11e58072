/**
 * The VS Codes the end-to-end tests drive are the ones they were written for: code-server
 * 4.106.3 (VS Code 1.106.3) served on Node 22, which every test runs in, and the newest,
 * code-server 4.139.1 (VS Code 1.139.1) on Node 24, which the extension-host suite runs in too.
 * Runs before every other suite (.mocharc's `file`), so a leftover other install or the
 * machine's Node cannot stand in unnoticed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readlinkSync, rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { createProfile, newestRelease, oldestRelease, startCodeServer, type Profile, type RunningCodeServer } from './support/codeServer';
import { createWorkspace, tearDown } from './support/fixtureWorkspace';
import { packagedExtension } from './support/vsCodeSession';
import { launchBrowser, Workbench } from './support/workbench';

for (const release of [oldestRelease, newestRelease]) {
  describe(`The VS Code the end-to-end tests drive: ${release.description}`, function () {
    let workspace: string;
    let profile: Profile;
    let server: RunningCodeServer;
    let browser: Browser;
    let workbench: Workbench;

    before(async function () {
      workspace = createWorkspace('patchbay-version-', { 'README.md': '# version check\n' });
      profile = createProfile(packagedExtension(), {}, release);
      server = await startCodeServer(profile);
      browser = await launchBrowser();
      workbench = await Workbench.open(browser, server.url, workspace);
    });

    after(async () => {
      await tearDown(workspace, workbench, browser, server && { close: () => server.stop() });
      if (profile) rmSync(profile.root, { recursive: true, force: true });
    });

    it(`is VS Code ${release.vsCodeVersion}, as its About dialog says`, async () => {
      const about = await workbench.aboutText();
      const version = /^Code: (\S+)$/m.exec(about)?.[1];
      assert.equal(version, release.vsCodeVersion, `the About dialog reads:\n${about}`);
    });

    it(`is served by Node ${release.nodeMajor}, and its extension host runs on Node ${release.nodeMajor}`, async () => {
      const nodeMajor = new RegExp(`^v${release.nodeMajor}\\.`);
      assert.match(nodeVersionOf(server.pid), nodeMajor);
      const extensionHost = await extensionHostUnder(server.pid);
      assert.match(nodeVersionOf(extensionHost), nodeMajor);
    });
  });
}

/** The version the executable of a running process prints, e.g. "v22.21.1 (/path/to/node)". */
function nodeVersionOf(pid: number): string {
  const executable = readlinkSync(`/proc/${pid}/exe`);
  return `${execFileSync(executable, ['--version'], { encoding: 'utf8' }).trim()} (${executable})`;
}

/** The window's extension host: a descendant of the server we started, found by its pid, never by name. */
async function extensionHostUnder(serverPid: number): Promise<number> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const processes = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
      .filter((match) => match !== null)
      .map(([, pid, parent, args]) => ({ pid: Number(pid), parent: Number(parent), args: args ?? '' }));
    const descendants = new Set([serverPid]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const entry of processes) {
        if (descendants.has(entry.parent) && !descendants.has(entry.pid)) {
          descendants.add(entry.pid);
          grew = true;
        }
      }
    }
    const host = processes.find((entry) => descendants.has(entry.pid) && entry.args.includes('--type=extensionHost'));
    if (host) return host.pid;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('no extension host started under code-server');
}
