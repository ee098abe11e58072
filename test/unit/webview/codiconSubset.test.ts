import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { CHAT_CODICONS } from '../../../src/webview/codicons';

const root = path.resolve(__dirname, '../../..');
const codiconCss = path.join(root, 'node_modules/@vscode/codicons/dist/codicon.css');

interface CodiconSubsetModule {
  codiconSubset(css: string, icons: readonly string[]): string;
  chatCodicons(file?: string): Promise<string[]>;
  onlyChatCodicons: esbuild.Plugin;
}
const subsetModule = () => import(path.join(root, 'scripts/codiconSubset.mjs')) as Promise<CodiconSubsetModule>;

const iconRules = (css: string) => [...css.matchAll(/\.codicon-([a-z0-9-]+):before\s*\{/g)].map((match) => match[1]).sort();

describe('the chat\'s stylesheet carries only the codicons it shows (issue 17 §2: it is written into the page)', () => {
  it('the build reads the same list the webview\'s code is typed by', async () => {
    const { chatCodicons } = await subsetModule();
    assert.deepEqual(await chatCodicons(path.join(root, 'src/webview/codicons.ts')), [...CHAT_CODICONS]);
  });

  it('every icon the chat names exists in the codicon font', async () => {
    const all = new Set(iconRules(await readFile(codiconCss, 'utf8')));
    for (const icon of CHAT_CODICONS) assert.ok(all.has(icon), `codicon "${icon}" does not exist`);
  });

  it('the built stylesheet keeps the font face and those icons\' rules, and none of the ~650 others', async () => {
    const { onlyChatCodicons } = await subsetModule();
    const result = await esbuild.build({
      entryPoints: [path.join(root, 'src/webview/main.ts')], bundle: true, write: false, outdir: path.join(root, 'out/codicon-test'),
      platform: 'browser', format: 'iife', loader: { '.ttf': 'file' }, logLevel: 'silent', plugins: [onlyChatCodicons],
    });
    const css = result.outputFiles.find((file) => file.path.endsWith('.css'))?.text ?? '';
    assert.match(css, /@font-face\s*\{\s*font-family: "codicon"/);
    assert.deepEqual(iconRules(css), [...CHAT_CODICONS].sort());
  });
});
