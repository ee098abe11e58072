/**
 * The workspace files offered for an `@` mention, above the input (see completionPopup.ts for
 * how it behaves). Names and paths are shown as text.
 *
 *   div.completion-popup.file-popup[role=listbox][aria-label="Files"]#patchbay-file-suggestions
 *     div.completion-option.file-option[role=option][aria-selected][data-index]#patchbay-file-suggestions-N
 *       strong.file-name + span.file-path
 */
import type { FileSuggestion } from '../../protocol/messages';
import { el } from '../dom';
import { CompletionPopup } from './completionPopup';

export function createFilePopup(onPick: (index: number) => void): CompletionPopup<FileSuggestion> {
  return new CompletionPopup<FileSuggestion>({
    id: 'patchbay-file-suggestions',
    label: 'Files',
    kind: 'file',
    renderRow: (file) => [
      el('strong', { className: 'file-name', text: file.name }),
      el('span', { className: 'file-path', text: file.path }),
    ],
  }, onPick);
}
