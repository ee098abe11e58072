/**
 * The only way model output reaches the DOM. DOMPurify parses the HTML into an inert document
 * (nothing loads or runs there), strips anything active and hands back a fragment; remote images
 * are swapped for a text placeholder while still inside that inert document, because an <img>
 * starts fetching as soon as it is adopted into the page, attached or not.
 *
 * Model content also may not carry `data-*`, `aria-*`, `id`, buttons or form controls: the UI
 * finds its own controls by `data-action` and tests find them by accessible name, so a model
 * must not be able to forge either.
 */
import DOMPurify, { type Config, type DOMPurify as DOMPurifyInstance } from 'dompurify';
import { ALLOWED_LINK_PATTERN, blockedImageLabel, isInlineImageUrl } from './urlPolicy';

const FORBIDDEN_TAGS = [
  'script', 'style', 'link', 'meta', 'base', 'title', 'template', 'noscript',
  'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'portal',
  'form', 'input', 'button', 'textarea', 'select', 'option', 'optgroup', 'datalist', 'output', 'dialog',
  'video', 'audio', 'source', 'track', 'picture', 'canvas', 'svg', 'math',
];

const FORBIDDEN_ATTRIBUTES = [
  'style', 'id', 'name', 'srcset', 'background', 'poster', 'ping', 'target', 'download',
  'action', 'formaction', 'autofocus', 'tabindex', 'accesskey', 'contenteditable', 'role',
];

const config = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: FORBIDDEN_TAGS,
  FORBID_ATTR: FORBIDDEN_ATTRIBUTES,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOWED_URI_REGEXP: ALLOWED_LINK_PATTERN,
  RETURN_DOM_FRAGMENT: true,
} satisfies Config;

let purifier: DOMPurifyInstance | undefined;

/** Made with the first use: nothing is sanitized before the chat has taken input. */
function createPurifier(): DOMPurifyInstance {
  // A private instance, so these hooks cannot affect (or be affected by) any other DOMPurify use.
  const instance = DOMPurify(window);
  instance.addHook('uponSanitizeElement', (node, event) => {
    if (event.tagName !== 'img' || !(node instanceof Element)) return;
    const src = node.getAttribute('src') ?? '';
    if (isInlineImageUrl(src)) return;
    const placeholder = node.ownerDocument.createElement('span');
    placeholder.className = 'blocked-image';
    placeholder.title = `Image not loaded: ${src}`;
    placeholder.textContent = blockedImageLabel(node.getAttribute('alt') ?? '');
    // DOMPurify notices the element is detached and moves on to the next node.
    node.replaceWith(placeholder);
  });
  instance.addHook('afterSanitizeAttributes', (element) => {
    if (element.tagName !== 'A') return;
    const href = element.getAttribute('href');
    if (href === null) return;
    element.setAttribute('rel', 'noopener noreferrer');
    // The link text is the model's; the tooltip shows where the link really goes.
    element.setAttribute('title', href);
  });
  // Set once: without it DOMPurify parses the configuration again on every call, which for a
  // streamed answer (a call per block and per update of the growing one) was about a tenth of
  // its sanitizing. `sanitize` ignores the configuration it is given from now on.
  instance.setConfig(config);
  return instance;
}

/** Sanitizes HTML into a fragment that is safe to insert into the page. */
export function sanitizeToFragment(html: string): DocumentFragment {
  // `config` only gives the call its return type: the instance uses what setConfig set.
  return (purifier ??= createPurifier()).sanitize(html, config);
}
