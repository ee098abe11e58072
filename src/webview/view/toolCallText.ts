/**
 * The words and rules of a tool call's card: status labels, which approval buttons show, the
 * "tools offered" line, and how a result is fenced for the markdown renderer. Pure functions
 * of the protocol data, so the wording and the rules are unit-tested in Node.
 */
import type { ProposalDecision, ToolCallProposal, ToolCallStatus, ToolCallView, ToolDecision, ToolsOffered } from '../../protocol/messages';
import { isInlineImageUrl } from '../render/urlPolicy';

/** The status badge's text; readable on its own, since it is what a screen reader hears. */
export const TOOL_CALL_STATUS_LABELS: Readonly<Record<ToolCallStatus, string>> = {
  checking: 'Checking',
  'awaiting-approval': 'Waiting for your approval',
  running: 'Running…',
  done: 'Done',
  denied: 'Denied',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Button labels; they are also the buttons' accessible names, which tests look for. */
export const TOOL_DECISION_LABELS: Readonly<Record<ToolDecision, string>> = {
  once: 'Allow once',
  always: 'Always allow this tool',
  deny: 'Deny',
};

export function toolCallStatusLabel(status: ToolCallStatus): string {
  return TOOL_CALL_STATUS_LABELS[status];
}

export function isToolDecision(value: string | undefined): value is ToolDecision {
  return value !== undefined && Object.hasOwn(TOOL_DECISION_LABELS, value);
}

export interface ToolCallButton {
  decision: ToolDecision;
  label: string;
}

/**
 * The approval buttons of a card: only while the call waits for the user, and only while its
 * answer is still running (a card saved in that state cannot be answered any more). "Always
 * allow" only where the host allows it (calls that change nothing).
 */
export function toolCallButtons(
  call: Pick<ToolCallView, 'status' | 'canAlwaysAllow'>,
  answerRunning: boolean,
): ToolCallButton[] {
  if (call.status !== 'awaiting-approval' || !answerRunning) return [];
  const decisions: ToolDecision[] = call.canAlwaysAllow === true ? ['once', 'always', 'deny'] : ['once', 'deny'];
  return decisions.map((decision) => ({ decision, label: TOOL_DECISION_LABELS[decision] }));
}

export interface ProposalButton {
  decision: ProposalDecision;
  /** The word on the button. */
  text: string;
  /** Its accessible name (and tooltip): which file it decides on, since several cards may show one. */
  label: string;
}

/** Accept and Reject on a proposed edit's card, only while it waits for the user's decision. */
export function proposalButtons(proposal: Pick<ToolCallProposal, 'path' | 'state'>): ProposalButton[] {
  if (proposal.state !== 'pending') return [];
  return (['accept', 'reject'] as const).map((decision) => {
    const text = decision === 'accept' ? 'Accept' : 'Reject';
    return { decision, text, label: `${text} the proposed change to ${proposal.path}` };
  });
}

/** "GET https://api.example/items/1", or undefined for a tool that is plugin code. */
export function toolCallRequestLine(call: Pick<ToolCallView, 'method' | 'url'>): { method: string; url: string } | undefined {
  const method = call.method?.trim().toUpperCase() ?? '';
  const url = call.url?.trim() ?? '';
  return method === '' && url === '' ? undefined : { method, url };
}

/** "2 of 5 (40%) · indexing" while the call runs and its tool reports progress; undefined otherwise. */
export function toolCallProgressText(call: Pick<ToolCallView, 'status' | 'progress'>): string | undefined {
  const { progress } = call;
  if (call.status !== 'running' || progress === undefined) return undefined;
  const done = progress.total !== undefined && progress.total > 0
    ? `${progress.progress} of ${progress.total} (${Math.round((progress.progress / progress.total) * 100)}%)`
    : `Progress: ${progress.progress}`;
  return progress.message ? `${done} · ${progress.message}` : done;
}

/** The result's images that are embedded data, which load nothing from anywhere. */
export function toolCallImages(call: Pick<ToolCallView, 'images'>): string[] {
  return (call.images ?? []).filter((uri) => isInlineImageUrl(uri) && uri === uri.trim());
}

/** The summary of a result's collapsed section. */
export function toolResultSummary(status: ToolCallStatus): string {
  return status === 'failed' ? 'Error' : 'Result';
}

/** What the status line says while a call waits for the user. */
export function approvalAnnouncement(call: Pick<ToolCallView, 'tool' | 'plugin'>): string {
  const plugin = call.plugin?.trim() ? ` (${call.plugin.trim()})` : '';
  return `Patchbay wants to call ${call.tool}${plugin}`;
}

/** "Tools offered: 3 of 40 (native)". */
export function toolsOfferedSummary(offered: ToolsOffered): string {
  const how = offered.mode === 'prompt' ? 'described in the prompt' : 'native';
  return `Tools offered: ${offered.names.length} of ${Math.max(offered.total, offered.names.length)} (${how})`;
}

/**
 * The fence language for a tool result: `json` when the whole result parses as JSON (and is an
 * object or array; a bare word is just text), otherwise `text`. The text is shown as received,
 * never re-formatted: re-serialising would round large numbers.
 */
export function toolResultLanguage(result: string): 'json' | 'text' {
  const trimmed = result.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return 'text';
  try {
    JSON.parse(trimmed);
    return 'json';
  } catch {
    return 'text';
  }
}

/**
 * A tool result as a markdown fenced code block whose fence no line of the result can close:
 * the fence is longer than the longest run of backticks in it. Inside a fence the renderer
 * escapes everything, so the result shows as text whatever it contains.
 */
export function toolResultMarkdown(result: string): string {
  let longestRun = 0;
  for (const run of result.match(/`+/g) ?? []) longestRun = Math.max(longestRun, run.length);
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  const body = result.endsWith('\n') ? result : `${result}\n`;
  return `${fence}${toolResultLanguage(result)}\n${body}${fence}\n`;
}

/** What has focus, as far as the decision to move it to a new approval card goes. */
export interface FocusedElementInfo {
  /** Upper-case tag name, as `Element.tagName` gives it; undefined when nothing has focus. */
  tagName: string | undefined;
  isContentEditable: boolean;
  /** It is another card's approval button. */
  isApprovalButton: boolean;
}

/**
 * Whether a card that starts waiting may take keyboard focus to its "Allow once" button. Never
 * from where the user types or chooses (the message input, the model list), and never from
 * another card that waits too: the user answers one at a time.
 */
export function mayTakeFocusForApproval(active: FocusedElementInfo): boolean {
  if (active.isContentEditable || active.isApprovalButton) return false;
  return !['TEXTAREA', 'INPUT', 'SELECT'].includes(active.tagName ?? '');
}
