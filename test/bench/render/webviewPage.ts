/**
 * One benchmark page: the webview booted in Chromium, waiting for the host's first message.
 * The probe's functions are called through `window.patchbayBench` from short arrow functions
 * only: tsx would wrap named inner functions in a helper that does not exist in the page.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { HostToWebview } from '../../../src/protocol/messages';
import './probeApi';

export class WebviewPage {
  private constructor(readonly page: Page) {}

  /** Loads the page and waits until the webview has said `ready` and its first frame is done. */
  static async open(context: BrowserContext, url: string): Promise<WebviewPage> {
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`webview error: ${error.message}`));
    await page.goto(url);
    await page.waitForFunction(() => window.patchbayBench.posted.some((message) => (message as { type?: unknown }).type === 'ready'));
    const view = new WebviewPage(page);
    await view.settle();
    return view;
  }

  /** Moves messages into the page ahead of a timed run. */
  async stage(messages: readonly HostToWebview[]): Promise<void> {
    await this.page.evaluate((staged) => window.patchbayBench.stage(staged), [...messages]);
  }

  /** Posts messages and waits until they are rendered (untimed setup). */
  async post(...messages: HostToWebview[]): Promise<void> {
    await this.stage(messages);
    await this.page.evaluate(() => window.patchbayBench.postStaged());
  }

  async settle(): Promise<void> {
    await this.page.evaluate(() => window.patchbayBench.settle());
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}
