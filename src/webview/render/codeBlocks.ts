/**
 * Code blocks in rendered markdown get a toolbar (language, Copy, Insert at Cursor, Open in New
 * File). Toolbars are added to already-sanitized DOM, so model output cannot fake them: it may
 * not carry buttons or data-* attributes. The clicks are handled in view/codeBlockActions.ts.
 */
import type { CodeAction } from '../../protocol/messages';
import { button, el } from '../dom';

export const CODE_ACTIONS: ReadonlyArray<{ action: CodeAction; label: string; text: string }> = [
  { action: 'copy', label: 'Copy', text: 'Copy' },
  { action: 'insert', label: 'Insert at Cursor', text: 'Insert' },
  { action: 'newFile', label: 'Open in New File', text: 'New File' },
];

/**
 * A code block: toolbar plus the given <pre>. While the block is still streaming it gets no
 * action buttons, since the code is not final yet.
 */
export function createCodeBlock(language: string, pre: HTMLPreElement, withActions: boolean): HTMLDivElement {
  const toolbar = el('div', { className: 'code-toolbar' },
    el('span', { className: 'code-language', text: language }));
  if (withActions) {
    for (const { action, label, text } of CODE_ACTIONS) {
      toolbar.append(button(label, text, { className: 'code-action', attrs: { 'data-action': 'code', 'data-code-action': action } }));
    }
  }
  const block = el('div', { className: withActions ? 'code-block' : 'code-block code-block-streaming' }, toolbar, pre);
  if (language !== '') block.dataset.language = language;
  return block;
}

/** Wraps every <pre> in freshly rendered markdown in a code block with a toolbar. */
export function decorateCodeBlocks(root: HTMLElement): void {
  for (const pre of root.querySelectorAll('pre')) {
    const code = pre.querySelector(':scope > code');
    const languageClass = code === null ? undefined : [...code.classList].find((name) => name.startsWith('language-'));
    const language = languageClass?.slice('language-'.length) ?? '';
    const parent = pre.parentNode;
    const next = pre.nextSibling;
    parent?.insertBefore(createCodeBlock(language, pre, true), next);
  }
}

/**
 * Highlights the finished code blocks under `root` that were rendered before the
 * highlighter script arrived (their code is still plain text).
 */
export function highlightPlainCodeBlocks(root: HTMLElement, highlight: (code: string, language: string) => string | undefined, sanitize: (html: string) => DocumentFragment): void {
  for (const code of root.querySelectorAll<HTMLElement>('.code-block:not(.code-block-streaming) > pre > code')) {
    if (code.firstElementChild !== null) continue;
    const language = code.closest<HTMLElement>('.code-block')?.dataset.language ?? '';
    const html = highlight(code.textContent ?? '', language);
    if (html !== undefined) code.replaceChildren(sanitize(html));
  }
}
