/**
 * One timed "Open Chat": from the click on the command's row in the palette until the
 * view's `textarea[aria-label="Message"]` exists and takes a key (a typed character shows up
 * in its value). The window is fresh, so this includes the extension's activation, the
 * view's resolution and its webview loading.
 */
import type { Frame, Page } from 'playwright-core';
import type { Workbench } from '../../e2e/support/workbench';

const INPUT = 'textarea[aria-label="Message"]';
const PROBE_KEY = 'q';
/** Short, so the end is seen within a few ms of happening; each look is one CDP round trip per frame. */
const POLL_MS = 5;

/**
 * The palette step itself (F1, typing, waiting for the row) is the shared helper's and is
 * not the extension's cost, so the clock starts at the click on the row: a capture listener
 * in the workbench page notes when the pointer goes down inside the quick input.
 */
async function armClickClock(page: Page): Promise<void> {
  await page.evaluate(() => {
    const state = window as unknown as { benchClickAt?: number };
    delete state.benchClickAt;
    window.addEventListener(
      'mousedown',
      (event) => {
        if (event.target instanceof Element && event.target.closest('.quick-input-widget')) state.benchClickAt = Date.now();
      },
      { capture: true },
    );
  });
}

async function clickTime(page: Page): Promise<number> {
  const at = await page.evaluate(() => (window as unknown as { benchClickAt?: number }).benchClickAt);
  if (at === undefined) throw new Error('the palette click was not seen');
  return at;
}

/** True once the input in this frame took the probe key. */
async function inputTakesKey(frame: Frame): Promise<boolean> {
  const input = await frame.$(INPUT);
  if (input === null) return false;
  const before = await input.inputValue();
  await input.press(PROBE_KEY, { timeout: 1_000 });
  const after = await input.inputValue();
  return after.length > before.length && after.endsWith(PROBE_KEY);
}

async function waitUntilInputTakesKey(page: Page, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      try {
        if (await inputTakesKey(frame)) return;
      } catch {
        // The frame was replaced or the input was not ready for keys yet; look again.
      }
    }
    await page.waitForTimeout(POLL_MS);
  }
  throw new Error(`no chat input took a key within ${timeoutMs / 1000} s`);
}

/** Milliseconds from clicking `commandTitle` in the palette until the chat takes input. */
export async function timeOpenChat(workbench: Workbench, commandTitle: string): Promise<number> {
  await armClickClock(workbench.page);
  await workbench.runCommand(commandTitle);
  await waitUntilInputTakesKey(workbench.page, 60_000);
  const end = Date.now();
  // Both clocks are the machine's wall clock (ms), read by the browser and by us.
  return end - (await clickTime(workbench.page));
}
