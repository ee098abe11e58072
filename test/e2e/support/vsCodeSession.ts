/**
 * One real VS Code for a test suite: a fresh profile with the packaged extension, code-server
 * serving it, Chromium showing a workspace folder — and everything stopped and removed again.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { createProfile, startCodeServer, type Profile, type RunningCodeServer } from './codeServer';
import { launchBrowser, Workbench } from './workbench';

export interface VsCodeSession {
  workbench: Workbench;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** Whether the workspace is trusted (default: trust is switched off, so it is). */
  trusted?: boolean;
  /** User settings besides the ones every test wants. */
  settings?: Record<string, unknown>;
  /** Files (name → source) put in the profile's global plugins folder before VS Code starts; a name may hold folders. */
  globalPlugins?: Record<string, string | Buffer>;
}

export function packagedExtension(): string {
  const vsix = process.env['PATCHBAY_VSIX'];
  if (!vsix) throw new Error('PATCHBAY_VSIX must name the packaged extension (npm test sets it)');
  return vsix;
}

export async function openVsCode(workspace: string, options: SessionOptions = {}, browser?: Browser): Promise<VsCodeSession> {
  // No probing of real default ports: a test must not depend on what else runs here.
  const profile: Profile = createProfile(packagedExtension(), { 'patchbay.discoverLocalServers': false, ...options.settings });
  let server: RunningCodeServer | undefined;
  let ownBrowser: Browser | undefined;
  try {
    writeGlobalPlugins(profile, options.globalPlugins ?? {});
    server = await startCodeServer(profile, { trustWorkspaces: options.trusted ?? true });
    const shown = browser ?? (ownBrowser = await launchBrowser());
    const workbench = await Workbench.open(shown, server.url, workspace);
    const running = server;
    return {
      workbench,
      close: async () => {
        await workbench.close().catch(() => undefined);
        await ownBrowser?.close().catch(() => undefined);
        await running.stop();
        rmSync(profile.root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await ownBrowser?.close().catch(() => undefined);
    await server?.stop();
    rmSync(profile.root, { recursive: true, force: true });
    throw error;
  }
}

function writeGlobalPlugins(profile: Profile, files: Record<string, string | Buffer>): void {
  const folder = path.join(profile.patchbayHome, 'plugins');
  mkdirSync(folder, { recursive: true });
  for (const [name, source] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    writeFileSync(path.join(folder, name), source);
  }
}

/** Saves a screenshot of a failed test, named after it. */
export async function screenshotFailure(workbench: Workbench | undefined, prefix: string, test: Mocha.Test | undefined): Promise<void> {
  if (test?.state !== 'failed' || !workbench) return;
  await workbench.screenshot(`failed-${prefix}${test.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 50)}`).catch(() => undefined);
}
