/**
 * `@url <address>`: a web page as a context chip. It is fetched only as the user's tool
 * approval rules say (the core asks first, as for a GET tool: `describeResolve`), through
 * Patchbay's guarded fetch (`context.services.web.fetchPage`: the address checked before
 * connecting, redirects only within the origin, the body read only up to a limit), and an
 * HTML page is turned into readable text.
 */
import type { PluginContext } from '../../../src/core/api';
import { htmlToText } from './htmlText';

export function activate(context: PluginContext): void {
  context.registerContextProvider({
    name: 'url',
    description: 'A web page, as text (asks before fetching, as your tool approval rules say)',
    queryHint: 'a URL (https://…)',
    describeResolve: (query) => ({ method: 'GET', url: pageUrl(query).href }),
    async resolve(query, { signal }) {
      const url = pageUrl(query);
      const page = await context.services.web.fetchPage(url.href, { signal });
      if (page.status >= 400) throw new Error(`${url.href} answered ${page.status} ${page.statusText}`.trim());
      const mediaType = page.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
      const isHtml = mediaType === 'text/html' || mediaType === 'application/xhtml+xml' || (mediaType === '' && /^\s*(<!doctype html|<html)/i.test(page.text));
      if (!isHtml && !isText(mediaType)) throw new Error(`${url.href} is ${mediaType || 'of no stated type'}, not a page that can be read as text`);
      const readable = isHtml ? htmlToText(page.text) : { title: '', text: page.text };
      // The core cuts long text at the end (saying how much it left out), so this goes first.
      const text = page.truncated ? `[The page is larger than 5 MB: only its start was read.]\n\n${readable.text}` : readable.text;
      return { title: readable.title || `${url.host}${url.pathname}`, uri: page.url, text: text.trim() === '' ? '(the page has no text)' : text };
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
