/** "Patchbay: Set MCP Secret" offers the secrets a server refers to, and stores them where the server reads them. */
import assert from 'node:assert/strict';
import type { McpServerDefinition } from '../../../src/core/mcp/mcpDefinitions';
import { mcpSecretKey, referencedSecrets, withSecrets } from '../../../src/core/mcp/mcpSecrets';
import { Redactor } from '../../../src/core/util/redactor';

describe('MCP: secret names of a server', () => {
  const http: McpServerDefinition = { name: 'issues', scope: 'workspace', file: '/ws/.vscode/mcp.json', transport: { type: 'http', url: 'http://127.0.0.1:3001/mcp', headers: { Authorization: 'Bearer ${secret:token}', 'X-Team': '${secret:team}-${secret:token}' } } };
  const stdio: McpServerDefinition = { name: 'files', scope: 'global', file: '/home/u/.patchbay/config.yaml', transport: { type: 'stdio', command: 'node', args: ['${secret:not-read-here}'], env: { KEY: '${secret:api-key}', PLAIN: 'x' } } };

  it('lists each secret a server refers to in its env or headers once, sorted', () => {
    assert.deepEqual(referencedSecrets(http), ['team', 'token']);
    assert.deepEqual(referencedSecrets(stdio), ['api-key']);
  });

  it('a secret stored under mcpSecretKey is the one the server reads when it starts', async () => {
    const store = new Map<string, string>();
    const secrets = { get: async (key: string) => store.get(key), store: async (key: string, value: string) => void store.set(key, value), delete: async (key: string) => void store.delete(key) };
    for (const name of referencedSecrets(http)) store.set(mcpSecretKey(http, name), `value-of-${name}`);
    const transport = await withSecrets(http, secrets, new Redactor());
    assert.deepEqual(transport.type === 'http' && transport.headers, { Authorization: 'Bearer value-of-token', 'X-Team': 'value-of-team-value-of-token' });
  });
});
