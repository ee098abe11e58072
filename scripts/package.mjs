// Builds minified bundles and packages them as a .vsix with @vscode/vsce.
// Prints the path and size; the path is also the last line, for scripts.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { name, version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = path.join(root, `${name}-${version}.vsix`);
const run = (args) => execFileSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });

run([path.join(root, 'esbuild.mjs'), '--production']);
run([
  path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'),
  'package',
  '--no-dependencies',
  '--skip-license',
  '--allow-missing-repository',
  // The README's pictures ship in the .vsix (media/readme), so its relative links work where VS Code shows it.
  '--no-rewrite-relative-links',
  '--out',
  out,
]);
const size = statSync(out).size;
console.log(`packaged ${path.basename(out)}: ${(size / 1024).toFixed(0)} KB (target: under 2048 KB)`);
console.log(out);
