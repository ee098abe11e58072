/**
 * Asks whether a workspace's config.yaml may loosen tool approval — listing exactly which
 * tools would run without asking (or be asked about instead of denied) — and keeps the
 * answers per workspace. Declining keeps the user's own rules.
 */
import type * as vscode from 'vscode';
import type { LooseningItem, WorkspaceLooseningPort } from '../core/tools/workspaceLoosening';
import { workspaceConsentPort } from './workspaceConsentPrompt';

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

export function describeLoosening(items: readonly LooseningItem[]): string {
  const withoutAsking = items.filter((item) => item.workspace === 'allow').map((item) => `  ${item.tool}${item.user === 'deny' ? ' (your rules deny it)' : ''}`);
  const askedInstead = items.filter((item) => item.workspace === 'ask').map((item) => `  ${item.tool}`);
  return [
    ...(withoutAsking.length ? ['These tools would run without asking you, whatever the call does (POST, DELETE… included):', ...withoutAsking, ''] : []),
    ...(askedInstead.length ? ['These tools, which your rules deny, would be offered for approval:', ...askedInstead, ''] : []),
    `"${KEEP}" keeps your own rules; the workspace can still make them stricter.`,
  ].join('\n');
}
