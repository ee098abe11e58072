/**
 * Splits streamed markdown into top-level blocks as it arrives, so the renderer can parse each
 * finished block once and re-parse only the block that is still growing. Without this, every
 * token would re-parse the whole answer and a long answer would slow down quadratically.
 *
 * A block ends at a blank line outside a fenced code block when the next non-blank line is not
 * indented (an indented line may continue a list item or belong to it). A fence that starts in
 * column 0 always stands alone: the text before it is finished at once and the fence itself is
 * finished as soon as its closing line arrives, so a code block can be highlighted the moment it
 * is complete.
 *
 * Getting a split wrong in the "too few" direction is harmless (marked renders the merged text
 * exactly as it would have rendered the whole answer); a split where markdown sees none would
 * change the rendering, so the rules only split where a top-level block boundary is certain.
 *
 * Pure string logic, no DOM: unit-tested in Node. Each character is looked at a bounded number
 * of times, and a long unfinished line is only concatenated, never rescanned.
 */

/** The fence that opened the still-open code block. */
interface OpenFence {
  marker: '`' | '~';
  length: number;
  /** Column of the first marker character (tabs count to the next multiple of 4). */
  column: number;
  /** Started in column 0 with no list marker before it: certainly a top-level code block. */
  topLevel: boolean;
  language: string;
}

/** A pending block that is a top-level code block whose closing fence has not arrived yet. */
export interface OpenCodeBlock {
  /** The first word of the fence's info string, as written ('' when there is none). */
  language: string;
  /** Where the code starts inside `pending` (just after the opening fence line). */
  bodyOffset: number;
}

const TAB_WIDTH = 4;

export class MarkdownBlockSplitter {
  /** Complete lines of the block being built. */
  private block = '';
  /** Blank lines seen after the block's content; they only join the block if it continues. */
  private blankRun = '';
  /** The line still being received (no line end yet). */
  private partial = '';
  /** The first character of `partial`, kept apart so it can be read without flattening it. */
  private partialFirst = '';
  private blockHasContent = false;
  /** An HTML block may contain fence-like lines that are not fences: never split inside it. */
  private blockIsHtml = false;
  private fence: OpenFence | undefined;
  /** Length of the opening fence line when the block starts with a top-level fence. */
  private fenceLineLength = 0;

  /** Adds streamed text; returns the blocks it finished, in order (often none). */
  append(chunk: string): string[] {
    const finished: string[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf('\n', start);
      if (newline === -1) break;
      const line = this.partial + chunk.slice(start, newline + 1);
      this.partial = '';
      this.partialFirst = '';
      this.acceptLine(line, finished);
      start = newline + 1;
    }
    if (start < chunk.length) {
      if (this.partial === '') this.partialFirst = chunk.charAt(start);
      this.partial += start === 0 ? chunk : chunk.slice(start);
      this.decideOnPartialLine(finished);
    }
    return finished;
  }

  /** The end of the stream: returns what is left as a final block (none if it is blank). */
  finish(): string[] {
    // Trailing blank lines carry nothing; a partial line after them still belongs to the block.
    const tail = this.partial.trim() === '' ? '' : this.blankRun + this.partial;
    const rest = this.block + tail;
    this.reset();
    return rest.trim() === '' ? [] : [rest];
  }

  /** The block that is still growing, including its unfinished last line. */
  get pending(): string {
    return this.block + this.blankRun + this.partial;
  }

  /** Set while the pending block is a top-level code block whose closing fence is still to come. */
  get openCodeBlock(): OpenCodeBlock | undefined {
    if (this.fence === undefined || !this.fence.topLevel || this.fenceLineLength === 0) return undefined;
    return { language: this.fence.language, bodyOffset: this.fenceLineLength };
  }

  reset(): void {
    this.block = '';
    this.blankRun = '';
    this.partial = '';
    this.partialFirst = '';
    this.blockHasContent = false;
    this.blockIsHtml = false;
    this.fence = undefined;
    this.fenceLineLength = 0;
  }

