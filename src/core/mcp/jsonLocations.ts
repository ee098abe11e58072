/**
 * Where a value of a JSON-with-comments file (`.vscode/mcp.json`) is written, so a problem
 * with one server entry is underlined at that entry, not at the top of the file. A lenient
 * scan: it never throws, and a path it cannot find is simply not located.
 */
import type { TextRange } from '../config/configTypes';

type Path = readonly (string | number)[];

/** The range of the value at `path` (`[]`: the whole document), or undefined. */
export function locateJsonValue(text: string, path: Path): TextRange | undefined {
  const ranges = new Map<string, [number, number]>();
  const source = withoutComments(text);
  let index = 0;
  const skip = () => {
    while (index < source.length && /[\s,]/.test(source[index] ?? '')) index++;
  };
  const readString = (): string => {
    const start = index;
    index++;
    while (index < source.length && source[index] !== '"') index += source[index] === '\\' ? 2 : 1;
    index++;
    try {
      return JSON.parse(source.slice(start, index)) as string;
    } catch {
      return source.slice(start + 1, index - 1);
    }
  };
  const value = (at: Path, depth: number): void => {
    skip();
    const start = index;
    const char = source[index];
    if (depth > 64 || char === undefined) return;
    if (char === '{' || char === '[') {
      const close = char === '{' ? '}' : ']';
      index++;
      for (let item = 0; ; item++) {
        skip();
        if (index >= source.length) break;
        if (source[index] === close) {
          index++;
          break;
        }
        let key: string | number = item;
        if (char === '{') {
          if (source[index] !== '"') break;
          key = readString();
          skip();
          if (source[index] !== ':') break;
          index++;
        }
        const before = index;
        value([...at, key], depth + 1);
        if (index === before) break;
      }
    } else if (char === '"') {
      readString();
    } else {
      while (index < source.length && !/[\s,}\]]/.test(source[index] ?? '')) index++;
    }
    ranges.set(JSON.stringify(at), [start, index]);
  };
  value([], 0);
  const found = ranges.get(JSON.stringify(path));
  return found ? rangeOf(text, found[0], found[1]) : undefined;
}

/** The text with every comment replaced by spaces (line breaks kept), so offsets stay the same. */
function withoutComments(text: string): string {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    if (char === '"') {
      let end = index + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      out += text.slice(index, end + 1);
      index = end + 1;
    } else if (text.startsWith('//', index) || text.startsWith('/*', index)) {
      const block = text.startsWith('/*', index);
      const found = block ? text.indexOf('*/', index + 2) : text.indexOf('\n', index);
      const end = found === -1 ? text.length : block ? found + 2 : found;
      out += text.slice(index, end).replace(/[^\n]/g, ' ');
      index = end;
    } else {
      out += char;
      index++;
    }
  }
  return out;
}

function rangeOf(text: string, start: number, end: number): TextRange {
  const position = (offset: number) => {
    const before = text.slice(0, offset).split('\n');
    return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
  };
  const from = position(start);
  const to = position(Math.max(start, end));
  return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
}
