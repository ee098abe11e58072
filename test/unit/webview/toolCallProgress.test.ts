/** The progress line and images of a running MCP tool's card. */
import assert from 'node:assert/strict';
import { toolCallImages, toolCallProgressText } from '../../../src/webview/view/toolCallText';

describe('tool call progress and images', () => {
  it('says how far a running call got, with its message', () => {
    assert.equal(toolCallProgressText({ status: 'running', progress: { progress: 2, total: 5, message: 'indexing' } }), '2 of 5 (40%) · indexing');
    assert.equal(toolCallProgressText({ status: 'running', progress: { progress: 0.25, total: 1 } }), '0.25 of 1 (25%)');
    assert.equal(toolCallProgressText({ status: 'running', progress: { progress: 7 } }), 'Progress: 7');
  });

  it('shows no progress once the call is over', () => {
    assert.equal(toolCallProgressText({ status: 'done', progress: { progress: 5, total: 5 } }), undefined);
    assert.equal(toolCallProgressText({ status: 'running' }), undefined);
  });

  it('shows only images embedded as data:image URIs, never one that would be fetched', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    assert.deepEqual(toolCallImages({ images: [png, 'https://attacker.example/pixel.png?leak=1', 'data:text/html;base64,PGgxPg==', ' javascript:alert(1)'] }), [png]);
    assert.deepEqual(toolCallImages({}), []);
  });
});
