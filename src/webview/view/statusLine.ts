/** A passing note from the host ("Rate limited; retrying in 4 s"); empty text hides it. */
import { el } from '../dom';

export class StatusLine {
  readonly element = el('div', { className: 'status-line', hidden: true, attrs: { role: 'status', 'aria-live': 'polite' } });

  set(text: string | undefined): void {
    const shown = text !== undefined && text.trim() !== '';
    this.element.hidden = !shown;
    this.element.textContent = shown ? text : '';
  }
}
