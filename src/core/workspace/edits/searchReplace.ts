/**
 * Search/replace edits as a model writes them: each `search` must name one place in the file,
 * so an edit can never land somewhere the model did not mean. What is wrong goes back to the
 * model as an EditRefused it can act on (quote more lines, or fewer).
 */
import { EditRefused } from './editRefused';

export interface SearchReplaceEdit {
  search: string;
  replace: string;
}

/** The text after every edit, applied in order, each to the text the earlier ones left. */
export function applySearchReplace(text: string, edits: readonly SearchReplaceEdit[]): string {
  if (edits.length === 0) throw new EditRefused('there are no edits: give at least one {search, replace} pair');
  // A model writes "\n"; a file saved on Windows has "\r\n". Matching its own line ends keeps them.
  const lineEnd = text.includes('\r\n') ? '\r\n' : '\n';
  let result = text;
  edits.forEach((edit, index) => {
    const which = edits.length > 1 ? `edit ${index + 1}: ` : '';
    if (edit.search === '') throw new EditRefused(`${which}"search" is empty; quote the exact text to replace`);
    const search = inLineEnds(edit.search, lineEnd);
    const count = occurrences(result, search);
    if (count === 0) throw new EditRefused(`${which}the search text was not found in the file; quote it exactly as the file has it (read the file again if unsure)`);
    if (count > 1) throw new EditRefused(`${which}the search text was found ${count} times in the file; include more of the surrounding lines so it matches exactly once`);
    const at = result.indexOf(search);
    result = result.slice(0, at) + inLineEnds(edit.replace, lineEnd) + result.slice(at + search.length);
  });
  return result;
}

function inLineEnds(text: string, lineEnd: string): string {
  return lineEnd === '\n' ? text : text.replace(/\r?\n/g, lineEnd);
}

function occurrences(text: string, search: string): number {
  let count = 0;
  for (let at = text.indexOf(search); at !== -1; at = text.indexOf(search, at + 1)) count++;
  return count;
}
