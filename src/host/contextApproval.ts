/**
 * Asks the user before a context provider fetches something their `toolApproval` rules say to
 * ask about (`@url https://…`): a modal naming the plugin, the method and the address.
 */
import * as vscode from 'vscode';
import type { ContextApprovalQuestion } from '../core/context/contextProviders';
import type { ToolDecision } from '../core/tools/toolDecision';

export async function askContextApproval(question: ContextApprovalQuestion): Promise<ToolDecision> {
  const allow = 'Allow';
  const always = `Always Allow ${question.mention}`;
  const choice = await vscode.window.showWarningMessage(
    `Patchbay: ${question.mention} wants to ${question.method} ${question.url}. Allow it?`,
    {
      modal: true,
      detail: `It comes from plugin "${question.plugin}". Your toolApproval rules say to ask; "toolApproval.allow" in ~/.patchbay/config.yaml can allow it for good.`,
    },
    ...(question.canAlwaysAllow ? [allow, always] : [allow]),
  );
  return choice === allow ? 'once' : choice === always ? 'always' : 'deny';
}
