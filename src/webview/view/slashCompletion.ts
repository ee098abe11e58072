/**
 * Completion of prompt-template names typed as "/name" at the start of the input. No DOM here:
 * what to offer for a given text and caret, how the highlight moves and what accepting does are
 * unit-tested in Node; slashPopup.ts and composer.ts only show the result.
 */
import type { SlashCommand } from '../../protocol/messages';

/** The "/word" being typed: what follows the slash up to the caret, and where the word ends. */
export interface SlashQuery {
  prefix: string;
  /** Index just past the first word (its first whitespace, or the end of the text). */
  wordEnd: number;
}

export interface SlashCompletion {
  query: SlashQuery;
  /** Never empty: without matches there is nothing to show. */
  matches: SlashCommand[];
}

/**
 * The query when the text starts with "/" and the caret is inside that first word (once the
 * caret passes the first space the user is writing the argument, not the name). `caret` is
 * undefined when a range is selected: completing into a selection would be a guess.
 */
export function slashQuery(text: string, caret: number | undefined): SlashQuery | undefined {
  if (caret === undefined || !text.startsWith('/')) return undefined;
  const space = text.search(/\s/);
  const wordEnd = space === -1 ? text.length : space;
  if (caret < 1 || caret > wordEnd) return undefined;
  return { prefix: text.slice(1, caret), wordEnd };
}

/** The commands whose name starts with `prefix`, ignoring case, in the order the host gave. */
export function matchSlashCommands(commands: readonly SlashCommand[], prefix: string): SlashCommand[] {
  const wanted = prefix.toLowerCase();
  return commands.filter((command) => command.name.toLowerCase().startsWith(wanted));
}

/** What to offer for this text and caret, or undefined when the popup should be hidden. */
export function slashCompletion(
  text: string,
  caret: number | undefined,
  commands: readonly SlashCommand[],
): SlashCompletion | undefined {
  const query = slashQuery(text, caret);
  if (query === undefined) return undefined;
  const matches = matchSlashCommands(commands, query.prefix);
  return matches.length === 0 ? undefined : { query, matches };
}

/** The highlighted row after ArrowDown (+1) or ArrowUp (-1); it wraps around at either end. */
export function moveHighlight(index: number, count: number, step: 1 | -1): number {
  if (count <= 0) return 0;
  return (((index + step) % count) + count) % count;
}

/**
 * Where the highlight goes when the matches change (the user typed another letter): it stays on
 * the same command if that is still offered, so a key press does not jump it back to the top.
 */
export function carryHighlight(previous: SlashCommand | undefined, matches: readonly SlashCommand[]): number {
  if (previous === undefined) return 0;
  // By name and source, not identity: an `extensions` message brings new objects for the same commands.
  const index = matches.findIndex((command) => command.name === previous.name && command.source === previous.source);
  return index === -1 ? 0 : index;
}

/**
 * The input after accepting `name`: the first word becomes "/name " and the caret goes after the
 * space, ready for the argument. A space already there is reused rather than doubled. A
 * loader's `prefix:` gets no space.
 */
export function acceptSlashCommand(text: string, name: string): { text: string; caret: number } {
  const space = text.search(/\s/);
  const rest = space === -1 ? '' : text.slice(space);
  // A template loader's `prefix:` is not a command yet: the template's name follows it.
  if (name.endsWith(':')) return { text: `/${name}${rest}`, caret: name.length + 1 };
  const head = `/${name} `;
  return { text: head + (rest.startsWith(' ') ? rest.slice(1) : rest), caret: head.length };
}
