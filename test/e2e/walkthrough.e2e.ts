/**
 * Patchbay's walkthrough (Welcome: Open Walkthrough… → Get Started with Patchbay) in a real
 * VS Code: its steps are there, and each completes when the user has done it — a model listed,
 * a model chosen, the workspace config opened — while the others stay open.
 */
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { FakeModelServer } from '../support/fakeModelServer';
import { createWorkspace, fakeServerConfig, tearDown } from './support/fixtureWorkspace';
import type { Workbench } from './support/workbench';
import { openVsCode, screenshotFailure, type VsCodeSession } from './support/vsCodeSession';

const STEPS = ['Find a local model server', 'Pick a model', 'Ask about the selection', 'Add a tool plugin from a template', 'Open the workspace config'];

describe("Patchbay's walkthrough", function () {
  let fake: FakeModelServer;
  let workspace: string;
  let session: VsCodeSession;
  let workbench: Workbench;

  before(async function () {
    fake = await FakeModelServer.start();
    workspace = createWorkspace('patchbay-walkthrough-', { '.patchbay/config.yaml': fakeServerConfig(fake) });
    session = await openVsCode(workspace);
    workbench = session.workbench;
  });

  after(async () => {
    await session?.close();
    await tearDown(workspace, fake);
  });

  afterEach(async function () {
    await screenshotFailure(workbench, 'walkthrough-', this.currentTest);
  });

  /** The check mark of a step, found by its id. */
  const doneMark = (step: string): Locator => workbench.page.locator(`[data-done-step-id$="#${step}"]`).first();
  const waitDone = async (step: string) => {
    await workbench.page.waitForFunction((id) => document.querySelector(`[data-done-step-id$="#${id}"]`)?.getAttribute('aria-checked') === 'true', step, { timeout: 30_000 });
  };

  it('lists its five steps', async () => {
    await openPatchbayWalkthrough(workbench);
    const page = workbench.page.locator('.gettingStartedContainer');
    for (const title of STEPS) assert.ok(await page.getByText(title, { exact: true }).count() > 0, `the step "${title}"`);
  });

  it('completes "Find a local model server" and "Pick a model" once a model is listed and chosen', async () => {
    // As a new user does: the first step's Open Chat button.
    await workbench.page.locator('.gettingStartedContainer').getByRole('button', { name: 'Open Chat', exact: true }).first().click();
    await workbench.chat();
    await waitDone('findServer');
    await waitDone('pickModel');
    assert.equal(await doneMark('askSelection').getAttribute('aria-checked'), 'false', 'a step the user has not done stays open');
  });

  it('completes "Open the workspace config" when the user opens it', async () => {
    assert.equal(await doneMark('workspaceConfig').getAttribute('aria-checked'), 'false');
    await workbench.runCommand('Patchbay: Open Workspace Config');
    await workbench.page.locator('.tabs-container .tab', { hasText: 'config.yaml' }).first().waitFor({ timeout: 20_000 });
    await openPatchbayWalkthrough(workbench);
    await waitDone('workspaceConfig');
    await workbench.screenshot('walkthrough');
  });

});


async function openPatchbayWalkthrough(workbench: Workbench): Promise<void> {
  await workbench.runCommand('Welcome: Open Walkthrough...');
  await workbench.quickInput.fill('Patchbay');
  await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get Started with Patchbay' }).first().waitFor({ timeout: 15_000 });
  await workbench.page.keyboard.press('Enter');
  await workbench.page.locator('.gettingStartedContainer').getByText('Get Started with Patchbay').first().waitFor({ timeout: 20_000 });
}
