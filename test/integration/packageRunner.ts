/**
 * Builds the runner extension (runner/) with the extension-host suite bundled in, and packages
 * it with vsce into a temp folder, to install beside Patchbay in a test profile.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';

const here = __dirname;
const repoRoot = path.resolve(here, '../..');

/** Bundles a file of the suite (mocha included) to run in VS Code's extension host. */
export function bundleForExtensionHost(entry: string, outfile: string): void {
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
    // Mocha's parallel mode resolves files of its own; the suite runs serially and never loads them.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
}

export function packageRunner(): { vsix: string; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'patchbay-integration-runner-'));
  try {
    copyFileSync(path.join(here, 'runner', 'package.json'), path.join(dir, 'package.json'));
    writeFileSync(path.join(dir, 'README.md'), '# Patchbay Integration Runner\n\nTest-only: runs the extension-host suite.\n');
    bundleForExtensionHost(path.join(here, 'runner', 'extension.ts'), path.join(dir, 'dist', 'runner.js'));
    const vsix = path.join(dir, 'patchbay-integration-runner.vsix');
    execFileSync(
      process.execPath,
      [path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', vsix],
      { cwd: dir, stdio: 'pipe' },
    );
    return { vsix, dir };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
