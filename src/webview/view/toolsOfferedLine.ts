/**
 * Which tools an answer offered the model: one collapsed line, the names when opened.
 *
 *   details.tools-offered[hidden] > summary.tools-offered-summary + ul.tools-offered-names > li*
 */
import type { ToolsOffered } from '../../protocol/messages';
import { el } from '../dom';
import { toolsOfferedSummary } from './toolCallText';

export class ToolsOfferedLine {
  private readonly summary = el('summary', { className: 'tools-offered-summary' });
  private readonly names = el('ul', { className: 'tools-offered-names', attrs: { 'aria-label': 'Tools offered to the model' } });
  readonly element = el('details', { className: 'tools-offered', hidden: true }, this.summary, this.names);
  /** What is shown now, so an unchanged offer leaves the DOM (and an open section) alone. */
  private shown = '';

  show(offered: ToolsOffered | undefined): void {
    const key = offered === undefined ? '' : JSON.stringify(offered);
    if (key === this.shown) return;
    this.shown = key;
    this.element.hidden = offered === undefined;
    if (offered === undefined) {
      this.summary.textContent = '';
      this.names.replaceChildren();
      return;
    }
    this.summary.textContent = toolsOfferedSummary(offered);
    this.names.replaceChildren(...offered.names.map((name) => el('li', { className: 'tools-offered-name', text: name })));
  }
}
