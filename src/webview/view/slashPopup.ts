/**
 * The list of slash commands shown above the input (see completionPopup.ts for how it behaves).
 *
 *   div.completion-popup.slash-popup[role=listbox][aria-label="Slash commands"]#patchbay-slash-commands
 *     div.completion-option.slash-option[role=option][aria-selected][data-index]#patchbay-slash-commands-N
 *       strong.slash-name > span.slash-match (the typed part) + rest of the name
 *       span.slash-description
 *       span.slash-source
 */
import type { SlashCommand } from '../../protocol/messages';
import { el } from '../dom';
import { CompletionPopup } from './completionPopup';

export function createSlashPopup(onPick: (index: number) => void): CompletionPopup<SlashCommand> {
  return new CompletionPopup<SlashCommand>({
    id: 'patchbay-slash-commands',
    label: 'Slash commands',
    kind: 'slash',
    renderRow: (command, prefix) => {
      // The typed part keeps the command's own spelling; matching ignores case.
      const parts: Node[] = [el('strong', { className: 'slash-name', text: '/' },
        el('span', { className: 'slash-match', text: command.name.slice(0, prefix.length) }),
        document.createTextNode(command.name.slice(prefix.length)))];
      if (command.description !== '') parts.push(el('span', { className: 'slash-description', text: command.description }));
      if (command.source !== '') parts.push(el('span', { className: 'slash-source', text: command.source }));
      return parts;
    },
  }, onPick);
}
