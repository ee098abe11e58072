/**
 * While a paragraph, list item or quote streams, most deltas are plain words that cannot change
 * how the text before them renders. Such a tail can be appended to the rendered block as a text
 * node instead of parsing, sanitizing and rebuilding the whole block with every delta; the block
 * is rendered again only when the tail may be markdown. Pure string logic, unit-tested in Node.
 */

/** Characters that, following text on a line whose kind is decided, are shown exactly as written. */
const PLAIN_TAIL = /^[\p{L}\p{N} ,.;?'"-]*$/u;
/** A line that has begun as a paragraph, a list item or a quote and cannot become anything else. */
const DECIDED_LINE = /^[ \t]{0,3}(?:\p{L}|(?:[-+*]|\d{1,9}[.)]|>)[ \t]+\S)/u;
/** A table row, a heading (its closing #s are not text) or raw HTML: always rendered whole. */
const WHOLE_LINE = /[|#<]/;
/** The end of a word that marked may still turn into a link or decode as an entity. */
const LINK_OR_ENTITY = /www\.|[:@&]/i;

/**
 * The text to append after `rendered` (the growing block as last rendered) to show `pending`
 * (the block now), or undefined when the block must be rendered again.
 */
export function plainTextTail(rendered: string, pending: string): string | undefined {
  if (!pending.startsWith(rendered)) return undefined;
  // marked drops the trailing spaces of the rendered text; the tail shows them again.
  const base = rendered.trimEnd().length;
  const tail = pending.slice(base);
  if (tail === '') return '';
  if (!PLAIN_TAIL.test(tail)) return undefined;
  const line = rendered.slice(rendered.lastIndexOf('\n', base - 1) + 1, base);
  if (!DECIDED_LINE.test(line) || WHOLE_LINE.test(line)) return undefined;
  const lastWord = line.slice(line.search(/\S*$/));
  if (LINK_OR_ENTITY.test(lastWord + tail)) return undefined;
  return tail;
}
