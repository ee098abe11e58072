import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { mcpServersFromConfig, mcpServersFromVscodeJson, mergeMcpDefinitions, type McpSource } from '../../../src/core/mcp/mcpConfig';

const globalFile: McpSource = { file: '/home/u/.patchbay/config.yaml', scope: 'global', workspaceFolder: '/ws', env: { GITHUB_TOKEN: 'ghp_abc', HOME: '/home/u' } };
const workspaceFile: McpSource = { file: '/ws/.patchbay/config.yaml', scope: 'workspace', workspaceFolder: '/ws', env: { GITHUB_TOKEN: 'ghp_abc' } };
const vscodeFile: McpSource = { ...workspaceFile, file: '/ws/.vscode/mcp.json' };

describe('MCP server declarations', () => {
  it('config.yaml takes mcpServers: stdio and http, with the type inferred and ${workspaceFolder} replaced', () => {
    const parsed = parseConfig(`
mcpServers:
  files:
    command: npx
    args: ["-y", "@modelcontextprotocol/server-filesystem", "\${workspaceFolder}"]
    env: { LOG_LEVEL: info }
  issues:
    url: http://127.0.0.1:3001/mcp
    headers: { Authorization: "Bearer \${secret:issues-token}" }
`);
    assert.deepEqual(parsed.problems, []);
    const { servers, problems } = mcpServersFromConfig(parsed.config?.mcpServers, workspaceFile);
    assert.deepEqual(problems, []);
    assert.deepEqual(servers, [
      { name: 'files', scope: 'workspace', file: workspaceFile.file, transport: { type: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/ws'], env: { LOG_LEVEL: 'info' } } },
      // The secret stays a reference: it is read only when the server starts.
      { name: 'issues', scope: 'workspace', file: workspaceFile.file, transport: { type: 'http', url: 'http://127.0.0.1:3001/mcp', headers: { Authorization: 'Bearer ${secret:issues-token}' } } },
    ]);
  });

  it('a bad entry is a problem with its file and path, and the other servers still come through', () => {
    const parsed = parseConfig(`
providers:
  - { id: lab, type: openai-compatible, baseUrl: "http://127.0.0.1:8000/v1" }
mcpServers:
  good: { command: node, args: [server.js] }
  broken: { command: node, args: [1, 2] }
  mixed: { command: node, url: "http://127.0.0.1:1/mcp" }
  typo: { comand: node }
  "bad.name": { command: node }
`);
    assert.equal(parsed.problems.length, 0, 'a bad MCP entry does not invalidate the whole file');
    assert.equal(parsed.config?.providers?.length, 1);
    const { servers, problems } = mcpServersFromConfig(parsed.config?.mcpServers, globalFile);
    assert.deepEqual(servers.map((server) => server.name), ['good']);
    assert.deepEqual(
      problems.map((problem) => [problem.file, problem.path.join('.'), problem.message]),
      [
        [globalFile.file, 'mcpServers.broken.args.0', 'MCP server "broken": must be a string'],
        [globalFile.file, 'mcpServers.mixed.command', 'MCP server "mixed": "command" does not apply to a server of type "http"'],
        [globalFile.file, 'mcpServers.typo.comand', 'MCP server "typo": unknown key "comand" (expected one of: type, command, args, env, cwd, url, headers)'],
        [globalFile.file, 'mcpServers.bad.name', 'MCP server "bad.name": the name must be letters, digits, "_" and "-" (at most 64), since tools are named "server.tool"'],
      ],
    );
  });

  it('${env:NAME} is read in the global file, and refused in a workspace (it could leak your environment into a header)', () => {
    const entry = { issues: { url: 'http://127.0.0.1:3001/mcp', headers: { Authorization: 'Bearer ${env:GITHUB_TOKEN}' } } };
    const fromGlobal = mcpServersFromConfig(entry, globalFile);
    assert.deepEqual(fromGlobal.servers[0]?.transport, { type: 'http', url: 'http://127.0.0.1:3001/mcp', headers: { Authorization: 'Bearer ghp_abc' } });
    const fromWorkspace = mcpServersFromConfig(entry, workspaceFile);
    assert.deepEqual(fromWorkspace.servers, []);
    assert.deepEqual(fromWorkspace.problems[0]?.path, ['mcpServers', 'issues', 'headers', 'Authorization']);
    assert.match(fromWorkspace.problems[0]?.message ?? '', /\$\{env:GITHUB_TOKEN\} cannot be used in a workspace's file/);
    assert.doesNotMatch(JSON.stringify(fromWorkspace), /ghp_abc/);
  });

  it('${secret:name} only in env and headers values', () => {
    const { servers, problems } = mcpServersFromConfig({ s: { command: 'node', args: ['--token=${secret:t}'] } }, globalFile);
    assert.deepEqual(servers, []);
    assert.deepEqual(problems[0]?.path, ['mcpServers', 's', 'args', 0]);
    assert.match(problems[0]?.message ?? '', /may only be used in "env" and "headers" values/);
  });

  it(".vscode/mcp.json in VS Code's format: comments, trailing commas, stdio/http/sse; inputs and envFile refused per server", () => {
    const { servers, problems } = mcpServersFromVscodeJson(
      `{
  // VS Code writes comments like this one
  "inputs": [{ "type": "promptString", "id": "token", "password": true }],
  "servers": {
    "files": { "type": "stdio", "command": "node", "args": ["fs.js", "\${workspaceFolder}"], "cwd": "\${workspaceFolder}", "dev": {} },
    "web": { "type": "http", "url": "http://127.0.0.1:3001/mcp", "headers": { "X-Note": "a,}" }, },
    "old": { "type": "sse", "url": "http://127.0.0.1:3002/sse" },
    "needsInput": { "type": "http", "url": "http://127.0.0.1:3003/mcp", "headers": { "Authorization": "Bearer \${input:token}" } },
    "fromFile": { "type": "stdio", "command": "node", "envFile": "\${workspaceFolder}/.env" } /* trailing */,
  },
}`,
      vscodeFile,
    );
    assert.deepEqual(
      servers.map((server) => [server.name, server.transport]),
      [
        ['files', { type: 'stdio', command: 'node', args: ['fs.js', '/ws'], env: {}, cwd: '/ws' }],
        ['web', { type: 'http', url: 'http://127.0.0.1:3001/mcp', headers: { 'X-Note': 'a,}' } }],
        ['old', { type: 'sse', url: 'http://127.0.0.1:3002/sse', headers: {} }],
      ],
    );
    assert.deepEqual(problems.map((problem) => [problem.file, problem.path.join('.')]), [
      [vscodeFile.file, 'servers.needsInput.headers.Authorization'],
      [vscodeFile.file, 'servers.fromFile.envFile'],
    ]);
    assert.match(problems[0]?.message ?? '', /"inputs" of \.vscode\/mcp\.json are not supported/);
    assert.match(problems[1]?.message ?? '', /"envFile" is not supported/);
  });

  it('a .vscode/mcp.json that is not JSON is one clear problem', () => {
    const { servers, problems } = mcpServersFromVscodeJson('{ "servers": { ', vscodeFile);
    assert.deepEqual(servers, []);
    assert.equal(problems.length, 1);
    assert.match(problems[0]?.message ?? '', /^not valid JSON: /);
  });

  it("a workspace server with the name of one of the user's is refused, and the user's stays", () => {
    const mine = mcpServersFromConfig({ files: { command: 'my-fs' } }, globalFile);
    const theirs = mcpServersFromConfig({ files: { command: 'their-fs' }, extra: { command: 'x' } }, workspaceFile);
    const merged = mergeMcpDefinitions([mine, theirs]);
    assert.deepEqual(merged.servers.map((server) => [server.name, server.scope]), [['files', 'global'], ['extra', 'workspace']]);
    assert.deepEqual(merged.problems.map((problem) => [problem.file, problem.path.join('.')]), [[workspaceFile.file, 'mcpServers.files']]);
    assert.match(merged.problems[0]?.message ?? '', /your own MCP server of that name .* a workspace cannot replace it/);
  });
});
