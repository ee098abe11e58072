/**
 * The saved conversations: a panel over the chat (below the header) with a search box and one
 * row per conversation, newest first. The host owns the list; the panel asks for it
 * (`showHistory`, debounced while typing a search) and shows the answer to the latest question.
 * Titles and previews are plain text.
 *
 * Keyboard: the search box takes focus on opening; ArrowDown goes to the rows, ArrowUp/ArrowDown,
 * Home and End move between rows, Enter opens, F2 renames, Delete asks to delete; Tab reaches
 * the buttons of the row that has focus (one tab stop per list, roving). Escape cancels a rename
 * or a delete question first, otherwise closes the panel and gives focus back to History.
 *
 *   button.header-button[aria-label=History][aria-expanded][aria-controls=patchbay-history]   (in the header)
 *   section.history-panel#patchbay-history[aria-label="Conversation History"][hidden]
 *     div.history-toolbar > input.history-search[type=text][aria-label="Search Conversations"]
 *                         + button[aria-label="Close History"]
 *     ul.history-list[aria-label=Conversations]
 *       li.history-row[aria-label=<title>][aria-current=true (the open one)][data-id][tabindex]
 *         div.history-row-main > span.history-title | input.history-rename[aria-label="Conversation Title"]
 *                              + span.history-meta > time.history-date + span.history-count
 *         div.history-preview
 *         div.history-actions > button[data-action=open|rename|export|delete] "Open" "Rename" "Export" "Delete"
 *           | div.history-confirm[role=group] > span "Delete this conversation?"
 *                                           + button[data-action=confirm-delete] "Confirm Delete"
 *                                           + button[data-action=cancel-delete] "Cancel"
 *     p.history-empty[role=status]   "No saved conversations" | "No conversations match"
 */
import type { ConversationSummary, WebviewToHost } from '../../protocol/messages';
import { button, el, iconButton } from '../dom';
import { OverlayVisibility } from './overlayVisibility';
import { displayTitle, fullDate, historyEmptyText, historyRowAfterKey, relativeDate, sameQuery, turnCountText } from './historyText';

const PANEL_ID = 'patchbay-history';
const SEARCH_DELAY_MS = 200;
const DELETE_QUESTION = 'Delete this conversation?';

const ROW_ACTIONS = [
  { action: 'open', label: 'Open' },
  { action: 'rename', label: 'Rename' },
  { action: 'export', label: 'Export' },
  { action: 'delete', label: 'Delete' },
] as const;

/** What had focus in the list, to find it again after the rows were rebuilt. */
interface FocusSpot {
  id: string;
  /** `row`, `rename`, or a button's `data-action`. */
  part: string;
}

export interface HistoryPanelHooks {
  /** The panel opened or closed (the chat behind it is made inert meanwhile). */
  onOpenChange(open: boolean): void;
  /** A conversation was opened from the list (the panel has closed). */
  onConversationOpened(): void;
}

