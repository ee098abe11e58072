/**
 * The test runner: a small extension installed beside Patchbay in the test profile. When the
 * end-to-end test asks for it (PATCHBAY_INTEGRATION_RESULT names a file), it runs an
 * extension-host suite (the one PATCHBAY_INTEGRATION_SUITE names) once the window has started
 * and writes what passed and failed there;
 * when the language-model benchmark asks (PATCHBAY_INTEGRATION_BENCH), it measures instead.
 */
import { writeFileSync } from 'node:fs';
import { runSuite } from '../index';
import { benchLanguageModel } from '../lmBench';
import { SUITE_VARIABLE } from '../suiteNames';

export function activate(): void {
  const benchFile = process.env['PATCHBAY_INTEGRATION_BENCH'];
  if (benchFile) {
    const [runs, tokens] = (process.env['PATCHBAY_INTEGRATION_BENCH_SIZE'] ?? '5,50000').split(',').map(Number);
    void benchLanguageModel(runs ?? 5, tokens ?? 50_000).then(
      (result) => writeFileSync(benchFile, JSON.stringify(result)),
      (error: unknown) => writeFileSync(benchFile, JSON.stringify({ error: String(error) })),
    );
    return;
  }
  const resultFile = process.env['PATCHBAY_INTEGRATION_RESULT'];
  if (!resultFile) return;
  void runSuite(process.env[SUITE_VARIABLE] === 'untrusted' ? 'untrusted' : 'trusted').then(
    (result) => writeFileSync(resultFile, JSON.stringify(result)),
    (error: unknown) => writeFileSync(resultFile, JSON.stringify({ passed: [], failed: [{ title: 'the suite did not run', error: String(error) }] })),
  );
}

export function deactivate(): void {}
