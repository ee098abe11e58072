/**
 * Drives VS Code in Debian's Chromium the way a person does: the command palette, clicks,
 * typing. The chat lives in nested webview iframes; `chat()` finds the frame that holds it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { repoRoot } from './codeServer';

export const screenshotDir = path.join(repoRoot, '.test-output', 'e2e');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['PATCHBAY_CHROMIUM'] ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class Workbench {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  static async open(browser: Browser, serverUrl: string, folder: string): Promise<Workbench> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: serverUrl });
    const page = await context.newPage();
    const workbench = new Workbench(context, page);
    await page.goto(`${serverUrl}/?folder=${encodeURIComponent(folder)}`);
    await workbench.waitForWorkbench();
    return workbench;
  }

  async waitForWorkbench(): Promise<void> {
    await this.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    // The status bar appears once the workbench has restored its parts.
    await this.page.waitForSelector('.statusbar', { timeout: 60_000 });
  }

  /** Runs a command by its exact title from the command palette (F1). */
  async runCommand(title: string): Promise<void> {
    await this.pickFromQuickInput('F1', `>${title}`, title);
  }

  /** Opens a workspace file with Go to File (Ctrl+P). */
  async openFile(name: string): Promise<void> {
    await this.pickFromQuickInput('ControlOrMeta+P', name, name);
  }

  get quickInput() {
    return this.page.locator('.quick-input-widget input.input');
  }

  /**
   * Commands of an extension reach the palette a moment after the workbench appears, so a
   * palette that does not list the command yet is closed and opened again.
   */
  private async pickFromQuickInput(key: string, query: string, label: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      await this.page.keyboard.press(key);
      await this.quickInput.waitFor({ state: 'visible', timeout: 15_000 });
      await this.quickInput.fill(query);
      const row = this.page.locator('.quick-input-list .monaco-list-row').filter({
        has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }),
      });
      try {
        await row.first().waitFor({ state: 'visible', timeout: 3_000 });
        await row.first().click();
        return;
      } catch (error) {
        await this.page.keyboard.press('Escape');
        if (Date.now() > deadline) throw error;
        await this.page.waitForTimeout(500);
      }
    }
  }

  /** The frame of the chat webview, once its input is there. */
  async chat(timeoutMs = 30_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const frame of this.page.frames()) {
        try {
          if ((await frame.$('textarea[aria-label="Message"]')) !== null) return frame;
        } catch {
          // The frame went away while we looked; try the others.
        }
      }
      await this.page.waitForTimeout(250);
    }
    throw new Error('the chat webview did not appear');
  }

  /** Waits for a VS Code dialog whose text contains `text`, and presses one of its buttons. */
  async answerDialog(text: string, button: string, timeoutMs = 30_000): Promise<void> {
    const dialog = this.page.locator('.monaco-dialog-box', { hasText: text });
    await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
    await dialog.getByRole('button', { name: button, exact: true }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** The text of VS Code's About dialog (Help: About), which names the release it runs. */
  async aboutText(): Promise<string> {
    await this.runCommand('Help: About');
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    const text = await dialog.innerText();
    await this.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    return text;
  }

  /** The rows of a tree view, as the text a person reads on each. */
  async treeRows(viewTitle: string): Promise<string[]> {
    const pane = this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: viewTitle }) });
    return pane.locator('.monaco-list-row').evaluateAll((rows) => rows.map((row) => (row.textContent ?? '').replace(/\s+/g, ' ').trim()));
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitForWorkbench();
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(screenshotDir, { recursive: true });
    const file = path.join(screenshotDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
