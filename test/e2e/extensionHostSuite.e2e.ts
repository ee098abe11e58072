/**
 * The extension-host suite (test/integration), run the way VS Code's own test convention
 * runs it — inside the extension host, beside Patchbay — here in the real code-server: a small
 * runner extension installed in the profile runs it once the window is up and writes what
 * passed and failed to a file this test reads. It runs in two releases: the oldest VS Code
 * Patchbay supports, and the newest, where tests that need a later VS Code run too.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { packageRunner } from '../integration/packageRunner';
import type { SuiteResult } from '../integration/index';
import { suiteWorkspace } from '../integration/suiteFakeServer';
import type { InventoryApi } from '../support/inventoryApi';
import type { FakeModelServer } from '../support/fakeModelServer';
import { createProfile, installExtension, newestRelease, oldestRelease, startCodeServer, type RunningCodeServer, type VsCodeRelease } from './support/codeServer';
import { createWorkspace, tearDown } from './support/fixtureWorkspace';
import { packagedExtension } from './support/vsCodeSession';
import { launchBrowser, Workbench } from './support/workbench';

/** The suite's test that needs VS Code 1.127 or later (microsoft/vscode#277872). */
const CANCELLATION_TEST = 'stops streaming when the caller cancels';

describe('The extension-host suite, inside the real VS Code', function () {
  let fake: FakeModelServer;
  let api: InventoryApi;
  let files: Record<string, string>;
  let runner: { vsix: string; dir: string } | undefined;

  before(async () => {
    ({ fake, api, files } = await suiteWorkspace());
    runner = packageRunner();
  });

  after(async () => {
    if (runner) rmSync(runner.dir, { recursive: true, force: true });
    await tearDown(undefined, fake, api);
  });

  /** Runs the suite in a fresh profile and workspace of the release; logs and returns its result. */
  async function runSuiteIn(release: VsCodeRelease): Promise<SuiteResult> {
    if (!runner) throw new Error('the runner extension was not packaged');
    const workspace = createWorkspace('patchbay-integration-workspace-', files);
    const profile = createProfile(packagedExtension(), { 'patchbay.discoverLocalServers': false }, release);
    const resultFile = path.join(profile.root, 'integration-result.json');
    let server: RunningCodeServer | undefined;
    let browser: Browser | undefined;
    let workbench: Workbench | undefined;
    try {
      installExtension(profile, runner.vsix);
      server = await startCodeServer(profile, { env: { PATCHBAY_INTEGRATION_RESULT: resultFile } });
      browser = await launchBrowser();
      workbench = await Workbench.open(browser, server.url, workspace);
      return await writtenResult(resultFile);
    } finally {
      await workbench?.close().catch(() => undefined);
      await browser?.close().catch(() => undefined);
      await server?.stop();
      rmSync(profile.root, { recursive: true, force: true });
      rmSync(workspace, { recursive: true, force: true });
    }
  }

  for (const release of [oldestRelease, newestRelease]) {
    it(`passes every test of the suite in ${release.description} (${release.vsCodeVersion}): commands, the chat view, language models`, async function () {
      this.timeout(240_000);
      const closedBefore = fake.closedByClient;
      const result = await runSuiteIn(release);
      assert.deepEqual(result.failed.map((failure) => failure.title), [], 'failed in the extension host');
      assert.ok(result.passed.length >= 7, `only ${result.passed.length} passed`);
      const cancellationRan = result.passed.some((title) => title.includes(CANCELLATION_TEST));
      // The newest VS Code passes a caller's cancellation on, so the test that needs it runs there.
      if (release === newestRelease) assert.ok(cancellationRan, `"${CANCELLATION_TEST}" did not run in VS Code ${release.vsCodeVersion}`);
      if (cancellationRan) assert.ok(fake.closedByClient - closedBefore >= 1, 'the fake server saw the cancelled request closed');
    });
  }
});

/** The result the runner extension writes once the suite has run; logged as mocha would. */
async function writtenResult(resultFile: string): Promise<SuiteResult> {
  const deadline = Date.now() + 150_000;
  while (!existsSync(resultFile) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
  assert.ok(existsSync(resultFile), 'the suite wrote no result within 150 s');
  const result = JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteResult;
  for (const title of result.passed) console.log(`      ✔ ${title}`);
  for (const title of result.skipped ?? []) console.log(`      - ${title} (not run in this VS Code)`);
  for (const failure of result.failed) console.log(`      ✗ ${failure.title}\n${failure.error}`);
  return result;
}
