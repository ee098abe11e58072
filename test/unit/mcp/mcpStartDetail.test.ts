/** The text of the modal that asks to start a workspace's MCP server. */
import assert from 'node:assert/strict';
import { mcpStartView } from '../../../src/core/mcp/mcpConsent';
import { mcpStartQuestion, describeMcpStart } from '../../../src/host/mcpStartDetail';

describe('MCP: the start prompt', () => {
  const view = mcpStartView(
    { name: 'repo-tools', scope: 'workspace', file: '/ws/.patchbay/config.yaml', transport: { type: 'stdio', command: 'node', args: ['server.js', '--root', 'a folder/with spaces'], env: { API_TOKEN: 'ghp_secretvalue', MODE: 'fast' } } },
    '/ws',
  );

  it('names the server and its file, and shows the exact command line, folder and env names', () => {
    assert.match(mcpStartQuestion(view), /"repo-tools"/);
    const detail = describeMcpStart(view);
    assert.match(detail, /\/ws\/\.patchbay\/config\.yaml/);
    assert.match(detail, /Command: node\n/);
    assert.match(detail, /Arguments: server\.js --root "a folder\/with spaces"\n/);
    assert.match(detail, /Working folder: \/ws\n/);
    assert.match(detail, /Environment variables: API_TOKEN, MODE\n/);
  });

  it('never shows an environment value', () => {
    const detail = describeMcpStart({ ...view, envNames: view.envNames });
    assert.doesNotMatch(detail, /ghp_secretvalue|fast/);
  });

  it('says when there are no arguments or environment variables', () => {
    const detail = describeMcpStart({ ...view, args: [], envNames: [] });
    assert.match(detail, /Arguments: \(none\)/);
    assert.match(detail, /Environment variables: \(none\)/);
  });
});
