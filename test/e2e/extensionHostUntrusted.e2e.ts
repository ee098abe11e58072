/**
 * Workspace Trust and VS Code's AI, end to end: a repository opened in Restricted Mode declares
 * an endpoint and an OpenAPI plugin in its `.patchbay` folder; the extension-host suite for an
 * untrusted workspace (test/integration/suite/untrustedWorkspace.test.ts), run by the runner
 * extension beside Patchbay, sees the user's endpoint and plugin through `vscode.lm` and none
 * of the workspace's.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { packageRunner } from '../integration/packageRunner';
import { UNTRUSTED_SUITE } from '../integration/suiteNames';
import { FakeModelServer } from '../support/fakeModelServer';
import { InventoryApi } from '../support/inventoryApi';
import { runExtensionHostSuite } from './support/extensionHostRun';
import { tearDown } from './support/fixtureWorkspace';

/** The inventory spec with its item operations renamed, for the user's own plugin. */
function userSpec(api: InventoryApi): string {
  return api.spec().replace(/operationId: (list|get|add|delete)Items?\b/g, 'operationId: $1Stock');
}

describe("An untrusted workspace and VS Code's AI, inside the real VS Code", function () {
  let fake: FakeModelServer;
  let api: InventoryApi;
  let runner: { vsix: string; dir: string } | undefined;

  before(async () => {
    fake = await FakeModelServer.start();
    api = await InventoryApi.start();
    runner = packageRunner();
  });

  after(async () => {
    if (runner) rmSync(runner.dir, { recursive: true, force: true });
    await tearDown(undefined, fake, api);
  });

  it("offers the user's endpoint and plugin, and nothing of the workspace's", async () => {
    if (!runner) throw new Error('the runner extension was not packaged');
    const result = await runExtensionHostSuite({
      runnerVsix: runner.vsix,
      suite: 'untrusted',
      untrusted: true,
      files: {
        '.patchbay/config.yaml': `providers:\n  - id: ${UNTRUSTED_SUITE.workspaceEndpoint}\n    label: Workspace server\n    type: openai-compatible\n    baseUrl: ${fake.openAiBaseUrl}\n`,
        '.patchbay/plugins/inventory/ai-plugin.json': JSON.stringify(InventoryApi.pluginManifest()),
        '.patchbay/plugins/inventory/openapi.yaml': api.spec(),
      },
      settings: { 'patchbay.endpoints': [{ id: UNTRUSTED_SUITE.userEndpoint, label: 'Your server', type: 'openai-compatible', baseUrl: fake.openAiBaseUrl }] },
      prepareProfile: (profile) => {
        const stock = path.join(profile.patchbayHome, 'plugins', 'stock');
        mkdirSync(stock, { recursive: true });
        writeFileSync(path.join(stock, 'ai-plugin.json'), JSON.stringify({ ...InventoryApi.pluginManifest(), name_for_model: 'stock', name_for_human: 'Stock' }));
        writeFileSync(path.join(stock, 'openapi.yaml'), userSpec(api));
      },
    });
    assert.deepEqual(result.failed.map((failure) => failure.title), [], 'failed in the extension host');
    assert.equal(result.passed.length, 2);
  });
});
