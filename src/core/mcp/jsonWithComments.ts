/**
 * VS Code's own JSON files (`.vscode/mcp.json`) may have `//` and `/* *\/` comments and
 * trailing commas. Both are removed outside strings, then the text is read as JSON.
 */
/** What follows a trailing comma: blanks and comments, then the end of an object or array. */
const TRAILING = /(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*[}\]]/y;

export function parseJsonWithComments(text: string): unknown {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    if (char === '"') {
      const end = stringEnd(text, index);
      out += text.slice(index, end);
      index = end;
    } else if (text.startsWith('//', index)) {
      const end = text.indexOf('\n', index);
      index = end === -1 ? text.length : end;
    } else if (text.startsWith('/*', index)) {
      const end = text.indexOf('*/', index + 2);
      if (end === -1) throw new Error('a /* comment is not closed');
      out += ' ';
      index = end + 2;
    } else if (char === ',' && trailing(text, index + 1)) {
      index++;
    } else {
      out += char;
      index++;
    }
  }
  return JSON.parse(out) as unknown;
}

/** The index just after the string that starts at `start`. */
function stringEnd(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
  return index + 1;
}

function trailing(text: string, from: number): boolean {
  TRAILING.lastIndex = from;
  return TRAILING.test(text);
}
