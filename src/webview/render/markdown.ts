/** Markdown to safe DOM: marked, then the sanitizer, then code block toolbars. */
import { decorateCodeBlocks } from './codeBlocks';
import { markdownToHtml, type MarkdownOptions } from './markdownToHtml';
import { sanitizeToFragment } from './sanitize';

/** Renders markdown into `target`, replacing what it held. */
export function renderMarkdownInto(target: HTMLElement, markdown: string, options: MarkdownOptions): void {
  target.replaceChildren(sanitizeToFragment(markdownToHtml(markdown, options)));
  decorateCodeBlocks(target);
}
