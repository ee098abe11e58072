/**
 * The test runner: a small extension installed beside Patchbay in the test profile. When the
 * end-to-end test asks for it (PATCHBAY_INTEGRATION_RESULT names a file), it runs the
 * extension-host suite once the window has started and writes what passed and failed there.
 */
import { writeFileSync } from 'node:fs';
import { runSuite } from '../index';

export function activate(): void {
  const resultFile = process.env['PATCHBAY_INTEGRATION_RESULT'];
  if (!resultFile) return;
  void runSuite().then(
    (result) => writeFileSync(resultFile, JSON.stringify(result)),
    (error: unknown) => writeFileSync(resultFile, JSON.stringify({ passed: [], failed: [{ title: 'the suite did not run', error: String(error) }] })),
  );
}

export function deactivate(): void {}
