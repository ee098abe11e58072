/**
 * How the host asks the user about something a workspace wants (looser tool approval, values
 * for the user's own plugins): a modal warning listing exactly what would change, with the
 * answers kept per workspace.
 */
import * as vscode from 'vscode';
import type { WorkspaceConsentPort } from '../core/config/workspaceConsent';

/** Answers kept in `state` under `key`; the user asked in a modal warning (closing it: no answer). */
export function workspaceConsentPort<Item>(
  state: vscode.Memento,
  key: string,
  prompt: { question: string | ((items: readonly Item[]) => string); detail(items: readonly Item[]): string; accept: string; keep: string },
): WorkspaceConsentPort<Item> {
  return {
    remembered: () => state.get<Record<string, boolean>>(key) ?? {},
    remember: (decisions) => void state.update(key, decisions),
    ask: async (items) => {
      const choice = await vscode.window.showWarningMessage(typeof prompt.question === 'string' ? prompt.question : prompt.question(items), { modal: true, detail: prompt.detail(items) }, prompt.accept, prompt.keep);
      return choice === undefined ? undefined : choice === prompt.accept;
    },
  };
}
