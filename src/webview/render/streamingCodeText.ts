/**
 * Decides which part of a still-open code block to show while it streams. Text is appended to
 * the display as it arrives, except a trailing partial line that could be the start of the
 * closing fence ("`", "``"...): showing it would make stray backticks flicker at the end of the
 * code until the fence is complete. Pure string logic, so it is unit-tested in Node.
 */
export class StreamingCodeText {
  /** Text received but not shown yet: a partial line that may be the closing fence. */
  private held = '';
  /** Whether the shown text ends at the start of a line (true for an empty block). */
  private atLineStart = true;

  /** Takes newly received code text; returns the text to append to the display now. */
  push(text: string): string {
    const combined = (this.held + text).replace(/\r/g, '');
    this.held = '';
    if (combined === '') return '';
    const lastNewline = combined.lastIndexOf('\n');
    const tailStart = lastNewline + 1;
    const tailStartsLine = lastNewline >= 0 || this.atLineStart;
    const tail = combined.slice(tailStart);
    if (tailStartsLine && tail !== '' && looksLikeFenceStart(tail)) {
      this.held = tail;
      const shown = combined.slice(0, tailStart);
      if (shown !== '') this.atLineStart = true;
      return shown;
    }
    this.atLineStart = combined.endsWith('\n');
    return combined;
  }

  reset(): void {
    this.held = '';
    this.atLineStart = true;
  }
}

function looksLikeFenceStart(line: string): boolean {
  return /^ {0,3}(?:`+|~+)[ \t]*$/.test(line);
}
