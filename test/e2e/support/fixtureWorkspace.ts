/**
 * The folder an end-to-end suite opens: a temporary workspace with the files it needs, most
 * often a `.patchbay/config.yaml` that points a `fake` endpoint at the test's fake server.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FakeModelServer } from '../../support/fakeModelServer';

/** A new folder named `prefix…` in the temp folder, with each file written (paths relative to it). */
export function createWorkspace(prefix: string, files: Record<string, string>): string {
  const workspace = mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [relative, text] of Object.entries(files)) {
    const file = path.join(workspace, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return workspace;
}

/** config.yaml text declaring the fake server as endpoint `fake` ("Fake server"), then `more`. */
export function fakeServerConfig(fake: FakeModelServer, more = ''): string {
  return `providers:\n  - id: fake\n    label: Fake server\n    type: openai-compatible\n    baseUrl: ${fake.openAiBaseUrl}\n${more}`;
}

/** Closes what a suite started (in order: VS Code first, then its servers) and removes its folder. */
export async function tearDown(workspace: string | undefined, ...running: ({ close(): Promise<unknown> } | undefined)[]): Promise<void> {
  for (const item of running) await item?.close();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
}
