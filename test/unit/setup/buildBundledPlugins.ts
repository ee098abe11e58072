/**
 * The bundled plugins are loaded from their built `dist/index.js`, exactly as the
 * extension loads them, so the unit tests build them first (well under a second).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export function mochaGlobalSetup(): void {
  const root = path.resolve(__dirname, '../../..');
  execFileSync(process.execPath, [path.join(root, 'esbuild.mjs'), '--plugins-only'], { cwd: root, stdio: 'inherit' });
}
