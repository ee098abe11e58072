/**
 * The chat webview's page, as text: locked down by CSP, scripts allowed only by a per-load
 * nonce. It holds the message input from the start, so a user can type while the script
 * loads; the script builds the chat around that same input and keeps what was typed.
 * Plain text in, text out (no VS Code API), so the render benchmark serves the same page.
 */
export interface ChatPageParts {
  /** Where styles, fonts and images may come from (the webview's `cspSource`). */
  resourceOrigin: string;
  nonce: string;
  styleUri: string;
  /** Loaded in this order, each with the nonce; the chat's bundle is the last. */
  scriptUris: readonly string[];
}

export function chatPageHtml({ resourceOrigin, nonce, styleUri, scriptUris }: ChatPageParts): string {
  const csp = [
    "default-src 'none'",
    `style-src ${resourceOrigin}`,
    `font-src ${resourceOrigin}`,
    // data: only: a model's answer must not make the webview fetch a remote image.
    `img-src ${resourceOrigin} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const scripts = scriptUris.map((uri) => `<script defer nonce="${nonce}" src="${uri}"></script>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${styleUri}">
<title>Patchbay</title>
</head>
<body>
<div id="root"><div class="chat"><div class="transcript"></div><div class="composer"><textarea class="composer-input" aria-label="Message" rows="1"></textarea></div></div></div>
${scripts}
</body>
</html>`;
}
