import assert from 'node:assert/strict';
import { ADD_CONTEXT_ITEMS, chipIcon, chipText, chipTitle, removeChipLabel } from '../../../src/webview/view/contextChipText';

describe('context chip text', () => {
  const chip = { id: 'k1', kind: 'selection' as const, label: 'src/app.ts:10-24', size: '15 lines · ~120 tokens' };

  it('shows the label and the size', () => {
    assert.equal(chipText(chip), 'src/app.ts:10-24 · 15 lines · ~120 tokens');
    assert.equal(chipText({ label: 'Open editors', size: ' ' }), 'Open editors');
  });

  it('says the kind in the tooltip and names the remove button by the label', () => {
    assert.equal(chipTitle(chip), 'Selection: src/app.ts:10-24 · 15 lines · ~120 tokens');
    assert.equal(chipTitle({ ...chip, kind: 'problems', label: 'Problems in app.ts', size: '' }), 'Problems: Problems in app.ts');
    assert.equal(removeChipLabel(chip), 'Remove src/app.ts:10-24');
  });

  it('has an icon for every kind', () => {
    const icons = (['selection', 'file', 'editors', 'problems'] as const).map(chipIcon);
    assert.equal(new Set(icons).size, 4);
    for (const icon of icons) assert.ok(icon.length > 0);
  });

  it('names an image chip\'s remove button with the image\'s name and size', () => {
    assert.equal(removeChipLabel({ kind: 'image', label: 'screenshot.png', size: '12 KB' }), 'Remove image screenshot.png (12 KB)');
  });

  it('offers the seven kinds in the Add Context menu, named as the tests find them', () => {
    assert.deepEqual(ADD_CONTEXT_ITEMS, [
      { label: 'Selection', kind: 'selection' },
      { label: 'Current File', kind: 'file' },
      { label: 'Open Editors', kind: 'editors' },
      { label: 'Problems', kind: 'problems' },
      { label: 'MCP Resource…', kind: 'resource' },
      { label: 'Context Provider…', kind: 'plugin' },
      { label: 'Image…', kind: 'image' },
    ]);
  });
});
