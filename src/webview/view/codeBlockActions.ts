/**
 * Clicks on a code block's toolbar, routed here by the transcript's single delegated listener.
 * The code sent is the block's text, never its highlighted HTML.
 */
import type { WebviewToHost } from '../../protocol/messages';
import { CODE_ACTIONS } from '../render/codeBlocks';

const COPIED_FEEDBACK_MS = 1500;

/** The message for a click on a code toolbar button. */
export function codeActionFor(target: HTMLElement): WebviewToHost | undefined {
  const action = CODE_ACTIONS.find((entry) => entry.action === target.dataset.codeAction)?.action;
  const block = target.closest<HTMLElement>('.code-block');
  const pre = block?.querySelector('pre');
  if (action === undefined || !block || !pre) return undefined;
  if (action === 'copy') showCopied(target);
  const language = block.dataset.language;
  const code = pre.textContent ?? '';
  return language === undefined ? { type: 'codeAction', action, code } : { type: 'codeAction', action, code, language };
}

/** Visible feedback only: the accessible name stays "Copy". */
export function showCopied(target: HTMLElement): void {
  target.textContent = 'Copied';
  target.classList.add('copied');
  setTimeout(() => {
    target.textContent = 'Copy';
    target.classList.remove('copied');
  }, COPIED_FEEDBACK_MS);
}
