/**
 * The extension-host suite (test/integration), run the way VS Code's own test convention
 * runs it — inside the extension host, beside Patchbay — here in the real code-server: a small
 * runner extension installed in the profile runs it once the window is up and writes what
 * passed and failed to a file this test reads.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { packageRunner } from '../integration/packageRunner';
import type { SuiteResult } from '../integration/index';
import { suiteWorkspace } from '../integration/suiteFakeServer';
import type { InventoryApi } from '../support/inventoryApi';
import type { FakeModelServer } from '../support/fakeModelServer';
import { codeServerEntry, codeServerNode, createProfile, startCodeServer, type Profile, type RunningCodeServer } from './support/codeServer';
import { createWorkspace, tearDown } from './support/fixtureWorkspace';
import { packagedExtension } from './support/vsCodeSession';
import { launchBrowser, Workbench } from './support/workbench';

describe('The extension-host suite, inside the real VS Code', function () {
  let fake: FakeModelServer;
  let api: InventoryApi;
  let profile: Profile | undefined;
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let workbench: Workbench | undefined;
  let runner: { vsix: string; dir: string } | undefined;
  let workspace: string;

  before(async () => {
    const prepared = await suiteWorkspace();
    fake = prepared.fake;
    api = prepared.api;
    workspace = createWorkspace('patchbay-integration-workspace-', prepared.files);
  });

  after(async () => {
    await workbench?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    for (const dir of [profile?.root, runner?.dir]) if (dir) rmSync(dir, { recursive: true, force: true });
    await tearDown(workspace, fake, api);
  });

  it('passes every test of the suite (commands, the chat view, language models, tools)', async () => {
    runner = packageRunner();
    profile = createProfile(packagedExtension(), { 'patchbay.discoverLocalServers': false });
    execFileSync(codeServerNode(), [codeServerEntry(), '--config', profile.configFile, '--extensions-dir', profile.extensionsDir, '--user-data-dir', profile.userDataDir, '--install-extension', runner.vsix], {
      stdio: 'pipe',
      env: { ...process.env, HOME: profile.root },
    });
    const resultFile = path.join(profile.root, 'integration-result.json');
    server = await startCodeServer(profile, { env: { PATCHBAY_INTEGRATION_RESULT: resultFile } });
    browser = await launchBrowser();
    workbench = await Workbench.open(browser, server.url, workspace);
    const deadline = Date.now() + 150_000;
    while (!existsSync(resultFile) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(existsSync(resultFile), 'the suite wrote no result within 150 s');
    const result = JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteResult;
    for (const title of result.passed) console.log(`      ✔ ${title}`);
    for (const title of result.skipped ?? []) console.log(`      - ${title} (not run in this VS Code)`);
    for (const failure of result.failed) console.log(`      ✗ ${failure.title}\n${failure.error}`);
    assert.deepEqual(result.failed.map((failure) => failure.title), [], 'failed in the extension host');
    assert.ok(result.passed.length >= 9, `only ${result.passed.length} passed`);
    // The cancellation test runs where VS Code passes a caller's cancellation on (1.127+).
    if (result.passed.some((title) => title.includes('stops streaming when the caller cancels'))) {
      assert.ok(fake.closedByClient >= 1, 'the fake server saw the cancelled request closed');
    }
  });
});
