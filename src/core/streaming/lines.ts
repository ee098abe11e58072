/**
 * Bytes -> text lines. Decodes UTF-8 across chunk boundaries (a character may be split
 * between chunks) and accepts LF, CRLF and lone CR as line ends, as the SSE spec does, even
 * when a CRLF pair is split between two chunks. A line longer than `wireLimits.maxLineChars`
 * is an error: no real server sends one, and reading on would fill memory.
 */
import { megabytes, WireFormatError, wireLimits } from './wireError';

export interface TextLine {
  text: string;
  /** False for text after the last line end: the body stopped in the middle of that line. */
  ended: boolean;
}

export async function* textLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  for await (const line of lineRecords(chunks)) yield line.text;
}

export async function* lineRecords(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<TextLine> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let crEndedPreviousChunk = false;
  let linesSoFar = 0;
  for await (const chunk of chunks) {
    let text = decoder.decode(chunk, { stream: true });
    if (text === '') continue;
    if (crEndedPreviousChunk) {
      crEndedPreviousChunk = false;
      if (text.charCodeAt(0) === 10) text = text.slice(1);
    }
    // Only the new text can hold line ends: `pending` never does.
    let lineStart = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch !== 10 && ch !== 13) continue;
      const line = pending + text.slice(lineStart, i);
      if (line.length > wireLimits.maxLineChars) throw tooLong(linesSoFar > 0);
      linesSoFar++;
      yield { text: line, ended: true };
      pending = '';
      if (ch === 13) {
        if (i + 1 === text.length) crEndedPreviousChunk = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      lineStart = i + 1;
    }
    pending += text.slice(lineStart);
    if (pending.length > wireLimits.maxLineChars) throw tooLong(linesSoFar > 0);
  }
  pending += decoder.decode();
  if (pending.length > 0) yield { text: pending, ended: false };
}

function tooLong(afterData: boolean): WireFormatError {
  return new WireFormatError('too-large', `The server sent a line longer than ${megabytes(wireLimits.maxLineChars)}, so Patchbay stopped reading.`, afterData);
}
