/**
 * Our .vsix: `--vsix <path>` or PATCHBAY_VSIX reuse one (as the e2e tests do); otherwise
 * it is built now with scripts/package.mjs, whose last stdout line is the path.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../e2e/support/codeServer';

export function ourVsix(argv: readonly string[]): string {
  const flag = argv.indexOf('--vsix');
  if (flag !== -1) {
    const given = argv[flag + 1];
    if (given === undefined) throw new Error('--vsix needs a path');
    return path.resolve(given);
  }
  const fromEnv = process.env['PATCHBAY_VSIX'];
  if (fromEnv) return path.resolve(fromEnv);
  const output = execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'package.mjs')], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const last = output.trim().split('\n').at(-1);
  if (!last) throw new Error('scripts/package.mjs printed no path');
  return last;
}