function isoDate(time: number): string | undefined {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export class HistoryPanel {
  readonly toggleButton = iconButton('History', 'history', {
    className: 'header-button history-button',
    attrs: { 'aria-expanded': 'false', 'aria-controls': PANEL_ID },
  });
  readonly element: HTMLElement;
  private readonly visibility: OverlayVisibility;
  private readonly search = el('input', {
    className: 'history-search',
    // A plain text box (role textbox, as tests find it), not type=search, which Escape would clear.
    attrs: { type: 'text', 'aria-label': 'Search Conversations', placeholder: 'Search conversations', spellcheck: 'false', autocomplete: 'off' },
  });
  private readonly closeButton = iconButton('Close History', 'close', { className: 'header-button history-close' });
  private readonly list = el('ul', { className: 'history-list', attrs: { 'aria-label': 'Conversations' } });
  private readonly emptyText = el('p', { className: 'history-empty', attrs: { role: 'status' } });
  private items: ConversationSummary[] = [];
  private currentId = '';
  private loaded = false;
  /** The query last asked for; answers to any other are stale. */
  private askedQuery = '';
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private renamingId: string | undefined;
  private confirmingId: string | undefined;
  /** The row that is the list's tab stop. */
  private activeId: string | undefined;
  /** Set while rows are rebuilt: the rename box leaving the page then is not the user leaving it. */
  private rebuilding = false;

  constructor(private readonly post: (message: WebviewToHost) => void, private readonly hooks: HistoryPanelHooks) {
    this.element = el('section', { className: 'overlay-panel history-panel', hidden: true, attrs: { id: PANEL_ID, 'aria-label': 'Conversation History' } },
      el('div', { className: 'overlay-toolbar history-toolbar' }, this.search, this.closeButton),
      this.list,
      this.emptyText);
    this.visibility = new OverlayVisibility(this.element, this.toggleButton, (open) => this.hooks.onOpenChange(open));

    this.toggleButton.addEventListener('click', () => (this.isOpen ? this.close(true) : this.open()));
    this.toggleButton.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.isOpen) {
        event.preventDefault();
        this.close(true);
      }
    });
    this.closeButton.addEventListener('click', () => this.close(true));
    this.search.addEventListener('input', () => {
      if (this.searchTimer !== undefined) clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.ask(this.search.value.trim()), SEARCH_DELAY_MS);
    });
    this.search.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown' && this.items.length > 0) {
        event.preventDefault();
        this.focusRow(0);
      }
    });
    // Escape that nothing inside took (a rename box, a delete question) closes the panel.
    this.element.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      this.close(true);
    });
    this.list.addEventListener('click', (event) => this.onListClick(event));
    this.list.addEventListener('keydown', (event) => this.onListKey(event));
    this.list.addEventListener('focusin', (event) => {
      const row = event.target instanceof Element ? event.target.closest<HTMLElement>('li.history-row') : null;
      if (row?.dataset.id !== undefined && row.dataset.id !== this.activeId) this.setActive(row.dataset.id);
    });
  }

  get isOpen(): boolean {
    return this.visibility.isOpen;
  }

  open(): void {
    if (!this.visibility.show()) return;
    this.renamingId = undefined;
    this.confirmingId = undefined;
    this.search.value = '';
    this.ask('');
    this.render();
    this.visibility.shown();
    this.search.focus();
  }

  close(returnFocus: boolean): void {
    if (!this.isOpen) return;
    if (this.searchTimer !== undefined) clearTimeout(this.searchTimer);
    this.searchTimer = undefined;
    this.renamingId = undefined;
    this.confirmingId = undefined;
    this.visibility.hide(returnFocus);
  }

  /** Another conversation came up (New Chat...): the panel goes, unless the user is working in it. */
  closeUnlessInUse(): void {
    if (this.isOpen && !this.element.contains(document.activeElement)) this.close(false);
  }

  /** The host's list for `query`; an answer to an earlier query than the last one asked is dropped. */
  show(items: readonly ConversationSummary[], query: string, currentId: string): void {
    if (!sameQuery(query, this.askedQuery)) return;
    this.items = [...items];
    this.currentId = currentId;
    this.loaded = true;
    this.render();
  }

  private ask(query: string): void {
    this.searchTimer = undefined;
    this.askedQuery = query;
    this.post({ type: 'showHistory', query });
  }

  private render(): void {
    const spot = this.focusSpot();
    const renameValue = this.list.querySelector<HTMLInputElement>('input.history-rename')?.value;
    if (!this.items.some((item) => item.id === this.renamingId)) this.renamingId = undefined;
    if (!this.items.some((item) => item.id === this.confirmingId)) this.confirmingId = undefined;
    if (!this.items.some((item) => item.id === this.activeId)) {
      this.activeId = this.items.find((item) => item.id === this.currentId)?.id ?? this.items[0]?.id;
    }
    const now = Date.now();
    this.rebuilding = true;
    try {
      this.list.replaceChildren(...this.items.map((item) => this.row(item, now, item.id === this.renamingId ? renameValue : undefined)));
    } finally {
      this.rebuilding = false;
    }
    this.list.hidden = this.items.length === 0;
    this.emptyText.hidden = this.items.length > 0;
    this.emptyText.textContent = this.items.length > 0 ? '' : this.loaded ? historyEmptyText(this.askedQuery) : 'Loading…';
    this.setActive(this.activeId);
    if (spot !== undefined) this.restoreFocus(spot);
  }

  private row(item: ConversationSummary, now: number, renameValue: string | undefined): HTMLElement {
    const title = displayTitle(item.title);
    const row = el('li', { className: 'history-row', attrs: { 'aria-label': title, tabindex: '-1' } });
    row.dataset.id = item.id;
    if (item.id === this.currentId) row.setAttribute('aria-current', 'true');

    const titlePart = item.id === this.renamingId
      ? this.renameInput(item, renameValue ?? item.title)
      : el('span', { className: 'history-title', text: title });
    const date = el('time', { className: 'history-date', text: relativeDate(item.updatedAt, now) });
    const iso = isoDate(item.updatedAt);
    if (iso !== undefined) {
      date.setAttribute('datetime', iso);
      date.title = fullDate(item.updatedAt);
    }
    row.append(
      el('div', { className: 'history-row-main' },
        titlePart,
        el('span', { className: 'history-meta' }, date, el('span', { className: 'history-count', text: turnCountText(item.turnCount) }))),
    );
    if (item.preview.trim() !== '') row.append(el('div', { className: 'history-preview', text: item.preview }));

    if (item.id === this.confirmingId) {
      row.append(el('div', { className: 'history-confirm', attrs: { role: 'group', 'aria-label': DELETE_QUESTION } },
        el('span', { className: 'history-confirm-text', text: DELETE_QUESTION }),
        button('Confirm Delete', 'Confirm Delete', { className: 'primary history-action', attrs: { 'data-action': 'confirm-delete' } }),
        button('Cancel', 'Cancel', { className: 'history-action', attrs: { 'data-action': 'cancel-delete' } })));
    } else {
      row.append(el('div', { className: 'history-actions' },
        ...ROW_ACTIONS.map(({ action, label }) => button(label, label, { className: 'history-action', attrs: { 'data-action': action } }))));
    }
    return row;
  }

  private renameInput(item: ConversationSummary, value: string): HTMLInputElement {
    const input = el('input', {
      className: 'history-rename',
      attrs: { type: 'text', 'aria-label': 'Conversation Title', spellcheck: 'false' },
    });
    input.value = value;
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        event.stopPropagation();
        this.finishRename(item.id, input.value, true);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        this.finishRename(item.id, undefined, true);
      } else if (event.key.startsWith('Arrow') || event.key === 'Home' || event.key === 'End') {
        // Caret movement in the box, not row movement.
        event.stopPropagation();
      }
    });
    // Leaving the box keeps what was typed, as renaming in the Explorer does.
    input.addEventListener('blur', () => {
      if (!this.rebuilding && this.renamingId === item.id) this.finishRename(item.id, input.value, false);
    });
    return input;
  }

  /**
   * Ends a rename; `title` undefined cancels it. A blank or unchanged title changes nothing. Only
   * the title of the row changes in place: the rename may end by a click on another button, and
   * rebuilding the rows under that click would swallow it.
   */
  private finishRename(id: string, title: string | undefined, keepFocus: boolean): void {
    if (this.renamingId !== id) return;
    this.renamingId = undefined;
    const index = this.items.findIndex((item) => item.id === id);
    const item = this.items[index];
    if (item === undefined) return;
    const newTitle = title?.trim() ?? '';
    let shown = item;
    if (newTitle !== '' && newTitle !== item.title) {
      this.post({ type: 'renameConversation', conversationId: id, title: newTitle });
      // Shown at once; the host's next list is authoritative.
      shown = { ...item, title: newTitle };
      this.items[index] = shown;
    }
    const row = this.rowFor(id);
    if (row === null) return;
    row.setAttribute('aria-label', displayTitle(shown.title));
    row.querySelector('input.history-rename')?.replaceWith(el('span', { className: 'history-title', text: displayTitle(shown.title) }));
    if (keepFocus) this.restoreFocus({ id, part: 'row' });
  }

  private onListClick(event: MouseEvent): void {
    const target = event.target instanceof Element ? event.target : null;
    const row = target?.closest<HTMLElement>('li.history-row');
    const id = row?.dataset.id;
    if (row === null || row === undefined || id === undefined || !this.list.contains(row)) return;
    if (target?.closest('input') !== null && target?.closest('input') !== undefined) return;
    const action = target?.closest<HTMLElement>('button[data-action]')?.dataset.action;
    if (action === undefined) {
      // A click on the row itself opens it, unless it is being renamed or asks about deleting.
      if (id !== this.renamingId && id !== this.confirmingId) this.openConversation(id);
      return;
    }
    this.runAction(id, action);
  }

  private runAction(id: string, action: string): void {
    switch (action) {
      case 'open':
        this.openConversation(id);
        break;
      case 'rename':
        this.confirmingId = undefined;
        this.renamingId = id;
        this.render();
        this.startRenameFocus(id);
        break;
      case 'export':
        this.post({ type: 'exportConversation', conversationId: id });
        break;
      case 'delete':
        this.renamingId = undefined;
        this.confirmingId = id;
        this.render();
        this.restoreFocus({ id, part: 'cancel-delete' });
        break;
      case 'cancel-delete':
        this.confirmingId = undefined;
        this.render();
        this.restoreFocus({ id, part: 'delete' });
        break;
      case 'confirm-delete': {
        this.confirmingId = undefined;
        this.post({ type: 'deleteConversation', conversationId: id });
        const index = this.items.findIndex((item) => item.id === id);
        // Gone from the list at once; the host's next list is authoritative.
        this.items = this.items.filter((item) => item.id !== id);
        if (this.activeId === id) this.activeId = undefined;
        this.render();
        const next = this.items[Math.min(index, this.items.length - 1)];
        if (next !== undefined) this.restoreFocus({ id: next.id, part: 'row' });
        else this.search.focus();
        break;
      }
    }
  }

  private startRenameFocus(id: string): void {
    const input = this.rowFor(id)?.querySelector<HTMLInputElement>('input.history-rename');
    if (input === null || input === undefined) return;
    input.focus();
    input.select();
  }

  private openConversation(id: string): void {
    this.post({ type: 'openConversation', conversationId: id });
    this.close(false);
    this.hooks.onConversationOpened();
  }

  private onListKey(event: KeyboardEvent): void {
    const target = event.target instanceof HTMLElement ? event.target : null;
    const row = target?.closest<HTMLElement>('li.history-row');
    const id = row?.dataset.id;
    if (target === null || row === null || row === undefined || id === undefined) return;
    if (event.key === 'Escape' && id === this.confirmingId) {
      event.preventDefault();
      this.runAction(id, 'cancel-delete');
      return;
    }
    if (target instanceof HTMLInputElement || event.altKey || event.ctrlKey || event.metaKey) return;
    const rows = this.rows();
    const next = historyRowAfterKey(event.key, rows.indexOf(row), rows.length);
    if (next !== undefined) {
      event.preventDefault();
      this.focusRow(next);
      return;
    }
    if (target !== row) return;
    // Keys on the row itself (buttons in it keep their own Enter and Space).
    if (event.key === 'Enter') {
      event.preventDefault();
      this.openConversation(id);
    } else if (event.key === 'F2') {
      event.preventDefault();
      this.runAction(id, 'rename');
    } else if (event.key === 'Delete') {
      event.preventDefault();
      this.runAction(id, 'delete');
    }
  }

  private rows(): HTMLElement[] {
    return [...this.list.querySelectorAll<HTMLElement>(':scope > li.history-row')];
  }

  private rowFor(id: string): HTMLElement | null {
    return this.list.querySelector<HTMLElement>(`:scope > li.history-row[data-id="${CSS.escape(id)}"]`);
  }

  private focusRow(index: number): void {
    const row = this.rows()[index];
    if (row === undefined) return;
    this.setActive(row.dataset.id);
    row.focus();
  }

  /** One tab stop in the list: the active row and its buttons; the other rows are reached by arrows. */
  private setActive(id: string | undefined): void {
    this.activeId = id;
    for (const row of this.rows()) {
      const active = row.dataset.id === id;
      row.tabIndex = active ? 0 : -1;
      for (const control of row.querySelectorAll<HTMLElement>('button, input')) control.tabIndex = active ? 0 : -1;
    }
  }

  private focusSpot(): FocusSpot | undefined {
    const active = document.activeElement;
    if (!(active instanceof HTMLElement) || !this.list.contains(active)) return undefined;
    const row = active.closest<HTMLElement>('li.history-row');
    if (row?.dataset.id === undefined) return undefined;
    const part = active === row ? 'row' : active instanceof HTMLInputElement ? 'rename' : active.dataset.action ?? 'row';
    return { id: row.dataset.id, part };
  }

  private restoreFocus(spot: FocusSpot): void {
    const row = this.rowFor(spot.id);
    if (row === null) return;
    const target = spot.part === 'row' ? row
      : spot.part === 'rename' ? row.querySelector<HTMLElement>('input.history-rename') ?? row
      : row.querySelector<HTMLElement>(`button[data-action="${CSS.escape(spot.part)}"]`) ?? row;
    this.setActive(spot.id);
    target.focus();
  }
}
