/**
 * The MCP servers of a window, from the files the host read: the user's config.yaml, each
 * workspace folder's `.patchbay/config.yaml` and `.vscode/mcp.json`, least specific first.
 * A workspace's files count only in a trusted workspace. Every problem comes back with the
 * place in its file to underline (the value at fault, or the nearest entry around it that is
 * written), so the host can show it in the Problems view like any other config problem.
 */
import type { TextRange } from '../config/configTypes';
import { locateJsonValue } from './jsonWithComments';
import { mcpServersFromConfig, mcpServersFromVscodeJson, mergeMcpDefinitions, type McpSource } from './mcpConfig';
import type { McpDefinitions, McpScope } from './mcpDefinitions';

type Path = readonly (string | number)[];

export interface McpDeclarationFile {
  file: string;
  scope: McpScope;
  /** What `${workspaceFolder}` is in this file. */
  workspaceFolder: string | undefined;
  /** config.yaml: its parsed `mcpServers` and where a path is written; mcp.json: its text. */
  content: { kind: 'config'; section: unknown; locate(path: Path): TextRange | undefined } | { kind: 'vscode-json'; text: string };
}

export interface LocatedMcpProblem {
  file: string;
  range: TextRange;
  message: string;
}

const TOP_OF_FILE: TextRange = { line: 1, column: 1, endLine: 1, endColumn: 1 };

export function mcpDeclarations(
  files: readonly McpDeclarationFile[],
  options: { workspaceTrusted: boolean; env: Readonly<Record<string, string | undefined>> },
): { definitions: McpDefinitions; located: LocatedMcpProblem[] } {
  const counted = files.filter((file) => file.scope === 'global' || options.workspaceTrusted);
  const layers = counted.map((file) => {
    const source: McpSource = { file: file.file, scope: file.scope, workspaceFolder: file.workspaceFolder, env: file.scope === 'global' ? options.env : {} };
    return file.content.kind === 'config' ? mcpServersFromConfig(file.content.section, source) : mcpServersFromVscodeJson(file.content.text, source);
  });
  const definitions = mergeMcpDefinitions(layers);
  const located = definitions.problems.map((problem): LocatedMcpProblem => {
    const file = counted.find((item) => item.file === problem.file);
    return { file: problem.file, range: (file && nearest(file, problem.path)) ?? TOP_OF_FILE, message: problem.message };
  });
  return { definitions, located };
}

/** The range of the value at `path`, or of the closest enclosing value that is written. */
function nearest(file: McpDeclarationFile, path: Path): TextRange | undefined {
  const content = file.content;
  const locate = content.kind === 'config' ? (at: Path) => content.locate(at) : (at: Path) => locateJsonValue(content.text, at);
  for (let length = path.length; length > 0; length--) {
    const range = locate(path.slice(0, length));
    if (range) return range;
  }
  return undefined;
}
