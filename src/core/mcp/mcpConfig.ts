/**
 * MCP server declarations into definitions: `mcpServers:` of a config.yaml (global or a
 * workspace's) and `servers` of a workspace's `.vscode/mcp.json` (VS Code's format). Each
 * entry is checked on its own: a bad one is left out with a problem naming its file and
 * path, and the others still run. A workspace server with the name of one of the user's is
 * refused (the user's stays), as a workspace endpoint cannot replace the user's.
 */
import { MCP_SERVER_NAME, type McpConfigProblem, type McpDefinitions, type McpScope, type McpServerDefinition, type McpTransportDefinition } from './mcpDefinitions';
import { substituteVariables, type VariableContext } from './mcpVariables';
import { parseJsonWithComments } from './jsonWithComments';

export interface McpSource {
  /** The file, for problems. */
  file: string;
  scope: McpScope;
  /** What `${workspaceFolder}` is in this file. */
  workspaceFolder: string | undefined;
  /** The user's environment, for `${env:NAME}` (global file only). */
  env: Readonly<Record<string, string | undefined>>;
}

type Path = (string | number)[];

const KEYS = new Set(['type', 'command', 'args', 'env', 'cwd', 'url', 'headers']);
/** Keys of VS Code's mcp.json that say nothing about how to run the server. */
const VSCODE_IGNORED_KEYS = new Set(['dev', 'gallery', 'version']);
const TYPES = new Set(['stdio', 'http', 'sse']);

/** `mcpServers:` of a config.yaml, as parsed (anything; it is checked here). */
export function mcpServersFromConfig(section: unknown, source: McpSource): McpDefinitions {
  if (section === undefined || section === null) return { servers: [], problems: [] };
  return serversOf(section, ['mcpServers'], source, false);
}

/** The text of a workspace's `.vscode/mcp.json` (JSON with comments). */
export function mcpServersFromVscodeJson(text: string, source: McpSource): McpDefinitions {
  let document: unknown;
  try {
    document = parseJsonWithComments(text);
  } catch (error) {
    return { servers: [], problems: [{ file: source.file, path: [], message: `not valid JSON: ${(error as Error).message}` }] };
  }
  if (!isRecord(document)) return { servers: [], problems: [{ file: source.file, path: [], message: 'must be a JSON object with "servers"' }] };
  // `inputs` are a problem only where a server refers to one (see mcpVariables.ts).
  return document.servers === undefined ? { servers: [], problems: [] } : serversOf(document.servers, ['servers'], source, true);
}

/**
 * The user's servers, then the workspace's that do not take one of their names (least
 * specific first; a later workspace file may not take an earlier one's name either).
 */
export function mergeMcpDefinitions(layers: readonly McpDefinitions[]): McpDefinitions {
  const servers: McpServerDefinition[] = [];
  const problems: McpConfigProblem[] = layers.flatMap((layer) => layer.problems);
  for (const server of layers.flatMap((layer) => layer.servers)) {
    const existing = servers.find((other) => other.name === server.name);
    if (!existing) {
      servers.push(server);
      continue;
    }
    const path = server.file.endsWith('.json') ? ['servers', server.name] : ['mcpServers', server.name];
    problems.push({
      file: server.file,
      path,
      message:
        existing.scope === 'global' && server.scope === 'workspace'
          ? `MCP server "${server.name}": ignored, because your own MCP server of that name (${existing.file}) is the one that runs; a workspace cannot replace it`
          : `MCP server "${server.name}": ignored, because ${existing.file} already declares a server of that name`,
    });
  }
  return { servers, problems };
}

function serversOf(section: unknown, at: Path, source: McpSource, vscodeFormat: boolean): McpDefinitions {
  if (!isRecord(section)) return { servers: [], problems: [{ file: source.file, path: at, message: `${at.join('.')}: must be a map of server names to servers` }] };
  const servers: McpServerDefinition[] = [];
  const problems: McpConfigProblem[] = [];
  for (const [name, entry] of Object.entries(section)) {
    try {
      servers.push({ name: checkedName(name), scope: source.scope, file: source.file, transport: transportOf(entry, source, vscodeFormat) });
    } catch (error) {
      const { path, message } = error instanceof EntryProblem ? error : { path: [], message: (error as Error).message };
      problems.push({ file: source.file, path: [...at, name, ...path], message: `MCP server "${name}": ${message}` });
    }
  }
  return { servers, problems };
}

