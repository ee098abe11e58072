/**
 * Which URLs model output may carry. Links may open web pages or mail, nothing that runs inside
 * VS Code (`command:`, `vscode:`) or reads local files. Images are never fetched: a model (or a
 * prompt injected into its context) could otherwise leak data through an image URL the moment
 * the answer is shown, so only images embedded as `data:image/...` are displayed.
 */

/** Used as DOMPurify's ALLOWED_URI_REGEXP: any URL attribute that does not match is removed. */
export const ALLOWED_LINK_PATTERN = /^(?:https?|mailto):/i;

/** Characters browsers ignore inside a URL scheme, which would otherwise hide `javascript:`. */
const IGNORED_URL_CHARACTERS = /[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u180e\u2000-\u2029\u205f\u3000]/g;

export function isAllowedLinkUrl(url: string): boolean {
  return ALLOWED_LINK_PATTERN.test(url.replace(IGNORED_URL_CHARACTERS, ''));
}

/** An image that is embedded in the answer itself and so loads nothing from anywhere. */
export function isInlineImageUrl(url: string): boolean {
  return /^data:image\/[a-z0-9.+-]+[;,]/i.test(url.replace(IGNORED_URL_CHARACTERS, ''));
}

/** The text shown instead of a blocked image. */
export function blockedImageLabel(altText: string): string {
  const alt = altText.trim();
  return alt === '' ? '[image blocked]' : `[image blocked: ${alt}]`;
}
