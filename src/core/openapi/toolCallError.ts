/** How a tool call that ran and failed is told to the model, and how its address is shown. */

/** An HTTP failure the model is told about (the call ran; the API said no). */
export class ToolCallError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'ToolCallError';
  }
}

/** The URL as shown on approval cards and in messages: without query values that may be secret. */
export function displayUrl(url: URL): string {
  return `${url.origin}${url.pathname}${url.search ? `?${[...url.searchParams.keys()].map((key) => `${key}=…`).join('&')}` : ''}`;
}
