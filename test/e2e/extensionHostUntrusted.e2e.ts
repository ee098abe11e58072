/**
 * Workspace Trust and VS Code's AI, end to end: a repository opened in Restricted Mode declares
 * an endpoint and an OpenAPI plugin in its `.patchbay` folder; the extension-host suite for an
 * untrusted workspace (test/integration/suite/untrustedWorkspace.test.ts), run by the runner
 * extension beside Patchbay, sees the user's endpoint and plugin through `vscode.lm` and none
 * of the workspace's.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { SuiteResult } from '../integration/index';
import { packageRunner } from '../integration/packageRunner';
import { SUITE_VARIABLE, UNTRUSTED_SUITE } from '../integration/suiteNames';
import { FakeModelServer } from '../support/fakeModelServer';
import { InventoryApi } from '../support/inventoryApi';
import { codeServerEntry, codeServerNode, createProfile, startCodeServer, type Profile, type RunningCodeServer } from './support/codeServer';
import { createWorkspace, tearDown } from './support/fixtureWorkspace';
import { packagedExtension } from './support/vsCodeSession';
import { launchBrowser, Workbench } from './support/workbench';

/** The inventory spec with its item operations renamed, for the user's own plugin. */
function userSpec(api: InventoryApi): string {
  return api.spec().replace(/operationId: (list|get|add|delete)Items?\b/g, 'operationId: $1Stock');
}

describe("An untrusted workspace and VS Code's AI, inside the real VS Code", function () {
  let fake: FakeModelServer;
  let api: InventoryApi;
  let profile: Profile | undefined;
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let workbench: Workbench | undefined;
  let runner: { vsix: string; dir: string } | undefined;
  let workspace: string;

  before(async () => {
    fake = await FakeModelServer.start();
    api = await InventoryApi.start();
    workspace = createWorkspace('patchbay-untrusted-lm-', {
      '.patchbay/config.yaml': `providers:\n  - id: ${UNTRUSTED_SUITE.workspaceEndpoint}\n    label: Workspace server\n    type: openai-compatible\n    baseUrl: ${fake.openAiBaseUrl}\n`,
      '.patchbay/plugins/inventory/ai-plugin.json': JSON.stringify(InventoryApi.pluginManifest()),
      '.patchbay/plugins/inventory/openapi.yaml': api.spec(),
    });
  });

  after(async () => {
    await workbench?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    for (const dir of [profile?.root, runner?.dir]) if (dir) rmSync(dir, { recursive: true, force: true });
    await tearDown(workspace, fake, api);
  });

  it("offers the user's endpoint and plugin, and nothing of the workspace's", async () => {
    runner = packageRunner();
    profile = createProfile(packagedExtension(), {
      'patchbay.discoverLocalServers': false,
      'patchbay.endpoints': [{ id: UNTRUSTED_SUITE.userEndpoint, label: 'Your server', type: 'openai-compatible', baseUrl: fake.openAiBaseUrl }],
    });
    const stock = path.join(profile.patchbayHome, 'plugins', 'stock');
    mkdirSync(stock, { recursive: true });
    writeFileSync(path.join(stock, 'ai-plugin.json'), JSON.stringify({ ...InventoryApi.pluginManifest(), name_for_model: 'stock', name_for_human: 'Stock' }));
    writeFileSync(path.join(stock, 'openapi.yaml'), userSpec(api));
    execFileSync(codeServerNode(), [codeServerEntry(), '--config', profile.configFile, '--extensions-dir', profile.extensionsDir, '--user-data-dir', profile.userDataDir, '--install-extension', runner.vsix], {
      stdio: 'pipe',
      env: { ...process.env, HOME: profile.root },
    });
    const resultFile = path.join(profile.root, 'integration-result.json');
    server = await startCodeServer(profile, { trustWorkspaces: false, env: { PATCHBAY_INTEGRATION_RESULT: resultFile, [SUITE_VARIABLE]: 'untrusted' } });
    browser = await launchBrowser();
    workbench = await Workbench.open(browser, server.url, workspace);
    await workbench.page.locator('.statusbar').getByText('Restricted Mode').first().waitFor({ timeout: 30_000 });
    const deadline = Date.now() + 150_000;
    while (!existsSync(resultFile) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(existsSync(resultFile), 'the suite wrote no result within 150 s');
    const result = JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteResult;
    for (const title of result.passed) console.log(`      ✔ ${title}`);
    for (const failure of result.failed) console.log(`      ✗ ${failure.title}\n${failure.error}`);
    assert.deepEqual(result.failed.map((failure) => failure.title), [], 'failed in the extension host');
    assert.equal(result.passed.length, 2);
  });
});
