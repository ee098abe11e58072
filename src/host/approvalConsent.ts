/**
 * Asks whether a workspace's config.yaml may loosen tool approval — listing exactly which
 * tools would run without asking (or be asked about instead of denied) — and keeps the
 * answers per workspace. Declining keeps the user's own rules.
 */
import * as vscode from 'vscode';
import type { WorkspaceConsentPort } from '../core/config/workspaceConsent';
import type { LooseningItem, WorkspaceLooseningPort } from '../core/tools/workspaceLoosening';

const DECISIONS_KEY = 'patchbay.workspaceApprovalLoosening';
const ACCEPT = 'Allow for This Workspace';
const KEEP = 'Keep Asking';

export function workspaceLooseningConsent(state: vscode.Memento): WorkspaceLooseningPort {
  return workspaceConsentPort(state, DECISIONS_KEY, {
    question: "This workspace's .patchbay/config.yaml wants to loosen your tool approval rules. Allow it?",
    detail: describeLoosening,
    accept: ACCEPT,
    keep: KEEP,
  });
}

/** Answers kept in `state` under `key`; the user asked in a modal warning (closing it: no answer). */
export function workspaceConsentPort<Item>(
  state: vscode.Memento,
  key: string,
  prompt: { question: string; detail(items: readonly Item[]): string; accept: string; keep: string },
): WorkspaceConsentPort<Item> {
  return {
    remembered: () => state.get<Record<string, boolean>>(key) ?? {},
    remember: (decisions) => void state.update(key, decisions),
    ask: async (items) => {
      const choice = await vscode.window.showWarningMessage(prompt.question, { modal: true, detail: prompt.detail(items) }, prompt.accept, prompt.keep);
      return choice === undefined ? undefined : choice === prompt.accept;
    },
  };
}

export function describeLoosening(items: readonly LooseningItem[]): string {
  const withoutAsking = items.filter((item) => item.workspace === 'allow').map((item) => `  ${item.tool}${item.user === 'deny' ? ' (your rules deny it)' : ''}`);
  const askedInstead = items.filter((item) => item.workspace === 'ask').map((item) => `  ${item.tool}`);
  return [
    ...(withoutAsking.length ? ['These tools would run without asking you, whatever the call does (POST, DELETE… included):', ...withoutAsking, ''] : []),
    ...(askedInstead.length ? ['These tools, which your rules deny, would be offered for approval:', ...askedInstead, ''] : []),
    `"${KEEP}" keeps your own rules; the workspace can still make them stricter.`,
  ].join('\n');
}
