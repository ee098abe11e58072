/**
 * The first minutes with Patchbay in a real VS Code, with no model server running: the chat
 * says where it looked for one (each local server's address and how to start it) and offers
 * the ways out — refresh, or open the config to add an endpoint.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Workbench } from './support/workbench';
import { openVsCode, screenshotFailure, type VsCodeSession } from './support/vsCodeSession';

describe('A first run with no model server', function () {
  let workspace: string;
  let session: VsCodeSession;
  let workbench: Workbench;

  before(async function () {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'patchbay-first-run-'));
    // Looking for local servers on their default ports is what a new user gets.
    session = await openVsCode(workspace, { settings: { 'patchbay.discoverLocalServers': true } });
    workbench = session.workbench;
  });

  after(async () => {
    await session?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  afterEach(async function () {
    await screenshotFailure(workbench, 'first-run-', this.currentTest);
  });

  it('says which local servers it looked for, where, and how to start each', async () => {
    await workbench.runCommand('Patchbay: Open Chat');
    const chat = await workbench.chat();
    const empty = chat.locator('section.models-empty');
    await empty.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await empty.locator('h2').innerText(), /No models found/);
    const rows = await empty.locator('.models-looked-for li').allInnerTexts();
    const ollama = rows.find((row) => row.includes('Ollama'));
    assert.ok(ollama, `Ollama is among the servers looked for: ${rows.join(' | ')}`);
    assert.match(ollama, /127\.0\.0\.1:11434/);
    assert.match(ollama, /ollama serve/);
    assert.ok(rows.some((row) => row.includes('LM Studio') && row.includes('127.0.0.1:1234')), rows.join(' | '));
    assert.match(await empty.locator('.models-empty-summary').innerText(), /none answered/);
    await chat.getByRole('button', { name: 'Refresh Models', exact: true }).last().click();
    await empty.getByText('Refresh Models', { exact: true }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.ok(await empty.isVisible(), 'the empty state stays through a refresh');
    await workbench.screenshot('first-run-no-models');
  });

  it('opens the config from the empty state, to add an endpoint', async () => {
    const chat = await workbench.chat();
    await chat.getByRole('button', { name: 'Open Config', exact: true }).click();
    const tab = workbench.page.locator('.tabs-container .tab', { hasText: 'config.yaml' });
    await tab.first().waitFor({ state: 'visible', timeout: 20_000 });
    assert.ok(await tab.count() >= 1);
  });
});
