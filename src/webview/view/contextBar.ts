/**
 * What goes with the next question: one chip per piece of editor context (above the input), and
 * the Add Context menu (in the composer's buttons row). The host owns the chips: adding and
 * removing only ask it, and its `context` message (also the empty one after a send) is what shows.
 *
 *   ul.context-chips[aria-label="Context"][hidden when empty]
 *     li.context-chip[data-kind][title]
 *       span.context-chip-icon[aria-hidden] | img.context-chip-thumbnail[alt=""] (an image's)
 *         + span.context-chip-label + span.context-chip-size
 *       button.context-chip-remove[aria-label="Remove <label>"][data-chip-id]
 *   div.menu-button.add-context (see menuButton.ts)
 *     button[aria-label="Add Context"] + div.menu[role=menu] > button[role=menuitem]
 *       "Selection" | "Current File" | "Open Editors" | "Problems" | "MCP Resource…" | "Context Provider…" | "Image…"
 */
import type { ContextChip, WebviewToHost } from '../../protocol/messages';
import { button, el } from '../dom';
import { ADD_CONTEXT_ITEMS, chipIcon, chipTitle, removeChipLabel } from './contextChipText';
import { MenuButton } from './menuButton';

export class ContextBar {
  readonly chipsElement = el('ul', { className: 'context-chips', hidden: true, attrs: { 'aria-label': 'Context' } });
  private readonly menu: MenuButton;
  private chips: readonly ContextChip[] = [];
  /** Where focus was when a remove button was pressed, to put it somewhere close once the chip goes. */
  private removedAt: number | undefined;

  constructor(private readonly post: (message: WebviewToHost) => void, private readonly focusInput: () => void) {
    this.menu = new MenuButton('patchbay-add-context', 'Add Context', '+ Add Context', ADD_CONTEXT_ITEMS, (index) => {
      const item = ADD_CONTEXT_ITEMS[index];
      if (item !== undefined) this.post({ type: 'addContext', kind: item.kind });
    }, 'secondary add-context-button');
    this.menu.element.classList.add('add-context');
    this.chipsElement.addEventListener('click', (event) => {
      const remove = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('button.context-chip-remove') : null;
      const chipId = remove?.dataset.chipId;
      if (remove === null || chipId === undefined || remove.disabled) return;
      // The chip stays until the host says it is gone; the button waits meanwhile.
      remove.disabled = true;
      this.removedAt = this.chips.findIndex((chip) => chip.id === chipId);
      this.post({ type: 'removeContext', chipId });
    });
  }

  get menuElement(): HTMLElement {
    return this.menu.element;
  }

  update(chips: readonly ContextChip[]): void {
    const active = document.activeElement;
    const focusWasInChips = this.chipsElement.contains(active);
    const focusedChipId = focusWasInChips && active instanceof HTMLElement ? active.dataset.chipId : undefined;
    this.chips = chips;
    this.chipsElement.replaceChildren(...chips.map((chip) => this.chip(chip)));
    this.chipsElement.hidden = chips.length === 0;
    const stillThere = focusedChipId === undefined ? null
      : this.chipsElement.querySelector<HTMLButtonElement>(`button[data-chip-id="${CSS.escape(focusedChipId)}"]`);
    if (stillThere !== null) stillThere.focus();
    else if (focusWasInChips || (this.removedAt !== undefined && this.focusIsLost())) this.placeFocus(focusWasInChips);
    this.removedAt = undefined;
  }

  private chip(chip: ContextChip): HTMLElement {
    const remove = button(removeChipLabel(chip), '×', { className: 'context-chip-remove' });
    remove.dataset.chipId = chip.id;
    const parts: Node[] = [
      // An image's picture is only a reminder: its name and size are the chip's text.
      chip.thumbnail !== undefined
        ? el('img', { className: 'context-chip-thumbnail', attrs: { src: chip.thumbnail, alt: '' } })
        : el('span', { className: 'context-chip-icon', text: chipIcon(chip.kind), attrs: { 'aria-hidden': 'true' } }),
      el('span', { className: 'context-chip-label', text: chip.label }),
    ];
    if (chip.size.trim() !== '') parts.push(el('span', { className: 'context-chip-size', text: `· ${chip.size.trim()}` }));
    parts.push(remove);
    const element = el('li', { className: 'context-chip', attrs: { title: chipTitle(chip) } }, ...parts);
    element.dataset.kind = chip.kind;
    return element;
  }

  /** After a chip went: the remove button now at its place, else the last one, else the input. */
  private placeFocus(wasInChips: boolean): void {
    const buttons = [...this.chipsElement.querySelectorAll<HTMLButtonElement>('button.context-chip-remove')];
    const index = Math.min(this.removedAt ?? 0, buttons.length - 1);
    const target = index >= 0 ? buttons[index] : undefined;
    if (target !== undefined) target.focus();
    else if (wasInChips || this.focusIsLost()) this.focusInput();
  }

  private focusIsLost(): boolean {
    return document.activeElement === null || document.activeElement === document.body;
  }
}
