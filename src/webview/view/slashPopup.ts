/**
 * The list of slash commands shown above the input. It only displays: the composer decides when
 * it shows, which row is highlighted and what a pick does (see slashCompletion.ts). Focus never
 * leaves the textarea: the rows are announced through `aria-activedescendant`, and a mouse press
 * on the list is kept from blurring the input so the click that follows lands on its row.
 *
 *   div.slash-popup[role=listbox][aria-label="Slash commands"]#patchbay-slash-commands
 *     div.slash-option[role=option][aria-selected][data-index]#patchbay-slash-command-N
 *       strong.slash-name > span.slash-match (the typed part) + rest of the name
 *       span.slash-description
 *       span.slash-source
 */
import type { SlashCommand } from '../../protocol/messages';
import { el } from '../dom';

export const SLASH_LISTBOX_ID = 'patchbay-slash-commands';

const optionId = (index: number): string => `patchbay-slash-command-${index}`;

export class SlashPopup {
  readonly element = el('div', {
    className: 'slash-popup',
    hidden: true,
    attrs: { id: SLASH_LISTBOX_ID, role: 'listbox', 'aria-label': 'Slash commands' },
  });
  private rows: HTMLElement[] = [];
  private shownMatches: readonly SlashCommand[] = [];
  private shownPrefix = '';
  private active = -1;

  constructor(onPick: (index: number) => void) {
    this.element.addEventListener('mousedown', (event) => event.preventDefault());
    this.element.addEventListener('click', (event) => {
      const row = event.target instanceof Element ? event.target.closest<HTMLElement>('.slash-option') : null;
      const index = Number(row?.dataset.index);
      if (row !== null && this.element.contains(row) && Number.isInteger(index)) onPick(index);
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** The id of the highlighted row, for the input's `aria-activedescendant`. */
  get activeId(): string | undefined {
    return this.isOpen && this.rows[this.active] !== undefined ? optionId(this.active) : undefined;
  }

  /** Shows `matches` with row `active` highlighted; rows are rebuilt only when the list changed. */
  show(matches: readonly SlashCommand[], prefix: string, active: number): void {
    if (!this.sameList(matches, prefix)) {
      this.shownMatches = matches;
      this.shownPrefix = prefix;
      this.rows = matches.map((command, index) => this.row(command, prefix, index));
      this.element.replaceChildren(...this.rows);
      this.active = -1;
    }
    this.element.hidden = false;
    this.highlight(active);
  }

  hide(): void {
    this.element.hidden = true;
  }

  private highlight(index: number): void {
    if (index !== this.active) {
      this.rows[this.active]?.setAttribute('aria-selected', 'false');
      this.active = index;
    }
    const row = this.rows[index];
    if (row === undefined) return;
    row.setAttribute('aria-selected', 'true');
    row.scrollIntoView({ block: 'nearest' });
  }

  private sameList(matches: readonly SlashCommand[], prefix: string): boolean {
    return prefix === this.shownPrefix
      && matches.length === this.shownMatches.length
      && matches.every((command, index) => command === this.shownMatches[index]);
  }

  private row(command: SlashCommand, prefix: string, index: number): HTMLElement {
    // The typed part keeps the command's own spelling; matching ignores case.
    const name = el('strong', { className: 'slash-name', text: '/' },
      el('span', { className: 'slash-match', text: command.name.slice(0, prefix.length) }),
      document.createTextNode(command.name.slice(prefix.length)));
    const row = el('div', {
      className: 'slash-option',
      attrs: { id: optionId(index), role: 'option', 'aria-selected': 'false' },
    }, name);
    if (command.description !== '') row.append(el('span', { className: 'slash-description', text: command.description }));
    if (command.source !== '') row.append(el('span', { className: 'slash-source', text: command.source }));
    row.dataset.index = String(index);
    return row;
  }
}
