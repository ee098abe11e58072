/**
 * `npm run test:desktop`: the extension-host suite in desktop VS Code, the way VS Code's own
 * test convention runs it — `@vscode/test-electron` downloads a VS Code build, starts it with
 * Patchbay as the extension under development and runs the suite's `run()` inside its extension
 * host. It needs the internet (the download); where there is none, `npm test` runs the same
 * suite inside code-server (test/e2e/extensionHostSuite.e2e.ts).
 *
 *   npm run test:desktop            (PATCHBAY_DESKTOP_VSCODE=1.106.3 for another release than stable)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { bundleForExtensionHost } from './packageRunner';
import { suiteWorkspace } from './suiteFakeServer';

const root = path.resolve(__dirname, '../..');

async function main(): Promise<number> {
  execFileSync(process.execPath, [path.join(root, 'esbuild.mjs')], { cwd: root, stdio: 'inherit' });
  const suite = path.join(root, '.test-output', 'integration', 'index.js');
  bundleForExtensionHost(path.join(__dirname, 'index.ts'), suite);
  const { fake, api, files } = await suiteWorkspace();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'patchbay-desktop-'));
  const workspace = path.join(scratch, 'workspace');
  for (const [relative, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(workspace, relative)), { recursive: true });
    writeFileSync(path.join(workspace, relative), text);
  }
  try {
    return await runTests({
      ...(process.env['PATCHBAY_DESKTOP_VSCODE'] ? { version: process.env['PATCHBAY_DESKTOP_VSCODE'] } : {}),
      extensionDevelopmentPath: root,
      extensionTestsPath: suite,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', `--user-data-dir=${path.join(scratch, 'user-data')}`],
      extensionTestsEnv: { PATCHBAY_HOME: path.join(scratch, 'patchbay-home') },
    });
  } finally {
    await fake.close();
    await api.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`The desktop run did not complete: ${error instanceof Error ? error.message : String(error)}`);
    console.error('It downloads VS Code, which needs the internet; without it, `npm test` runs the same suite inside code-server.');
    process.exit(1);
  },
);
