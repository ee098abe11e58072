/**
 * A list of suggestions shown above the message input (slash commands, files). It only displays:
 * the composer decides when it shows, which row is highlighted and what a pick does. Focus never
 * leaves the textarea: the rows are announced through `aria-activedescendant`, and a mouse press
 * on the list is kept from blurring the input so the click that follows lands on its row.
 *
 *   div.completion-popup.<kind>-popup[role=listbox][aria-label]#<id>
 *     div.completion-option.<kind>-option[role=option][aria-selected][data-index]#<id>-N
 *       (the row's content, from `renderRow`)
 */
import { el } from '../dom';

export interface CompletionPopupOptions<T> {
  /** The listbox's id, for the input's `aria-controls`; rows get `<id>-<index>`. */
  id: string;
  /** The listbox's accessible name. */
  label: string;
  /** Added to the common classes, e.g. `slash` gives `slash-popup` and `slash-option`. */
  kind: string;
  /** The content of one row; built from text nodes only. */
  renderRow(item: T, key: string): Node[];
}

export class CompletionPopup<T> {
  readonly element: HTMLElement;
  private rows: HTMLElement[] = [];
  private shownItems: readonly T[] = [];
  private shownKey = '';
  private active = -1;

  constructor(private readonly options: CompletionPopupOptions<T>, onPick: (index: number) => void) {
    this.element = el('div', {
      className: `completion-popup ${options.kind}-popup`,
      hidden: true,
      attrs: { id: options.id, role: 'listbox', 'aria-label': options.label },
    });
    this.element.addEventListener('mousedown', (event) => event.preventDefault());
    this.element.addEventListener('click', (event) => {
      const row = event.target instanceof Element ? event.target.closest<HTMLElement>('.completion-option') : null;
      const index = Number(row?.dataset.index);
      if (row !== null && this.element.contains(row) && Number.isInteger(index)) onPick(index);
    });
  }

  get id(): string {
    return this.options.id;
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** The id of the highlighted row, for the input's `aria-activedescendant`. */
  get activeId(): string | undefined {
    return this.isOpen && this.rows[this.active] !== undefined ? this.optionId(this.active) : undefined;
  }

  /**
   * Shows `items` with row `active` highlighted. Rows are rebuilt only when the list or `key`
   * (what the rows depend on besides the items, e.g. the typed prefix) changed.
   */
  show(items: readonly T[], active: number, key = ''): void {
    if (!this.sameList(items, key)) {
      this.shownItems = items;
      this.shownKey = key;
      this.rows = items.map((item, index) => this.row(item, key, index));
      this.element.replaceChildren(...this.rows);
      this.active = -1;
    }
    this.element.hidden = false;
    this.highlight(active);
  }

  hide(): void {
    this.element.hidden = true;
  }

  private optionId(index: number): string {
    return `${this.options.id}-${index}`;
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

  private sameList(items: readonly T[], key: string): boolean {
    return key === this.shownKey
      && items.length === this.shownItems.length
      && items.every((item, index) => item === this.shownItems[index]);
  }

  private row(item: T, key: string, index: number): HTMLElement {
    const row = el('div', {
      className: `completion-option ${this.options.kind}-option`,
      attrs: { id: this.optionId(index), role: 'option', 'aria-selected': 'false' },
    }, ...this.options.renderRow(item, key));
    row.dataset.index = String(index);
    return row;
  }
}
