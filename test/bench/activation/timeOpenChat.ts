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

/**
 * In the webview's outer frame (VS Code's index.html, which marks when it wrote the page into
 * the inner frame): milliseconds from that write until now, undefined when not found. The part
 * of the time that is the page's own (its parsing, its scripts, VS Code showing the frame).
 */
async function msSincePageWritten(inner: Frame): Promise<number | undefined> {
  const outer = inner.parentFrame();
  if (outer === null) return undefined;
  return outer.evaluate(() => {
    const written = performance.getEntriesByName('webview/index.html/content/wroteInnerContent').at(-1);
    return written === undefined ? undefined : Math.round(performance.now() - written.startTime);
  });
}

async function waitUntilInputTakesKey(page: Page, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      try {
        if (await inputTakesKey(frame)) return frame;
      } catch {
        // The frame was replaced or the input was not ready for keys yet; look again.
      }
    }
    await page.waitForTimeout(POLL_MS);
  }
  throw new Error(`no chat input took a key within ${timeoutMs / 1000} s`);
}

export interface OpenChatTiming {
  /** From clicking the command in the palette until the chat takes input. */
  openToInputMs: number;
  /** From VS Code writing the page into the webview's frame until its input took the key (undefined if VS Code's mark was not found). */
  pageToInputMs: number | undefined;
}

export async function timeOpenChat(workbench: Workbench, commandTitle: string): Promise<OpenChatTiming> {
  await armClickClock(workbench.page);
  await workbench.runCommand(commandTitle);
  const frame = await waitUntilInputTakesKey(workbench.page, 60_000);
  const end = Date.now();
  const pageToInputMs = await msSincePageWritten(frame).catch(() => undefined);
  // Both clocks are the machine's wall clock (ms), read by the browser and by us.
  return { openToInputMs: end - (await clickTime(workbench.page)), pageToInputMs };
}
