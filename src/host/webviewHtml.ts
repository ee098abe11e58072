/**
 * The chat webview's page: locked down by CSP, scripts allowed only by a per-load nonce. It
 * holds the message input from the start, so a user can type while the script loads; the
 * script builds the chat around that same input and keeps what was typed.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media', 'build')],
  };
}

export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(18).toString('base64');
  const build = vscode.Uri.joinPath(extensionUri, 'media', 'build');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(build, 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(build, 'webview.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    // data: only: a model's answer must not make the webview fetch a remote image.
    `img-src ${webview.cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Patchbay</title>
</head>
<body>
<div id="root"><div class="chat"><div class="transcript"></div><div class="composer"><textarea class="composer-input" aria-label="Message" rows="1"></textarea></div></div></div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
