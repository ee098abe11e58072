/**
 * The codicon stylesheet with only the icons the chat uses (src/webview/codicons.ts): its
 * font face, base rule and modifiers stay, every other icon's `:before` rule goes.
 */
import { readFile } from 'node:fs/promises';

const ICON_RULE = /^\.codicon-([a-z0-9-]+):before \{ content: "[^"]*" \}\r?$/;

export function codiconSubset(css, icons) {
  const kept = new Set(icons);
  return css.split('\n').filter((line) => {
    const icon = ICON_RULE.exec(line)?.[1];
    return icon === undefined || kept.has(icon);
  }).join('\n');
}

/** The names listed in src/webview/codicons.ts (read as text: the build runs before any TypeScript is compiled). */
export async function chatCodicons(file = 'src/webview/codicons.ts') {
  const list = /CHAT_CODICONS = \[([^\]]*)\]/.exec(await readFile(file, 'utf8'))?.[1];
  if (list === undefined) throw new Error(`${file} has no CHAT_CODICONS list`);
  return [...list.matchAll(/'([a-z0-9-]+)'/g)].map((match) => match[1]);
}

/** An esbuild plugin: the codicon stylesheet, cut to the chat's icons. */
export const onlyChatCodicons = {
  name: 'only-chat-codicons',
  setup(build) {
    build.onLoad({ filter: /[\\/]@vscode[\\/]codicons[\\/]dist[\\/]codicon\.css$/ }, async (args) => ({
      contents: codiconSubset(await readFile(args.path, 'utf8'), await chatCodicons()),
      loader: 'css',
    }));
  },
};
