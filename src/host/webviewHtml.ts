/** The chat webview's options and page (see chatPageHtml.ts), with its resources' webview URIs. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { chatPageHtml } from './chatPageHtml';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media', 'build')],
  };
}

export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const build = vscode.Uri.joinPath(extensionUri, 'media', 'build');
  return chatPageHtml({
    resourceOrigin: webview.cspSource,
    nonce: randomBytes(18).toString('base64'),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(build, 'webview.css')).toString(),
    scriptUris: [webview.asWebviewUri(vscode.Uri.joinPath(build, 'webview.js')).toString()],
  });
}
