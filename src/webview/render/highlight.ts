/**
 * Syntax highlighting for finished code blocks, through the highlighter script
 * (`highlighter.ts`), which is loaded when the first code block needs it: until it has
 * arrived, code shows as plain text, and it is highlighted then.
 */
import type { Highlighter } from '../highlighter';

const scope = globalThis as { patchbayHighlighter?: Highlighter };

/** Where the main script came from and its nonce, read while it first runs. */
const mainScript = typeof document === 'undefined' ? null : (document.currentScript as HTMLScriptElement | null);
let requested = false;

/** Calls `onLoaded` once the highlighter script has arrived. */
export function whenHighlighterLoads(onLoaded: () => void): void {
  if (typeof window === 'undefined') return;
  window.addEventListener('patchbay-highlighter', () => onLoaded(), { once: true });
}

/** Adds the highlighter script beside the main one (same folder, same nonce), once. */
function requestHighlighter(): void {
  if (requested || !mainScript?.src) return;
  requested = true;
  const script = document.createElement('script');
  script.nonce = mainScript.nonce;
  script.src = mainScript.src.replace(/webview\.js(?=$|[?#])/, 'highlight.js');
  document.head.append(script);
}

/**
 * The language name from a fence's info string, reduced to characters that are safe in a class
 * name and in the toolbar label ('' when there is none).
 */
export function fenceLanguage(info: string | undefined): string {
  const first = (info ?? '').trim().split(/\s/, 1)[0] ?? '';
  return first.replace(/[^\w#+.-]/g, '').slice(0, 40).toLowerCase();
}

/** Highlighted HTML, or undefined for an unknown language or before the highlighter has loaded. */
export function highlightCode(code: string, language: string): string | undefined {
  const highlighter = scope.patchbayHighlighter;
  if (highlighter) return highlighter.highlight(code, language);
  // The first code block that could be highlighted asks for the highlighter: a chat without
  // code never loads it. The block shows as plain text until it arrives.
  if (language !== '') requestHighlighter();
  return undefined;
}
