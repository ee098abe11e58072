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
  /**
   * The stylesheet's text (see `stylesheetForInlining`), given in the page under the nonce
   * instead of linked: a linked stylesheet keeps the input from taking keys until the webview
   * has fetched it, about a second in a new webview (issue 17 §2).
   */
  styleText?: string;
  /**
   * The chat's first script (start.js, see `scriptForInlining`), run in the page under the
   * nonce right after the input, and the chat's bundle it adds once the page has loaded. VS
   * Code shows the webview at the page's `load`: a script file would hold that back by its
   * fetch, ~25–60 ms in code-server (issue 17 §2).
   */
  startScript?: { text: string; chatBundleUri: string };
  /** Loaded in this order, each with the nonce, before the page's `load`. */
  scriptUris: readonly string[];
}

function attributeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function chatPageHtml({ resourceOrigin, nonce, styleUri, styleText, startScript, scriptUris }: ChatPageParts): string {
  const csp = [
    "default-src 'none'",
    styleText === undefined ? `style-src ${resourceOrigin}` : `style-src ${resourceOrigin} 'nonce-${nonce}'`,
    `font-src ${resourceOrigin}`,
    // data: only: a model's answer must not make the webview fetch a remote image.
    `img-src ${resourceOrigin} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const scripts = [
    ...(startScript === undefined ? [] : [`<script nonce="${nonce}" data-chat-bundle="${attributeText(startScript.chatBundleUri)}">${startScript.text}</script>`]),
    ...scriptUris.map((uri) => `<script defer nonce="${nonce}" src="${uri}"></script>`),
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styleText === undefined ? `<link rel="stylesheet" href="${styleUri}">` : `<style nonce="${nonce}">${styleText}</style>`}
<title>Patchbay</title>
</head>
<body>
<div id="root"><div class="chat"><div class="transcript"></div><div class="composer"><textarea class="composer-input" aria-label="Message" rows="1"></textarea></div></div></div>
${scripts}
</body>
</html>`;
}

/**
 * The built stylesheet made fit to sit inside the page: its own files (`url("./codicon.ttf")`)
 * pointed at where the webview serves them. Undefined when its text could end the style
 * element (then the page links it).
 */
export function stylesheetForInlining(css: string, resourceUri: (file: string) => string): string | undefined {
  if (/<\/style/i.test(css)) return undefined;
  return css.replace(/url\("\.\/([^"?#]+)([^"]*)"\)/g, (_match, file: string, suffix: string) => `url("${resourceUri(file)}${suffix}")`);
}

/**
 * A built script made fit to sit inside the page: undefined when its text could end the
 * script element or start an HTML comment in it (then the page loads it as a file).
 */
export function scriptForInlining(script: string): string | undefined {
  return /<\/script|<!--/i.test(script) ? undefined : script;
}
