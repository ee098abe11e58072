// Runs every test: type checks, unit tests (plain Node) and end-to-end tests in a real
// VS Code (code-server in Chromium). Sets up what the machine lacks first. The last line of
// the output is "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { projects, typecheck } from './typecheck.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outputDir = path.join(root, '.test-output');
const onlyUnit = process.argv.includes('--unit');
let passed = 0;
let failed = 0;

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function check(name, ok) {
  console.log(`${ok ? '✔' : '✘'} ${name}`);
  if (ok) passed++;
  else failed++;
  return ok;
}

function mocha(suite, env = {}) {
  const resultsFile = path.join(outputDir, `${suite}-results.json`);
  rmSync(resultsFile, { force: true });
  const ok = run(process.execPath, [path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--config', `test/${suite}/.mocharc.cjs`], {
    PATCHBAY_MOCHA_REPORTER: path.join(root, 'test', 'support', 'countingReporter.cjs'),
    PATCHBAY_RESULTS_FILE: resultsFile,
    ...env,
  });
  if (!existsSync(resultsFile)) {
    // Mocha itself failed (a test file that does not load): count the suite as one failure.
    check(`${suite} tests ran`, false);
    return;
  }
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed += results.passes;
  failed += results.failures;
  if (!ok && results.failures === 0) check(`${suite} tests exited cleanly`, false);
}

mkdirSync(outputDir, { recursive: true });

if (!onlyUnit) {
  if (!check('test machine set up (Chromium, ripgrep, code-server)', run('bash', [path.join(root, 'scripts', 'setup-test-machine.sh')]))) {
    console.log('end-to-end tests need the setup above; running the rest');
  }
}
for (const project of projects) check(`type check ${project}`, typecheck(project));
check('lint (eslint)', run(process.execPath, [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--config', 'scripts/eslint.config.mjs', '--max-warnings', '0']));
mocha('unit');
if (!onlyUnit) {
  const vsix = spawnSync(process.execPath, [path.join(root, 'scripts', 'package.mjs')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(vsix.stdout ?? '');
  const vsixPath = (vsix.stdout ?? '').trim().split('\n').at(-1) ?? '';
  if (check('package the .vsix', vsix.status === 0 && existsSync(vsixPath))) {
    mocha('e2e', { PATCHBAY_VSIX: vsixPath });
  }
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
