/** How the Plugins view words an MCP server's status. */
import assert from 'node:assert/strict';
import type { McpServerStatus } from '../../../src/core/mcp/mcpStatus';
import { mcpServerContextValue, mcpServerDescription, mcpServerTooltip } from '../../../src/host/mcpServerText';

function server(state: McpServerStatus['state'], tools: string[] = []): McpServerStatus {
  return { name: 'files', scope: 'workspace', file: '/ws/.patchbay/config.yaml', state, tools, prompts: [], problems: [] };
}

describe('MCP: the Plugins view text of a server', () => {
  it('says each status in words, with the tool count when connected', () => {
    assert.equal(mcpServerDescription(server({ kind: 'starting' })), 'workspace · starting…');
    assert.equal(mcpServerDescription(server({ kind: 'connected' }, ['echo', 'add'])), 'workspace · connected · 2 tools');
    assert.equal(mcpServerDescription(server({ kind: 'stopped' })), 'workspace · stopped');
    assert.equal(mcpServerDescription(server({ kind: 'waiting-for-consent' })), 'workspace · waiting for your permission');
    assert.equal(mcpServerDescription(server({ kind: 'declined' })), 'workspace · not allowed to start');
    assert.equal(mcpServerDescription(server({ kind: 'refused', reason: 'the workspace is not trusted' })), 'workspace · not started: the workspace is not trusted');
  });

  it('a failed server shows its error in the line and the last lines of its stderr in the tooltip', () => {
    const failed = server({ kind: 'failed', error: 'could not start `nope` (ENOENT)', stderrTail: ['booting', 'fatal: no config'] });
    assert.equal(mcpServerDescription(failed), 'workspace · failed: could not start `nope` (ENOENT)');
    const tooltip = mcpServerTooltip(failed);
    assert.match(tooltip, /could not start `nope` \(ENOENT\)/);
    assert.match(tooltip, /booting\nfatal: no config/);
    assert.match(tooltip, /\/ws\/\.patchbay\/config\.yaml/);
  });

  it('its context value lets the menus offer only what fits', () => {
    assert.equal(mcpServerContextValue(server({ kind: 'declined' })), 'mcpServer:declined:workspace');
    assert.equal(mcpServerContextValue(server({ kind: 'connected' })), 'mcpServer:connected:workspace');
  });
});
