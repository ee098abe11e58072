/**
 * Run in a workspace VS Code opened in Restricted Mode (test/e2e/extensionHostUntrusted.e2e.ts):
 * the workspace's `.patchbay` folder declares an endpoint and an OpenAPI plugin, and neither may
 * reach VS Code's AI; the user's own endpoint and plugin still do.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { UNTRUSTED_SUITE } from '../suiteNames';
import { patchbayTool } from './patchbayTools';

describe('An untrusted workspace and VS Code\'s AI', () => {
  it("offers the user's endpoint's models and none of the workspace's", async () => {
    const deadline = Date.now() + 30_000;
    let ids: string[] = [];
    while (Date.now() < deadline) {
      ids = (await vscode.lm.selectChatModels({ vendor: 'patchbay' })).map((model) => model.id);
      if (ids.some((id) => id.startsWith(`${UNTRUSTED_SUITE.userEndpoint}/`))) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.ok(vscode.workspace.isTrusted === false, 'the workspace is in Restricted Mode');
    assert.ok(ids.some((id) => id.startsWith(`${UNTRUSTED_SUITE.userEndpoint}/`)), `the user's endpoint is offered: ${ids.join(', ')}`);
    assert.deepEqual(ids.filter((id) => id.startsWith(`${UNTRUSTED_SUITE.workspaceEndpoint}/`)), []);
  });

  it("offers the user's plugin's tools and none of the workspace's plugin", async () => {
    await patchbayTool(UNTRUSTED_SUITE.userOperation);
    const names = vscode.lm.tools.map((tool) => tool.name).filter((name) => name.startsWith('mcp_patchbay'));
    const workspaceOperations: readonly string[] = UNTRUSTED_SUITE.workspaceOperations;
    assert.deepEqual(names.filter((name) => workspaceOperations.some((operation) => name.endsWith(operation))), [], `Patchbay's tools: ${names.join(', ')}`);
  });
});
