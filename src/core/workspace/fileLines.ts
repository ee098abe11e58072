/**
 * What of a file's text a model gets in one read: a range of lines under the caps, with a
 * note of what was cut and how to read on; for a large file read whole, an outline instead
 * (the lines that declare something), so a model can ask for the part it needs.
 */
export const READ_CAPS = {
  /** Lines one read gives at most. */
  maxLines: 400,
  /** Bytes (UTF-8) one read gives at most. */
  maxBytes: 100_000,
  /** A file larger than this, read without a range, gives its outline. */
  outlineAbove: 1_000_000,
  /** Outline lines at most. */
  maxOutline: 300,
  /** Characters of one outline line. */
  outlineLineChars: 160,
};

export interface LineSlice {
  startLine: number;
  endLine: number;
  totalLines: number;
  text: string;
  /** What the caps cut, and how to read on. */
  cut?: string;
}

export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  // A final newline ends the last line; it does not start another.
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines;
}

/** Lines `startLine`..`endLine` (1-based, inclusive; clamped to the file), capped. */
export function sliceLines(text: string, range: { startLine?: number; endLine?: number }, caps = READ_CAPS): LineSlice {
  const lines = splitLines(text);
  const totalLines = text === '' ? 0 : lines.length;
  const startLine = Math.max(1, Math.floor(range.startLine ?? 1));
  if (totalLines === 0) return { startLine: 1, endLine: 0, totalLines, text: '' };
  if (startLine > totalLines) throw new RangeError(`startLine ${startLine} is past the end of the file (${totalLines} lines)`);
  const askedEnd = Math.min(totalLines, Math.floor(range.endLine ?? totalLines));
  if (askedEnd < startLine) throw new RangeError(`endLine ${askedEnd} is before startLine ${startLine}`);
  let endLine = Math.min(askedEnd, startLine + caps.maxLines - 1);
  let bytes = 0;
  const kept: string[] = [];
  for (let line = startLine; line <= endLine; line++) {
    const content = lines[line - 1] as string;
    const size = Buffer.byteLength(content, 'utf8') + 1;
    if (bytes + size > caps.maxBytes && kept.length > 0) {
      endLine = line - 1;
      break;
    }
    // A single line larger than the cap is cut inside the line.
    kept.push(size > caps.maxBytes ? Buffer.from(content, 'utf8').subarray(0, caps.maxBytes).toString('utf8') : content);
    bytes += size;
  }
  const slice: LineSlice = { startLine, endLine, totalLines, text: kept.join('\n') };
  if (endLine < askedEnd) {
    const limit = endLine - startLine + 1 < caps.maxLines ? `${Math.round(caps.maxBytes / 1000)} KB` : `${caps.maxLines} lines`;
    slice.cut = `cut at ${limit} a read: lines ${endLine + 1}-${askedEnd} not shown; read on with startLine ${endLine + 1}`;
  } else if (kept.some((line, index) => line !== lines[startLine - 1 + index])) {
    slice.cut = `line ${startLine} is longer than ${Math.round(caps.maxBytes / 1000)} KB and was cut`;
  }
  return slice;
}

/** Lines that look like declarations or headings, e.g. `export function`, `class`, `def`, `# Title` (a local `const` is not one). */
const DECLARATION = /^(?:export\s+(?:const|let)\s+[\w$]|\s*(?:(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:function\*?|class|interface|type|enum|namespace|module|abstract\s+class)\s+[\w$]|(?:pub(?:\(\w+\))?\s+)?(?:fn|struct|enum|trait|impl|mod)\s|(?:async\s+)?def\s+\w|func\s|(?:public|private|protected|internal)\s[^=;]*\(|#{1,6}\s+\S))/;

export function outline(text: string, caps = READ_CAPS): { line: number; text: string }[] {
  const found: { line: number; text: string }[] = [];
  const lines = splitLines(text);
  for (let index = 0; index < lines.length && found.length < caps.maxOutline; index++) {
    const line = lines[index] as string;
    if (DECLARATION.test(line)) found.push({ line: index + 1, text: line.trim().slice(0, caps.outlineLineChars) });
  }
  return found;
}

/** A NUL byte early on: the file is not text. */
export function looksBinary(start: Uint8Array): boolean {
  return start.subarray(0, 8_000).includes(0);
}
