/** The host's MCP declarations: which files count, how they merge, and where each problem is shown. */
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { mcpDeclarations, type McpDeclarationFile } from '../../../src/core/mcp/mcpDeclarationFiles';

function configFile(file: string, scope: 'global' | 'workspace', text: string): McpDeclarationFile {
  const parsed = parseConfig(text);
  return { file, scope, workspaceFolder: '/ws', content: { kind: 'config', section: parsed.config?.mcpServers, locate: parsed.locate } };
}

function vscodeFile(text: string): McpDeclarationFile {
  return { file: '/ws/.vscode/mcp.json', scope: 'workspace', workspaceFolder: '/ws', content: { kind: 'vscode-json', text } };
}

const globalYaml = configFile('/home/u/.patchbay/config.yaml', 'global', `
mcpServers:
  files: { command: node, args: [global.js] }
`);
const workspaceYaml = configFile('/ws/.patchbay/config.yaml', 'workspace', `
mcpServers:
  files: { command: node, args: [workspace.js] }
  repo:
    command: node
    args: [repo.js, 7]
  helper: { command: node, args: [helper.js] }
`);
const workspaceJson = vscodeFile(`{
  // the repository's own servers
  "servers": {
    "lint": { "type": "stdio", "command": "node", "args": ["lint.js"], },
    "broken": {
      "command": "node",
      "envFile": "\${workspaceFolder}/.env"
    }
  }
}`);

describe('MCP declarations from the config files and .vscode/mcp.json', () => {
  it('merges global, workspace config.yaml and mcp.json; the global server of a name wins', () => {
    const { definitions } = mcpDeclarations([globalYaml, workspaceYaml, workspaceJson], { workspaceTrusted: true, env: {} });
    assert.deepEqual(
      definitions.servers.map((server) => [server.name, server.scope, server.transport.type === 'stdio' ? server.transport.args.join(' ') : '']),
      [['files', 'global', 'global.js'], ['helper', 'workspace', 'helper.js'], ['lint', 'workspace', 'lint.js']],
    );
  });

  it('reads no workspace file in an untrusted workspace', () => {
    const { definitions, located } = mcpDeclarations([globalYaml, workspaceYaml, workspaceJson], { workspaceTrusted: false, env: {} });
    assert.deepEqual(definitions.servers.map((server) => server.name), ['files']);
    assert.deepEqual(located, []);
  });

  it('places each problem at its line and column in its own file (YAML and JSON with comments)', () => {
    const { located } = mcpDeclarations([globalYaml, workspaceYaml, workspaceJson], { workspaceTrusted: true, env: {} });
    const where = located.map((problem) => [problem.file, problem.range.line, problem.range.column, problem.message.split(':')[0]]);
    assert.deepEqual(where, [
      // args[1] of "repo": the 7 of `    args: [repo.js, 7]` (the text starts with a newline).
      ['/ws/.patchbay/config.yaml', 6, 21, 'MCP server "repo"'],
      // "envFile"'s value, after the comment line.
      ['/ws/.vscode/mcp.json', 7, 18, 'MCP server "broken"'],
      // The workspace's "files", which the global one of that name replaces.
      ['/ws/.patchbay/config.yaml', 3, 10, 'MCP server "files"'],
    ]);
  });

  it('a mcp.json that is not JSON is one problem at the top of the file, and the other files still count', () => {
    const { definitions, located } = mcpDeclarations([globalYaml, vscodeFile('{ "servers": ')], { workspaceTrusted: true, env: {} });
    assert.deepEqual(definitions.servers.map((server) => server.name), ['files']);
    assert.equal(located.length, 1);
    assert.equal(located[0]?.file, '/ws/.vscode/mcp.json');
    assert.equal(located[0]?.range.line, 1);
    assert.match(located[0]?.message ?? '', /not valid JSON/);
  });
});
