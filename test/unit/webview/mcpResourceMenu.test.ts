/** The Add Context menu offers MCP resources, and their chips say what they are. */
import assert from 'node:assert/strict';
import { ADD_CONTEXT_ITEMS, chipTitle } from '../../../src/webview/view/contextChipText';

describe('Add Context → MCP Resource…', () => {
  it('is an item of the Add Context menu, asking the host for a resource', () => {
    assert.deepEqual(ADD_CONTEXT_ITEMS.find((item) => item.kind === 'resource'), { label: 'MCP Resource…', kind: 'resource' });
  });

  it("a resource's chip is titled as one", () => {
    assert.equal(chipTitle({ kind: 'resource', label: 'everything: features.md', size: '3 lines' }), 'MCP resource: everything: features.md · 3 lines');
  });
});
