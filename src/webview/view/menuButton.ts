/**
 * A button that opens a small menu (WAI-ARIA menu button pattern). Opening moves focus to the
 * first item; ArrowUp/ArrowDown (wrapping), Home and End move between items; Enter or Space
 * picks; Escape closes and gives focus back to the button; Tab, or a click elsewhere, closes.
 *
 *   div.menu-button
 *     button[aria-haspopup=menu][aria-expanded][aria-controls]
 *     div.menu[role=menu][aria-label][hidden] > button.menu-item[role=menuitem][tabindex=-1][data-index]*
 */
import { button, el } from '../dom';

export interface MenuItem {
  label: string;
}

export class MenuButton {
  readonly element: HTMLElement;
  readonly trigger: HTMLButtonElement;
  private readonly menu: HTMLElement;
  private readonly items: HTMLButtonElement[];

  constructor(
    id: string,
    label: string,
    text: string,
    items: readonly MenuItem[],
    private readonly onPick: (index: number) => void,
    className = '',
  ) {
    this.trigger = button(label, text, {
      className,
      attrs: { 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': id },
    });
    this.items = items.map((item, index) => {
      const element = el('button', {
        className: 'menu-item',
        text: item.label,
        attrs: { type: 'button', role: 'menuitem', tabindex: '-1' },
      });
      element.dataset.index = String(index);
      return element;
    });
    this.menu = el('div', { className: 'menu', hidden: true, attrs: { id, role: 'menu', 'aria-label': label } }, ...this.items);
    this.element = el('div', { className: 'menu-button' }, this.trigger, this.menu);

    this.trigger.addEventListener('click', () => (this.isOpen ? this.close(false) : this.open(0)));
    this.trigger.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        this.open(event.key === 'ArrowDown' ? 0 : this.items.length - 1);
      }
    });
    this.menu.addEventListener('click', (event) => {
      const item = event.target instanceof Element ? event.target.closest<HTMLElement>('.menu-item') : null;
      const index = Number(item?.dataset.index);
      if (item === null || !Number.isInteger(index)) return;
      this.close(true);
      this.onPick(index);
    });
    this.menu.addEventListener('keydown', (event) => this.onMenuKey(event));
    // Focus leaving the whole widget (Tab, a click elsewhere) closes the menu.
    this.element.addEventListener('focusout', (event) => {
      if (this.isOpen && !(event.relatedTarget instanceof Node && this.element.contains(event.relatedTarget))) this.close(false);
    });
  }

  get isOpen(): boolean {
    return !this.menu.hidden;
  }

  open(focusIndex: number): void {
    this.menu.hidden = false;
    this.trigger.setAttribute('aria-expanded', 'true');
    this.items[focusIndex]?.focus();
  }

  close(returnFocus: boolean): void {
    if (!this.isOpen) return;
    this.menu.hidden = true;
    this.trigger.setAttribute('aria-expanded', 'false');
    if (returnFocus) this.trigger.focus();
  }

  private onMenuKey(event: KeyboardEvent): void {
    const current = this.items.findIndex((item) => item === document.activeElement);
    const count = this.items.length;
    let next: number | undefined;
    switch (event.key) {
      case 'ArrowDown':
        next = (current + 1) % count;
        break;
      case 'ArrowUp':
        next = (current - 1 + count) % count;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = count - 1;
        break;
      case 'Escape':
        event.preventDefault();
        // The menu only: Escape must not also stop an answer or close a panel behind it.
        event.stopPropagation();
        this.close(true);
        return;
      case 'Tab':
        this.close(false);
        return;
      default:
        return;
    }
    event.preventDefault();
    this.items[next]?.focus();
  }
}
