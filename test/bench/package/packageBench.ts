/** The size of what users download: the .vsix, and the extension-host bundle inside it. Target: .vsix < 2 MB. */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { report } from '../benchResult';

const root = path.resolve(__dirname, '../../..');
const vsix = process.env['PATCHBAY_VSIX'] ?? execFileSync(process.execPath, [path.join(root, 'scripts', 'package.mjs')], { cwd: root, encoding: 'utf8' }).trim().split('\n').at(-1)!;
const kb = (file: string) => Math.round(statSync(file).size / 1024);
const vsixKb = kb(vsix);
report([
  { metric: '.vsix size', ours: vsixKb, unit: 'KB', target: '< 2048 KB', pass: vsixKb < 2048 },
  {
    metric: 'extension-host bundle (loaded at activation)',
    ours: kb(path.join(root, 'dist', 'extension.js')),
    unit: 'KB',
    target: '(information)',
    pass: true,
    notes: [
      `loaded when first needed: yaml ${kb(path.join(root, 'dist', 'vendor-yaml.js'))} KB, ajv ${kb(path.join(root, 'dist', 'vendor-ajv.js'))} KB`,
      `webview ${kb(path.join(root, 'media', 'build', 'webview.js'))} KB + highlighter ${kb(path.join(root, 'media', 'build', 'highlight.js'))} KB (after the first paint)`,
      `plugins: openai-compatible ${kb(path.join(root, 'plugins', 'openai-compatible', 'dist', 'index.js'))} KB, ollama ${kb(path.join(root, 'plugins', 'ollama', 'dist', 'index.js'))} KB (all minified)`,
    ].join('; '),
  },
]);
