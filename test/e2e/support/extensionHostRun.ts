/**
 * Runs an extension-host suite (test/integration) in the real code-server: the runner extension
 * is installed beside Patchbay in a fresh profile, VS Code opens the workspace, the runner runs
 * the suite once the window is up and writes what passed and failed to a file read here.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { SuiteResult } from '../../integration/index';
import { SUITE_VARIABLE, type SuiteName } from '../../integration/suiteNames';
import { createProfile, installExtension, oldestRelease, startCodeServer, type Profile, type RunningCodeServer, type VsCodeRelease } from './codeServer';
import { createWorkspace } from './fixtureWorkspace';
import { packagedExtension } from './vsCodeSession';
import { launchBrowser, Workbench } from './workbench';

export interface SuiteRun {
  /** The runner extension's .vsix (test/integration/packageRunner.ts). */
  runnerVsix: string;
  suite: SuiteName;
  /** The workspace's files, by path relative to it. */
  files: Record<string, string>;
  release?: VsCodeRelease;
  /** User settings beside `patchbay.discoverLocalServers: false`. */
  settings?: Record<string, unknown>;
  /** Open the workspace in Restricted Mode instead of trusting it. */
  untrusted?: boolean;
  /** Called before VS Code starts, to put files into the profile (global plugins…). */
  prepareProfile?(profile: Profile): void;
}

/** Runs the suite in a fresh profile and workspace; logs and returns its result. */
export async function runExtensionHostSuite(run: SuiteRun): Promise<SuiteResult> {
  const workspace = createWorkspace('patchbay-integration-workspace-', run.files);
  const profile = createProfile(packagedExtension(), { 'patchbay.discoverLocalServers': false, ...run.settings }, run.release ?? oldestRelease);
  const resultFile = path.join(profile.root, 'integration-result.json');
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let workbench: Workbench | undefined;
  try {
    run.prepareProfile?.(profile);
    installExtension(profile, run.runnerVsix);
    server = await startCodeServer(profile, { trustWorkspaces: !run.untrusted, env: { PATCHBAY_INTEGRATION_RESULT: resultFile, [SUITE_VARIABLE]: run.suite } });
    browser = await launchBrowser();
    workbench = await Workbench.open(browser, server.url, workspace);
    if (run.untrusted) await workbench.page.locator('.statusbar').getByText('Restricted Mode').first().waitFor({ timeout: 30_000 });
    return await writtenResult(resultFile);
  } finally {
    await workbench?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    rmSync(profile.root, { recursive: true, force: true });
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** The result the runner extension writes once the suite has run; logged as mocha would. */
async function writtenResult(resultFile: string): Promise<SuiteResult> {
  const deadline = Date.now() + 150_000;
  while (!existsSync(resultFile) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
  assert.ok(existsSync(resultFile), 'the suite wrote no result within 150 s');
  const result = JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteResult;
  for (const title of result.passed) console.log(`      ✔ ${title}`);
  for (const title of result.skipped ?? []) console.log(`      - ${title} (not run in this VS Code)`);
  for (const failure of result.failed) console.log(`      ✗ ${failure.title}\n${failure.error}`);
  return result;
}
