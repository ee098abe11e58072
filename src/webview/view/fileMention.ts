/**
 * `@` file mentions typed in the message input. No DOM here: finding the "@word" at the caret,
 * taking it out of the text once a file is picked, and telling a current answer from a stale
 * one are unit-tested in Node; fileCompletion in composerCompletion.ts only shows the result.
 */

/** The "@word" around the caret: `query` is what follows the "@" up to the caret. */
export interface FileMention {
  query: string;
  /** Index of the "@". */
  start: number;
  /** Index just past the word (its first whitespace, or the end of the text). */
  end: number;
}

/**
 * The mention being typed, when the caret is inside a word that starts with "@" and at least one
 * character follows the "@" before the caret. The "@" must start the word (text start or after
 * whitespace), so an e-mail address or `foo@bar` never opens the popup. `caret` is undefined when
 * a range is selected.
 */
export function fileMentionAt(text: string, caret: number | undefined): FileMention | undefined {
  if (caret === undefined || caret < 2 || caret > text.length) return undefined;
  let start = caret;
  while (start > 0 && !/\s/.test(text.charAt(start - 1))) start -= 1;
  if (text.charAt(start) !== '@') return undefined;
  const query = text.slice(start + 1, caret);
  // "@" alone, or "@@...": nothing to look up yet.
  if (query === '' || query.startsWith('@')) return undefined;
  const rest = text.slice(caret).search(/\s/);
  const end = rest === -1 ? text.length : caret + rest;
  return { query, start, end };
}

/**
 * A bare "@" the caret is just after, starting a word with nothing after it: the context
 * providers are listed for it (files need a word to look for).
 */
export function bareMentionAt(text: string, caret: number | undefined): FileMention | undefined {
  if (caret === undefined || caret < 1 || text.charAt(caret - 1) !== '@') return undefined;
  if (caret >= 2 && !/\s/.test(text.charAt(caret - 2))) return undefined;
  if (caret < text.length && !/\s/.test(text.charAt(caret))) return undefined;
  return { query: '', start: caret - 1, end: caret };
}

/**
 * The input once the mention was accepted (the host adds the file as a chip): the "@word" goes,
 * and so does one of the spaces around it, so no double space is left where it was.
 */
export function removeFileMention(text: string, mention: Pick<FileMention, 'start' | 'end'>): { text: string; caret: number } {
  const before = text.slice(0, mention.start);
  let after = text.slice(mention.end);
  if ((before === '' || /\s$/.test(before)) && after.startsWith(' ')) after = after.slice(1);
  return { text: before + after, caret: before.length };
}

/**
 * Request ids for `suggestFiles`: each request gets a fresh one and only the answer to the latest
 * counts, so a slow answer to an earlier query never replaces the list for what is typed now.
 */
export class LatestRequest {
  private counter = 0;
  private current: string | undefined;

  constructor(private readonly prefix: string) {}

  next(): string {
    this.counter += 1;
    this.current = `${this.prefix}-${this.counter}`;
    return this.current;
  }

  /** No answer is wanted any more (the mention was left or closed). */
  invalidate(): void {
    this.current = undefined;
  }

  isCurrent(id: string): boolean {
    return this.current !== undefined && id === this.current;
  }
}
