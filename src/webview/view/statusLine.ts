/**
 * A passing note ("Rate limited; retrying in 4 s"), in a polite live region so screen readers
 * hear it. The host's text comes first; the webview adds notes of its own under a key (a tool
 * call waiting for approval) and takes them back when they no longer hold; the newest shows.
 *
 * The region stays in the accessibility tree when empty (it collapses instead of being hidden):
 * text put into a region that was just shown is not reliably announced.
 */
import { el } from '../dom';

export class StatusLine {
  readonly element = el('div', { className: 'status-line status-line-empty', attrs: { role: 'status', 'aria-live': 'polite' } });
  private hostText: string | undefined;
  private readonly notes = new Map<string, string>();

  /** The host's status text; absent or blank text clears it. */
  set(text: string | undefined): void {
    this.hostText = text !== undefined && text.trim() !== '' ? text : undefined;
    this.show();
  }

  /** A note of the webview's own under `key`; undefined takes it back. */
  note(key: string, text: string | undefined): void {
    this.notes.delete(key);
    if (text !== undefined && text.trim() !== '') this.notes.set(key, text);
    this.show();
  }

  clearNotes(): void {
    this.notes.clear();
    this.show();
  }

  private show(): void {
    const text = this.hostText ?? [...this.notes.values()].at(-1) ?? '';
    if (this.element.textContent !== text) this.element.textContent = text;
    this.element.classList.toggle('status-line-empty', text === '');
  }
}
