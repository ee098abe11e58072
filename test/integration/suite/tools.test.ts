import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { patchbayTool } from './patchbayTools';

describe("Patchbay's tools through vscode.lm", () => {
  it("lists the workspace's OpenAPI tools among VS Code's tools, with their schemas", async () => {
    const tool = await patchbayTool('getItem');
    assert.match(tool.description, /item/i);
    const schema = tool.inputSchema as { properties?: Record<string, unknown> } | undefined;
    assert.ok(schema?.properties?.['itemId'], `getItem's schema: ${JSON.stringify(tool.inputSchema)}`);
  });

  it('invokes an OpenAPI tool through VS Code, which calls the API', async () => {
    const tool = await patchbayTool('listItems');
    const result = await vscode.lm.invokeTool(tool.name, { input: {}, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
    const text = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
    assert.match(text, /Left-handed screwdriver/, `listItems returned: ${text}`);
  });
});
