/**
 * One measurement in a window of its own. An extension activates once per window, so every
 * run opens a new browser context: a fresh window with nothing restored (no open view, no
 * cached webview), whose new extension host has activated nothing yet.
 */
import type { Browser } from 'playwright-core';
import type { RunningCodeServer } from '../../e2e/support/codeServer';
import { Workbench } from '../../e2e/support/workbench';
import { extensionHosts, waitForQuietExtensionHost } from './extensionHost';
import { peakResidentMB } from './processTree';
import { shownActivationMs } from './runningExtensions';
import { timeOpenChat } from './timeOpenChat';

export interface Subject {
  key: 'ours' | 'baseline';
  /** The palette title of its "Open Chat" command. */
  openChat: string;
  /** Its name in "Show Running Extensions". */
  listedAs: string;
}

export interface WindowRun {
  openToInputMs: number;
  /** The page's own part of it: from VS Code writing the page into the webview until the input took the key. */
  pageToInputMs: number | undefined;
  /** VS Code's "Activation: N ms". */
  shownActivationMs: number;
  /** VmHWM of this window's extension host after the run, if it could be read. */
  hostPeakMB: number | undefined;
}

export async function runInFreshWindow(browser: Browser, server: RunningCodeServer, folder: string, subject: Subject, other: Subject): Promise<WindowRun> {
  const hostsBefore = new Set(extensionHosts(server.pid));
  const workbench = await Workbench.open(browser, server.url, folder);
  try {
    // Start from a settled window, as a person would: otherwise the command also waits for
    // the extension host to finish starting, a cost that is neither extension's.
    const host = await waitForQuietExtensionHost(server.pid, hostsBefore);
    const { openToInputMs, pageToInputMs } = await timeOpenChat(workbench, subject.openChat);
    const shown = await shownActivationMs(workbench, subject.listedAs);
    // Only the subject may have been activated, or the window was not the clean one we meant.
    if (shown.rows.some((row) => row.name === other.listedAs)) throw new Error(`${other.listedAs} was also activated in a ${subject.key} window`);
    return { openToInputMs, pageToInputMs, shownActivationMs: shown.ms, hostPeakMB: peakResidentMB(host) };
  } finally {
    await workbench.close();
  }
}
