/**
 * The extension-host suite (test/integration), run the way VS Code's own test convention
 * runs it — inside the extension host, beside Patchbay — here in the real code-server: a small
 * runner extension installed in the profile runs it once the window is up and writes what
 * passed and failed to a file this test reads. It runs in two releases: the oldest VS Code
 * Patchbay supports, and the newest, where tests that need a later VS Code run too.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { packageRunner } from '../integration/packageRunner';
import { suiteWorkspace } from '../integration/suiteFakeServer';
import type { InventoryApi } from '../support/inventoryApi';
import type { FakeModelServer } from '../support/fakeModelServer';
import { newestRelease, oldestRelease } from './support/codeServer';
import { runExtensionHostSuite } from './support/extensionHostRun';
import { tearDown } from './support/fixtureWorkspace';

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

  for (const release of [oldestRelease, newestRelease]) {
    it(`passes every test of the suite in ${release.description} (${release.vsCodeVersion}): commands, the chat view, language models, tools`, async function () {
      this.timeout(240_000);
      const closedBefore = fake.closedByClient;
      if (!runner) throw new Error('the runner extension was not packaged');
      const result = await runExtensionHostSuite({ runnerVsix: runner.vsix, suite: 'trusted', files, release });
      assert.deepEqual(result.failed.map((failure) => failure.title), [], 'failed in the extension host');
      assert.ok(result.passed.length >= 9, `only ${result.passed.length} passed`);
      const cancellationRan = result.passed.some((title) => title.includes(CANCELLATION_TEST));
      // The newest VS Code passes a caller's cancellation on, so the test that needs it runs there.
      if (release === newestRelease) assert.ok(cancellationRan, `"${CANCELLATION_TEST}" did not run in VS Code ${release.vsCodeVersion}`);
      if (cancellationRan) assert.ok(fake.closedByClient - closedBefore >= 1, 'the fake server saw the cancelled request closed');
    });
  }
});
