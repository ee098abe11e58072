/**
 * The read-only workspace tools: `read_file`, `list_files`, `search_text`, `get_problems` and
 * `get_selection`, through `context.services.workspace`. Each says it only reads (`readOnly`),
 * so it runs without asking unless the user's rules say otherwise; what it returns is compact
 * text for the model, and the call's card shows the same.
 */
import type { PluginContext, WorkspaceFileRead } from '../../../src/core/api';

const PATH = { type: 'string', description: 'Relative to the workspace folder (e.g. "src/app.ts"); in a multi-root workspace it may start with the folder\'s name.' };

export function registerReadTools(context: PluginContext): void {
  const workspace = context.services.workspace;

  context.registerTool({
    name: 'read_file',
    description: 'Reads lines of a workspace file (at most 400 lines / 100 KB a call; the result says how to read on). A file over 1 MB read without a range gives its outline (declarations with line numbers) instead; then read the lines you need.',
    parameters: {
      type: 'object',
      properties: {
        path: PATH,
        startLine: { type: 'integer', minimum: 1, description: 'First line to read (1-based).' },
        endLine: { type: 'integer', minimum: 1, description: 'Last line to read (inclusive).' },
      },
      required: ['path'],
      additionalProperties: false,
    },
    readOnly: true,
    async invoke(args) {
      const { startLine, endLine } = args as { startLine?: number; endLine?: number };
      return describeRead(await workspace.readFile(String(args.path), { ...(startLine !== undefined ? { startLine } : {}), ...(endLine !== undefined ? { endLine } : {}) }));
    },
  });

  context.registerTool({
    name: 'list_files',
    description: 'Lists the workspace\'s files (sorted, at most 500), leaving out what .gitignore and files.exclude leave out. Narrow it with a folder or a glob such as "*.ts" or "src/**".',
    parameters: {
      type: 'object',
      properties: {
        glob: { type: 'string', description: 'Only files matching this glob (as in .gitignore).' },
        folder: { type: 'string', description: 'Only files in this folder (relative to the workspace folder).' },
      },
      additionalProperties: false,
    },
    readOnly: true,
    async invoke(args) {
      const { glob, folder } = args as { glob?: string; folder?: string };
      const listed = await workspace.listFiles({ ...(glob !== undefined ? { glob } : {}), ...(folder !== undefined ? { folder } : {}) });
      if (listed.total === 0) return 'No files match.';
      const more = listed.total > listed.files.length ? `\n… and ${listed.total - listed.files.length} more; narrow it with a folder or a glob.` : '';
      return `${listed.total} file${listed.total === 1 ? '' : 's'}:\n${listed.files.join('\n')}${more}`;
    },
  });

  context.registerTool({
    name: 'search_text',
    description: 'Searches the text of the workspace\'s files (at most 200 matches in 50 files), leaving out what .gitignore and files.exclude leave out. Gives path:line: text for each matching line; then read_file around a hit.',
    parameters: {
      type: 'object',
      properties: {
        query: { type: 'string', minLength: 1, description: 'The text to find (a regular expression when isRegex is true).' },
        isRegex: { type: 'boolean', description: 'The query is a regular expression (Rust syntax). Default false.' },
        caseSensitive: { type: 'boolean', description: 'Default false.' },
        glob: { type: 'string', description: 'Only files matching this glob, e.g. "*.ts" or "src/**".' },
      },
      required: ['query'],
      additionalProperties: false,
    },
    readOnly: true,
    async invoke(args, call) {
      const { query, isRegex, caseSensitive, glob } = args as { query: string; isRegex?: boolean; caseSensitive?: boolean; glob?: string };
      const found = await workspace.searchText({ query, ...(isRegex !== undefined ? { isRegex } : {}), ...(caseSensitive !== undefined ? { caseSensitive } : {}), ...(glob !== undefined ? { glob } : {}) }, { signal: call.signal });
      if (found.matches.length === 0) return `No matches for ${JSON.stringify(query)}.`;
      const lines = found.matches.map((match) => `${match.path}:${match.line}: ${match.text}`);
      const more = found.truncated ? '\n… stopped at the cap; there may be more: narrow the query or add a glob.' : '';
      return `${found.matches.length} match${found.matches.length === 1 ? '' : 'es'}:\n${lines.join('\n')}${more}`;
    },
  });

  context.registerTool({
    name: 'get_problems',
    description: 'The editor\'s problems (errors, warnings) of one file, or of the whole workspace without a path; at most 200, errors first.',
    parameters: { type: 'object', properties: { path: PATH }, additionalProperties: false },
    readOnly: true,
    async invoke(args) {
      const path = typeof args.path === 'string' ? args.path : undefined;
      const found = await workspace.getProblems(path);
      if (found.total === 0) return path ? `No problems in ${path}.` : 'No problems in the workspace.';
      const lines = found.problems.map((problem) => `${problem.path}:${problem.line}: ${problem.severity}${problem.source ? ` (${problem.source})` : ''}: ${problem.message}`);
      const more = found.total > found.problems.length ? `\n… and ${found.total - found.problems.length} more.` : '';
      return `${found.total} problem${found.total === 1 ? '' : 's'}:\n${lines.join('\n')}${more}`;
    },
  });

  context.registerTool({
    name: 'get_selection',
    description: 'The file open in the active editor, the selected lines and the selected text.',
    parameters: { type: 'object', properties: {}, additionalProperties: false },
    readOnly: true,
    async invoke() {
      const selection = await workspace.getSelection();
      if (!selection) return 'No editor is active.';
      const where = `${selection.path}, lines ${selection.startLine}-${selection.endLine}`;
      if (selection.text === '') return `${where}: nothing is selected.`;
      return `${where}${selection.truncated ? ' (cut at 20,000 characters)' : ''}:\n${selection.text}`;
    },
  });
}

function describeRead(read: WorkspaceFileRead): string {
  if (read.kind === 'binary') return `${read.path} is a binary file (${read.bytes} bytes); it is not shown.`;
  if (read.kind === 'outline') {
    const items = read.outline.map((item) => `${item.line}: ${item.text}`).join('\n');
    return `${read.path} is ${read.bytes} bytes, ${read.totalLines} lines: too large to read whole. Its outline (line: declaration); read the lines you need with startLine and endLine:\n${items || '(no declarations found)'}`;
  }
  if (read.totalLines === 0) return `${read.path} is empty.`;
  const header = `${read.path}, lines ${read.startLine}-${read.endLine} of ${read.totalLines}${read.unsaved ? ' (the editor\'s text, with unsaved changes)' : ''}:`;
  return `${header}\n${read.text}${read.cut ? `\n[${read.cut}]` : ''}`;
}