  /** `line` includes its line end ("\n" or "\r\n"). */
  private acceptLine(line: string, finished: string[]): void {
    const text = stripLineEnd(line);

    if (this.fence !== undefined) {
      this.block += this.blankRun + line;
      this.blankRun = '';
      if (isClosingFence(text, this.fence)) {
        const standsAlone = this.fence.topLevel && !this.blockIsHtml;
        this.fence = undefined;
        this.fenceLineLength = 0;
        if (standsAlone) this.endBlock(finished);
      }
      return;
    }

    if (isBlank(text)) {
      // Blank lines before any content separate nothing: drop them.
      if (this.blockHasContent) this.blankRun += line;
      return;
    }

    if (this.blankRun !== '') {
      if (isIndented(text)) {
        this.block += this.blankRun;
        this.blankRun = '';
      } else {
        this.endBlock(finished);
      }
    }

    const opening = parseOpeningFence(text);
    if (opening !== undefined && opening.topLevel && this.blockHasContent && !this.blockIsHtml) {
      this.endBlock(finished);
    }
    if (!this.blockHasContent) {
      this.blockHasContent = true;
      this.blockIsHtml = /^ {0,3}</.test(text);
    }
    if (opening !== undefined) {
      this.fence = opening;
      // Only a fence that starts its block can be shown as a bare streaming code block.
      this.fenceLineLength = this.block === '' ? line.length : 0;
    }
    this.block += line;
  }

  /**
   * A partial line that starts with a non-blank, non-indented character already decides that
   * the blank lines before it ended a block; finishing it now spares one more re-render.
   */
  private decideOnPartialLine(finished: string[]): void {
    if (this.fence !== undefined || this.blankRun === '') return;
    if (this.partialFirst === '' || /[ \t\r]/.test(this.partialFirst)) return;
    this.endBlock(finished);
  }

  private endBlock(finished: string[]): void {
    if (this.blockHasContent && this.block !== '') finished.push(this.block);
    this.block = '';
    this.blankRun = '';
    this.blockHasContent = false;
    this.blockIsHtml = false;
    this.fenceLineLength = 0;
  }
}

/** Splits a complete markdown text into the same blocks streaming it would produce. */
export function splitMarkdownBlocks(text: string): string[] {
  const splitter = new MarkdownBlockSplitter();
  return [...splitter.append(text), ...splitter.finish()];
}

function stripLineEnd(line: string): string {
  let end = line.length;
  if (end > 0 && line.charCodeAt(end - 1) === 10) end--;
  if (end > 0 && line.charCodeAt(end - 1) === 13) end--;
  return line.slice(0, end);
}

function isBlank(text: string): boolean {
  return /^[ \t]*$/.test(text);
}

function isIndented(text: string): boolean {
  return text.startsWith(' ') || text.startsWith('\t');
}

/** Leading whitespace as a column count and the index of the first other character. */
function indentation(text: string, from = 0, startColumn = 0): { column: number; index: number } {
  let column = startColumn;
  let index = from;
  for (; index < text.length; index++) {
    const ch = text[index];
    if (ch === ' ') column++;
    else if (ch === '\t') column += TAB_WIDTH - (column % TAB_WIDTH);
    else break;
  }
  return { column, index };
}

/** A list item marker ("- ", "* ", "+ ", "1. ", "1) ") at `index`; returns the index after it. */
function listMarkerEnd(text: string, index: number): number | undefined {
  const match = /^(?:[-*+]|\d{1,9}[.)])[ \t]/.exec(text.slice(index, index + 12));
  return match === null ? undefined : index + match[0].length - 1;
}

function parseOpeningFence(text: string): OpenFence | undefined {
  let { column, index } = indentation(text);
  let afterListMarker = false;
  const markerEnd = listMarkerEnd(text, index);
  if (markerEnd !== undefined) {
    const afterMarker = indentation(text, markerEnd, column + (markerEnd - index));
    column = afterMarker.column;
    index = afterMarker.index;
    afterListMarker = true;
  }
  const marker = text[index];
  if (marker !== '`' && marker !== '~') return undefined;
  let end = index;
  while (text[end] === marker) end++;
  const length = end - index;
  if (length < 3) return undefined;
  const info = text.slice(end).trim();
  // A backtick fence's info string may not contain a backtick (that is inline code instead).
  if (marker === '`' && info.includes('`')) return undefined;
  return {
    marker,
    length,
    column,
    topLevel: column === 0 && !afterListMarker,
    language: info.split(/[ \t{]/, 1)[0] ?? '',
  };
}

function isClosingFence(text: string, fence: OpenFence): boolean {
  const { column, index } = indentation(text);
  if (column > fence.column + 3) return false;
  let end = index;
  while (text[end] === fence.marker) end++;
  if (end - index < fence.length) return false;
  return isBlank(text.slice(end));
}
