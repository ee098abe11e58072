/** The chat webview's options and page (see chatPageHtml.ts), with its resources' webview URIs. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { chatPageHtml, scriptForInlining, stylesheetForInlining, type ChatPageParts } from './chatPageHtml';

/** The built stylesheet's text, read once (~56 KB); undefined when it cannot be read, and the page links it. */
let stylesheet: string | undefined;
function stylesheetText(build: vscode.Uri): string | undefined {
  try {
    stylesheet ??= readFileSync(vscode.Uri.joinPath(build, 'webview.css').fsPath, 'utf8');
  } catch {
    return undefined;
  }
  return stylesheet;
}

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
    ...inlineStyle(webview, build),
    ...firstScript(webview, build),
  });
}

/** The built first script's text (~1 KB), read once; undefined when it cannot be read, and the page loads it as a file. */
let startScript: string | undefined;

/**
 * Only the small first script (start.js), in the page itself so the page loads without a
 * fetch; it adds webview.js, the chat, once the page has loaded (issue 17 §2).
 */
function firstScript(webview: vscode.Webview, build: vscode.Uri): Pick<ChatPageParts, 'startScript' | 'scriptUris'> {
  try {
    startScript ??= readFileSync(vscode.Uri.joinPath(build, 'start.js').fsPath, 'utf8');
  } catch {
    startScript = undefined;
  }
  const text = startScript === undefined ? undefined : scriptForInlining(startScript);
  if (text === undefined) return { scriptUris: [webview.asWebviewUri(vscode.Uri.joinPath(build, 'start.js')).toString()] };
  return { startScript: { text, chatBundleUri: webview.asWebviewUri(vscode.Uri.joinPath(build, 'webview.js')).toString() }, scriptUris: [] };
}

/** The stylesheet in the page itself, so the input takes keys before the webview has fetched anything. */
function inlineStyle(webview: vscode.Webview, build: vscode.Uri): { styleText?: string } {
  const css = stylesheetText(build);
  const styleText = css === undefined ? undefined : stylesheetForInlining(css, (file) => webview.asWebviewUri(vscode.Uri.joinPath(build, file)).toString());
  return styleText === undefined ? {} : { styleText };
}
