/**
 * VS Code's own figure: "Developer: Show Running Extensions" lists each activated extension
 * with "Activation: N ms" (the time to load its main module plus its activate() call).
 */
import type { Workbench } from '../../e2e/support/workbench';

/** An activated extension as listed: its name and the text of its activation-time cell. */
export interface ListedExtension {
  name: string;
  activation: string;
}

async function shownRows(workbench: Workbench): Promise<ListedExtension[]> {
  return workbench.page.evaluate(() =>
    [...document.querySelectorAll('.runtime-extensions-editor .monaco-list-row')].map((row) => ({
      name: row.querySelector('.name')?.textContent?.trim() ?? '',
      activation: row.querySelector('.activation-time')?.textContent?.trim() ?? '',
    })),
  );
}

/**
 * Opens the running-extensions editor and returns `name`'s activation time in ms. It must
 * read "Activation:", not "Startup Activation:": activated by our command, not at startup.
 */
export async function shownActivationMs(workbench: Workbench, name: string, timeoutMs = 20_000): Promise<{ ms: number; rows: ListedExtension[] }> {
  await workbench.runCommand('Developer: Show Running Extensions');
  const deadline = Date.now() + timeoutMs;
  let rows: ListedExtension[] = [];
  while (Date.now() < deadline) {
    rows = await shownRows(workbench);
    const row = rows.find((candidate) => candidate.name === name);
    const match = row && /^(Startup )?Activation: (\d+)ms$/.exec(row.activation);
    if (match) {
      if (match[1]) throw new Error(`${name} was activated at startup, so the timed run did not include its activation`);
      return { ms: Number(match[2]), rows };
    }
    await workbench.page.waitForTimeout(100);
  }
  throw new Error(`Show Running Extensions did not list ${name} with an activation time; rows: ${JSON.stringify(rows)}`);
}
