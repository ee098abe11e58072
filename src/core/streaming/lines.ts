/**
 * Bytes -> text lines. Decodes UTF-8 across chunk boundaries (a character may be split
 * between chunks) and accepts LF, CRLF and lone CR as line ends, as the SSE spec does, even
 * when a CRLF pair is split between two chunks.
 */
export async function* textLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let crEndedPreviousChunk = false;
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
      yield pending + text.slice(lineStart, i);
      pending = '';
      if (ch === 13) {
        if (i + 1 === text.length) crEndedPreviousChunk = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      lineStart = i + 1;
    }
    pending += text.slice(lineStart);
  }
  pending += decoder.decode();
  if (pending.length > 0) yield pending;
}
