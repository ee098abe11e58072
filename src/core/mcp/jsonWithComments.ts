/**
 * VS Code's own JSON files (`.vscode/mcp.json`) may have comments and trailing commas: they
 * are read with `jsonc-parser`, the parser VS Code itself uses for them, which also tells
 * where each value is written, so a problem with one server entry is underlined at that entry.
 */
import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { TextRange } from '../config/configTypes';

const OPTIONS = { allowTrailingComma: true, disallowComments: false } as const;

/** The document's value; throws a message with the line and column of the first syntax error. */
export function parseJsonWithComments(text: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, OPTIONS);
  const first = errors[0];
  if (first) {
    const { line, column } = positionOf(text, first.offset);
    throw new Error(`${printParseErrorCode(first.error)} at line ${line}, column ${column}`);
  }
  return value;
}

/** The range of the value at `path` (`[]`: the whole document), or undefined where there is none. */
export function locateJsonValue(text: string, path: readonly (string | number)[]): TextRange | undefined {
  const tree = parseTree(text, [], OPTIONS);
  const node = tree && (path.length === 0 ? tree : findNodeAtLocation(tree, [...path]));
  if (!node) return undefined;
  const from = positionOf(text, node.offset);
  const to = positionOf(text, node.offset + node.length);
  return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
}

/** 1-based line and column of an offset. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
