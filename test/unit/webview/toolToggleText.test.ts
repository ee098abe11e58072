import assert from 'node:assert/strict';
import type { ToolToggleGroup } from '../../../src/protocol/messages';
import { toolsOnText } from '../../../src/webview/view/toolToggleText';

const group = (key: string, on: boolean, tools: boolean[]): ToolToggleGroup => ({
  key, label: key, on, tools: tools.map((toolOn, index) => ({ key: `tool:${key}/${index}`, name: `t${index}`, description: '', on: toolOn })),
});

describe('toolsOnText', () => {
  it('counts a tool as on only when its plugin is on too', () => {
    assert.equal(toolsOnText([group('a', true, [true, false]), group('b', false, [true, true])]), '1 of 4 tools on for this conversation');
  });

  it('says when all are on, and when there are none', () => {
    assert.equal(toolsOnText([group('a', true, [true])]), 'All 1 tool on for this conversation');
    assert.equal(toolsOnText([group('a', true, [true, true])]), 'All 2 tools on for this conversation');
    assert.equal(toolsOnText([]), 'No tools are installed');
  });
});