class EntryProblem extends Error {
  constructor(readonly path: Path, message: string) {
    super(message);
  }
}

function checkedName(name: string): string {
  if (!MCP_SERVER_NAME.test(name)) throw new EntryProblem([], 'the name must be letters, digits, "_" and "-" (at most 64), since tools are named "server.tool"');
  return name;
}

function transportOf(entry: unknown, source: McpSource, vscodeFormat: boolean): McpTransportDefinition {
  if (!isRecord(entry)) throw new EntryProblem([], 'must be an object with "command" (a program to run) or "url" (an HTTP server)');
  for (const key of Object.keys(entry)) {
    if (key === 'envFile' && vscodeFormat) throw new EntryProblem([key], '"envFile" is not supported by Patchbay; put the variables in "env" (secrets as ${secret:name})');
    if (!KEYS.has(key) && !(vscodeFormat && VSCODE_IGNORED_KEYS.has(key))) throw new EntryProblem([key], `unknown key "${key}" (expected one of: ${[...KEYS].join(', ')})`);
  }
  const declaredType = entry.type;
  if (declaredType !== undefined && (typeof declaredType !== 'string' || !TYPES.has(declaredType))) throw new EntryProblem(['type'], '"type" must be "stdio", "http" or "sse"');
  const type = declaredType ?? (entry.url !== undefined ? 'http' : 'stdio');
  const variables: VariableContext = source;
  const text = (key: string, value: unknown, secretsAllowed = false): string => {
    if (typeof value !== 'string' || value.trim() === '') throw new EntryProblem([key], `"${key}" must be a non-empty string`);
    return substitute(value, [key], variables, secretsAllowed);
  };
  const misplaced = (keys: string[]) => {
    const found = keys.find((key) => entry[key] !== undefined);
    if (found) throw new EntryProblem([found], `"${found}" does not apply to a server of type "${type}"`);
  };
  if (type === 'stdio') {
    misplaced(['url', 'headers']);
    const args = entry.args ?? [];
    if (!Array.isArray(args)) throw new EntryProblem(['args'], '"args" must be a list of strings');
    const transport: McpTransportDefinition = {
      type: 'stdio',
      command: text('command', entry.command),
      args: args.map((arg, index) => {
        if (typeof arg !== 'string') throw new EntryProblem(['args', index], 'must be a string');
        return substitute(arg, ['args', index], variables, false);
      }),
      env: stringMap('env', entry.env, variables, /^[A-Za-z_][A-Za-z0-9_]*$/),
    };
    if (entry.cwd !== undefined) transport.cwd = text('cwd', entry.cwd);
    return transport;
  }
  misplaced(['command', 'args', 'env', 'cwd']);
  const url = text('url', entry.url);
  if (!/^https?:\/\/[^/]/i.test(url)) throw new EntryProblem(['url'], '"url" must be an http:// or https:// URL');
  return { type: type === 'sse' ? 'sse' : 'http', url, headers: stringMap('headers', entry.headers, variables, /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/) };
}

function stringMap(key: string, value: unknown, variables: VariableContext, namePattern: RegExp): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new EntryProblem([key], `"${key}" must be a map of names to strings`);
  const result: Record<string, string> = {};
  for (const [name, item] of Object.entries(value)) {
    if (!namePattern.test(name)) throw new EntryProblem([key, name], `"${name}" is not a valid ${key === 'env' ? 'environment variable' : 'header'} name`);
    if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') throw new EntryProblem([key, name], 'must be a string');
    result[name] = substitute(String(item), [key, name], variables, true);
  }
  return result;
}

function substitute(value: string, path: Path, variables: VariableContext, secretsAllowed: boolean): string {
  try {
    return substituteVariables(value, variables, secretsAllowed);
  } catch (error) {
    throw new EntryProblem(path, (error as Error).message);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
