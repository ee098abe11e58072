/**
 * `context.services.web.fetchPage()` for plugins: a GET through the guarded fetch that OpenAPI
 * tools use (openapi/guardedFetch.ts), its body decoded as text. Needs no editor.
 */
import type { FetchedPage, WebServices } from '../api';
import type * as GuardedFetch from '../openapi/guardedFetch';
import type { HostResolver } from '../openapi/guardedFetch';

/** Bytes of a page read at most. */
export const MAX_PAGE_BYTES = 5 * 1024 * 1024;
/** Under the 30 s a context provider has, so a slow site is an error of its own, not a hung plugin. */
const PAGE_TIMEOUT_MS = 20_000;
const MAX_REDIRECTS = 5;
/** The guarded fetch is a late module (esbuild.mjs): loaded with the first page, not while VS Code activates Patchbay. */
const guardedFetch: typeof GuardedFetch.guardedFetch = (...args) => (require('../openapi/guardedFetch') as typeof GuardedFetch).guardedFetch(...args);

export function webServices(resolveHost?: HostResolver): WebServices {
  return {
    async fetchPage(url, options = {}): Promise<FetchedPage> {
      const response = await guardedFetch(url, {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(resolveHost ? { resolveHost } : {}),
        timeoutMs: PAGE_TIMEOUT_MS,
        maxBytes: MAX_PAGE_BYTES,
        maxRedirects: MAX_REDIRECTS,
        headers: { accept: options.accept ?? 'text/html, application/xhtml+xml, text/plain;q=0.9, */*;q=0.5', 'user-agent': 'Patchbay (VS Code chat)' },
      });
      const contentType = String(response.headers['content-type'] ?? '');
      return {
        url: response.url,
        status: response.status,
        statusText: response.statusText,
        contentType,
        text: decode(response.body, /charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1]),
        truncated: response.truncated,
      };
    },
  };
}

function decode(body: Uint8Array, charset: string | undefined): string {
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    // A charset TextDecoder does not know: UTF-8 reads most pages well enough.
    return new TextDecoder('utf-8').decode(body);
  }
}
