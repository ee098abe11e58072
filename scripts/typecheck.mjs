// Type-checks every TypeScript project of the repository with the TypeScript 7 compiler
// (the `typescript-7` alias: the native compiler, several times faster than 6). The plain
// `typescript` package is 6.x because typescript-eslint needs its JavaScript API, which 7
// no longer has. `node scripts/typecheck.mjs` exits non-zero when a project has errors;
// scripts/test.mjs counts each project as one check.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const tsc = path.join(root, 'node_modules', 'typescript-7', 'bin', 'tsc');
export const projects = ['tsconfig.json', 'src/webview/tsconfig.json', 'src/templates/tsconfig.json', 'test/e2e/tsconfig.json', 'test/bench/tsconfig.json', 'test/integration/tsconfig.json'];

export function typecheck(project) {
  return spawnSync(process.execPath, [tsc, '-p', project], { cwd: root, stdio: 'inherit' }).status === 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const failed = projects.filter((project) => !typecheck(project));
  process.exit(failed.length === 0 ? 0 : 1);
}
