/**
 * `POST /api/chat` sent with the core's fetch and read with the core's NDJSON parser, not the
 * `ollama` package's: the package skips a line it cannot parse with only a console warning
 * (part of the answer lost, the answer still "complete") and drops the response headers of
 * an error, so a 429's `Retry-After` could not be honoured.
 */

/** A non-2xx answer, shaped so the core's error mapping reads its status, headers and words. */
export class OllamaHttpError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    /** Ollama's own words (`{"error": "..."}`), or the body's text. */
    readonly error: string,
  ) {
    super(`${status}${error ? ` ${error}` : ''}`);
    this.name = 'OllamaHttpError';
  }
}

export async function postChat(fetchFn: typeof fetch, baseUrl: string, body: unknown, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
  const response = await fetchFn(new URL('api/chat', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`), {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/x-ndjson',
      ...headers,
    },
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw new OllamaHttpError(response.status, response.headers, await serverWords(response));
  return response;
}

async function serverWords(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // Not JSON: the text itself (an HTML page is recognised by the core).
  }
  return text.trim();
}
