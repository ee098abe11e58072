/**
 * How an `@` mention names a context provider on its way through the suggestion list (which
 * carries files as paths): `context:<name>` for the provider itself, `context:<name>?<query>`
 * for one of its suggestions. Both sides use these; pure.
 */

const PREFIX = 'context:';

export interface ContextMentionPath {
  provider: string;
  /** Absent for the provider itself (its query is still to be typed, or none is needed). */
  query?: string;
}

export function contextMentionPath(provider: string, query?: string): string {
  return `${PREFIX}${encodeURIComponent(provider)}${query === undefined ? '' : `?${query}`}`;
}

export function parseContextMentionPath(path: string): ContextMentionPath | undefined {
  if (!path.startsWith(PREFIX)) return undefined;
  const rest = path.slice(PREFIX.length);
  const mark = rest.indexOf('?');
  const provider = decodeURIComponent(mark === -1 ? rest : rest.slice(0, mark));
  if (provider === '') return undefined;
  return mark === -1 ? { provider } : { provider, query: rest.slice(mark + 1) };
}

/** A `@provider query` being typed: the caret is on its line, after `@provider ` (the query may hold spaces). */
export interface ProviderMention {
  provider: string;
  query: string;
  /** Index of the "@". */
  start: number;
  /** The end of the line. */
  end: number;
}

/**
 * The context provider mention the caret is in: the last `@name ` on the caret's line before
 * it whose name is one of `providers`, starting a word. `caret` is undefined when a range is
 * selected.
 */
export function providerMentionAt(text: string, caret: number | undefined, providers: readonly string[]): ProviderMention | undefined {
  if (caret === undefined || caret > text.length) return undefined;
  const lineStart = text.lastIndexOf('\n', caret - 1) + 1;
  const lineEnd = text.indexOf('\n', caret);
  const line = text.slice(lineStart, caret);
  let found: ProviderMention | undefined;
  for (const match of line.matchAll(/(^|\s)@([^\s@]+) /g)) {
    const provider = match[2] ?? '';
    if (!providers.includes(provider)) continue;
    const at = (match.index ?? 0) + (match[1]?.length ?? 0);
    found = { provider, query: line.slice(at + provider.length + 2), start: lineStart + at, end: lineEnd === -1 ? text.length : lineEnd };
  }
  return found;
}
