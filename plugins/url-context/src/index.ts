/**
 * `@url <address>`: a web page as a context chip. It is fetched only as the user's tool
 * approval rules say (the core asks first, as for a GET tool: `describeResolve`), through
 * Patchbay's guarded fetch (the address checked before connecting, redirects only within the
 * origin, the body read only up to a limit), and an HTML page is turned into readable text.
 */
import type { PluginContext } from '../../../src/core/api';
import { guardedFetch } from '../../../src/core/openapi/guardedFetch';
import { htmlToText } from './htmlText';

/** Bytes of a page read at most: far more than the text a chip keeps. */
const MAX_PAGE_BYTES = 5 * 1024 * 1024;
/** Under the 30 s a context provider has, so a slow site is an error of its own, not a hung plugin. */
const FETCH_TIMEOUT_MS = 20_000;
const MAX_REDIRECTS = 5;

export function activate(context: PluginContext): void {
  context.registerContextProvider({
    name: 'url',
    description: 'A web page, as text (asks before fetching, as your tool approval rules say)',
    queryHint: 'a URL (https://…)',
    describeResolve: (query) => ({ method: 'GET', url: pageUrl(query).href }),
    async resolve(query, { signal }) {
      const url = pageUrl(query);
      const response = await guardedFetch(url.href, {
        signal,
        timeoutMs: FETCH_TIMEOUT_MS,
        maxBytes: MAX_PAGE_BYTES,
        maxRedirects: MAX_REDIRECTS,
        headers: { accept: 'text/html, application/xhtml+xml, text/plain;q=0.9, */*;q=0.5', 'user-agent': 'Patchbay (VS Code chat; @url context)' },
      });
      if (response.status >= 400) throw new Error(`${url.href} answered ${response.status} ${response.statusText}`.trim());
      const contentType = String(response.headers['content-type'] ?? '').toLowerCase();
      const mediaType = contentType.split(';')[0]?.trim() ?? '';
      const raw = decode(response.body, /charset\s*=\s*"?([^";\s]+)/.exec(contentType)?.[1]);
      const isHtml = mediaType === 'text/html' || mediaType === 'application/xhtml+xml' || (mediaType === '' && /^\s*(<!doctype html|<html)/i.test(raw));
      if (!isHtml && !isText(mediaType)) throw new Error(`${url.href} is ${mediaType || 'of no stated type'}, not a page that can be read as text`);
      const page = isHtml ? htmlToText(raw) : { title: '', text: raw };
      // The core cuts long text at the end (saying how much it left out), so this goes first.
      const text = response.truncated ? `[The page is larger than ${MAX_PAGE_BYTES / 1024 / 1024} MB: only its start was read.]\n\n${page.text}` : page.text;
      return { title: page.title || `${url.host}${url.pathname}`, uri: response.url, text: text.trim() === '' ? '(the page has no text)' : text };
    },
  });
}

/** The address typed after `@url`: http or https only, with a clear error otherwise. */
function pageUrl(query: string): URL {
  const typed = query.trim();
  if (typed === '') throw new Error('type the address of a page after @url, e.g. @url https://example.com/docs');
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(typed) ? typed : `https://${typed}`);
  } catch {
    throw new Error(`"${typed}" is not a web address`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${url.protocol} addresses are not fetched, only http: and https:`);
  return url;
}

function isText(mediaType: string): boolean {
  return mediaType.startsWith('text/') || /^application\/(json|xml|[a-z.+-]+\+(json|xml)|javascript|x-yaml|yaml)$/.test(mediaType);
}

function decode(body: Uint8Array, charset: string | undefined): string {
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}
