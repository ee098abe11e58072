/**
 * The extension-host suite: API-level tests that run inside VS Code's extension host, next to
 * Patchbay, with the standard entry of VS Code's test convention (`run(): Promise<void>`,
 * as `@vscode/test-electron`'s `extensionTestsPath` expects). It runs here inside the real
 * code-server through a small runner extension (runner/extension.ts) and, where VS Code can be
 * downloaded, with `npm run test:desktop`.
 *
 * The suite files are bundled in: they are required after mocha has put `describe`/`it` on
 * the global object, as mocha itself does with files it loads.
 */
import Mocha from 'mocha';
import type { SuiteName } from './suiteNames';

export interface SuiteResult {
  passed: string[];
  /** Tests this VS Code cannot run (each says why in its title). */
  skipped?: string[];
  failed: { title: string; error: string }[];
}

/** Runs a suite (by default the one for a trusted workspace); resolves with what passed and failed. */
export function runSuite(name: SuiteName = 'trusted'): Promise<SuiteResult> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'patchbay-integration', mocha);
  if (name === 'untrusted') {
    require('./suite/untrustedWorkspace.test');
  } else {
    require('./suite/commands.test');
    require('./suite/languageModels.test');
    require('./suite/tools.test');
  }
  const result: SuiteResult = { passed: [], failed: [] };
  return new Promise((resolve) => {
    const runner = mocha.run(() => resolve(result));
    runner.on('pass', (test) => result.passed.push(test.fullTitle()));
    runner.on('pending', (test) => (result.skipped ??= []).push(test.fullTitle()));
    runner.on('fail', (test, error: Error) => result.failed.push({ title: test.fullTitle(), error: error.stack ?? error.message }));
  });
}

export async function run(): Promise<void> {
  const result = await runSuite();
  if (result.failed.length > 0) throw new Error(`${result.failed.length} extension-host tests failed:\n${result.failed.map((failure) => `${failure.title}: ${failure.error}`).join('\n')}`);
}
