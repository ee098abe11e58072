/**
 * The "Sources" list after an answer: what plugins cited while answering. A source's link goes
 * through the same URL policy as links in answers (web pages and mail only); any other is shown
 * as plain text, never as a link.
 *
 *   section.turn-sources[aria-label=Sources][hidden]
 *     > div.turn-sources-title + ol.turn-sources-list > li.turn-source
 *       > (a.turn-source-link[href] | span.turn-source-title) + div.turn-source-snippet?
 */
import type { AnswerSource } from '../../protocol/messages';
import { el } from '../dom';
import { isAllowedLinkUrl } from '../render/urlPolicy';

/** The address a source may link to, if its URL passes the policy. */
export function sourceLink(source: AnswerSource): string | undefined {
  return source.url !== undefined && isAllowedLinkUrl(source.url) ? source.url : undefined;
}

export class AnswerSources {
  readonly element = el('section', { className: 'turn-sources', hidden: true, attrs: { 'aria-label': 'Sources' } });
  private shown = '';

  show(sources: readonly AnswerSource[] | undefined): void {
    const list = sources ?? [];
    const key = JSON.stringify(list);
    if (key === this.shown) return;
    this.shown = key;
    this.element.hidden = list.length === 0;
    if (list.length === 0) return this.element.replaceChildren();
    const items = list.map((source) => {
      const link = sourceLink(source);
      const title = link === undefined
        ? el('span', { className: 'turn-source-title', text: source.title })
        : el('a', { className: 'turn-source-link', text: source.title, attrs: { href: link, title: link } });
      const item = el('li', { className: 'turn-source' }, title);
      if (source.snippet !== undefined) item.append(el('div', { className: 'turn-source-snippet', text: source.snippet }));
      return item;
    });
    this.element.replaceChildren(el('div', { className: 'turn-sources-title', text: 'Sources' }), el('ol', { className: 'turn-sources-list' }, ...items));
  }
}
