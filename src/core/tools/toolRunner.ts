/**
 * One tool call from the model, from request to result: find the tool, check the
 * arguments against its schema before anything is sent, apply the approval rules (asking
 * the user when needed), run it, and cut what it returned to a size the model can take.
 * Every step is shown on the call's card; every failure goes back to the model as text it
 * can act on, never as an exception that ends the answer.
 */
import type { CallProgress, ToolCall, ToolDefinition } from '../api';
import type { ToolCallProposal } from './toolCallView';
import { describeError } from '../errors';
import type { Listed } from '../plugins/contributionRegistry';
import { readablePath, toolArgumentsValidator } from '../util/schemaValidator';
import { describeToolCall } from './callDescription';
import type { ToolCallView } from './toolCallView';
import { toolOutputBlock } from './toolResultText';
import { approvalVerdict, canAlwaysAllow, combinedVerdict, loosens, untrustedVerdict, workspaceVerdict, type ToolApprovalRules, type Verdict, type WorkspaceApprovalRules } from './toolPolicy';

import type { ToolDecision } from './toolDecision';

export type { ToolDecision };

export interface ToolRunDeps {
  /** The user's own rules. */
  rules: ToolApprovalRules;
  /** The workspace's rules: stricter ones hold, looser ones only as `looseningAccepted` says. */
  workspaceRules?: WorkspaceApprovalRules;
  /** Whether the user accepted the workspace's looser verdict for this tool (may ask them). */
  looseningAccepted?(qualifiedName: string, user: Verdict, workspace: Verdict): Promise<boolean>;
  alwaysAllowed: ReadonlySet<string>;
  /** Shows the card with its approval buttons; resolves with the user's choice. */
  approve(view: ToolCallView, signal: AbortSignal): Promise<ToolDecision>;
  rememberAlwaysAllowed(qualifiedName: string): void;
  /** Runs the tool's code under the plugin-call rules (timeout, cancellation). */
  invoke(tool: Listed<ToolDefinition>, args: Record<string, unknown>, signal: AbortSignal, report: CallReports): Promise<unknown>;
  /** The card changed. */
  update(view: ToolCallView): void;
  /** Characters of a result the model is given. */
  maxResultChars: number;
  /** The tool itself is broken (its schema cannot be compiled): shown with its plugin. */
  reportToolProblem?(tool: Listed<ToolDefinition>, problem: string): void;
  /** A proposal `owner` made, as a card shows it; undefined for an unknown one or another plugin's. */
  proposalOf?(proposalId: string, owner: string): ToolCallProposal | undefined;
  /** The owner is one of the user's own plugins (bundled or global): its read-only tools run without asking. */
  isOwnPlugin?(owner: string): boolean;
  /** The workspace is not trusted: every call is asked about (only read-only tools are offered). */
  untrusted?: boolean;
}

/** What a running tool may show on its card besides its result. */
export interface CallReports {
  progress(progress: CallProgress): void;
  images(dataUris: readonly string[]): void;
  /** The tool proposed an edit (`call.showProposal`): its card shows it with Accept and Reject. */
  proposal(proposalId: string): void;
}

export interface ToolRunResult {
  /** What the model reads as the tool's answer. */
  content: string;
  view: ToolCallView;
}

const DISPLAY_CHARS = 20_000;
const PROGRESS_MESSAGE_CHARS = 200;
const MAX_IMAGES = 8;
/** Characters of `data:` URIs a card carries in all (about 3 MB of images). */
const MAX_IMAGE_CHARS = 4_000_000;
/** Only an image embedded in the result: a URI that would be fetched is never put on a card. */
const LOCAL_IMAGE = /^data:image\/(png|jpeg|gif|webp|bmp);base64,[A-Za-z0-9+/]+={0,2}$/;

export async function runToolCall(call: ToolCall, tools: ReadonlyMap<string, Listed<ToolDefinition>>, deps: ToolRunDeps, signal: AbortSignal): Promise<ToolRunResult> {
  const view: ToolCallView = { id: call.id, tool: call.name || '(no name)', arguments: prettyArguments(call.arguments), status: 'checking' };
  const finish = (status: ToolCallView['status'], content: string, note?: string, result?: string): ToolRunResult => {
    view.status = status;
    if (note !== undefined) view.note = note;
    if (result !== undefined) view.result = result.length > DISPLAY_CHARS ? `${result.slice(0, DISPLAY_CHARS)}\n…` : result;
    deps.update(view);
    return { content, view };
  };
  deps.update(view);

  const tool = tools.get(call.name);
  if (!tool) {
    const known = [...tools.keys()].slice(0, 30).join(', ');
    return finish('failed', `Error: there is no tool named "${call.name}". Available tools: ${known}.`, 'The model asked for a tool that was not offered.');
  }
  view.plugin = tool.owner;
  view.qualifiedName = `${tool.owner}.${tool.definition.name}`;

  let args: Record<string, unknown>;
  try {
    const parsed: unknown = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the arguments must be a JSON object');
    args = parsed as Record<string, unknown>;
  } catch (error) {
    return finish('failed', `Error: the arguments for "${call.name}" are not a JSON object (${(error as Error).message}). Call it again with valid JSON.`, 'The model sent arguments that are not valid JSON.');
  }
  const checked = argumentProblems(tool.definition, args);
  if ('broken' in checked) {
    const problem = `its argument schema cannot be checked (${checked.broken})`;
    deps.reportToolProblem?.(tool, problem);
    return finish('failed', `Error: "${call.name}" cannot be called: ${problem}. Do not call it again; answer without it.`, `Not run: ${problem}. The tool's plugin needs fixing.`);
  }
  const invalid = checked.invalid;
  if (invalid) {
    return finish('failed', `Error: the arguments for "${call.name}" do not match its schema: ${invalid}. Call it again with corrected arguments.`, `The arguments do not match the tool's schema: ${invalid}.`);
  }

  const described = await describeToolCall(tool.definition, args);
  if (described) {
    view.method = described.method.toUpperCase();
    view.url = described.url;
  }
  view.canAlwaysAllow = canAlwaysAllow(view.method) && deps.untrusted !== true;
  const readOnlyOwn = tool.definition.readOnly === true && deps.isOwnPlugin?.(tool.owner) === true;
  const userVerdict = approvalVerdict(view.qualifiedName, view.method, deps.rules, deps.alwaysAllowed, readOnlyOwn);
  const fromWorkspace = deps.workspaceRules ? workspaceVerdict(view.qualifiedName, deps.workspaceRules) : undefined;
  let looseningAccepted = false;
  if (deps.untrusted !== true && loosens(userVerdict, fromWorkspace, view.qualifiedName, deps.rules) && deps.looseningAccepted) {
    looseningAccepted = await deps.looseningAccepted(view.qualifiedName, userVerdict, fromWorkspace);
    if (signal.aborted) return finish('cancelled', 'The call was cancelled.', 'Stopped before the call was approved.');
  }
  const combined = combinedVerdict(userVerdict, fromWorkspace, looseningAccepted);
  const verdict = deps.untrusted === true ? untrustedVerdict(combined) : combined;
  if (verdict.decision === 'deny') {
    return finish('denied', `The user's settings do not allow calling "${call.name}" (${verdict.reason}). Do not call it again; answer without it.`, `Not run: ${verdict.reason}.`);
  }
  if (verdict.decision === 'ask') {
    view.status = 'awaiting-approval';
    deps.update(view);
    let decision: ToolDecision;
    try {
      decision = await deps.approve(view, signal);
    } catch {
      return finish('cancelled', 'The call was cancelled.', 'Stopped before the call was approved.');
    }
    if (decision === 'deny') {
      return finish('denied', `The user denied the call to "${call.name}". Do not call it again for this request; answer without it, or ask the user how to proceed.`, 'You denied this call.');
    }
    if (decision === 'always' && view.canAlwaysAllow) deps.rememberAlwaysAllowed(view.qualifiedName);
  } else {
    view.note = `Allowed: ${verdict.reason}.`;
  }

  view.status = 'running';
  deps.update(view);
  const report: CallReports = {
    progress: (progress) => {
      if (view.status !== 'running' || !Number.isFinite(progress.progress)) return;
      view.progress = {
        progress: progress.progress,
        ...(typeof progress.total === 'number' && Number.isFinite(progress.total) ? { total: progress.total } : {}),
        ...(typeof progress.message === 'string' && progress.message !== '' ? { message: progress.message.slice(0, PROGRESS_MESSAGE_CHARS) } : {}),
      };
      deps.update(view);
    },
    images: (dataUris) => {
      let budget = MAX_IMAGE_CHARS;
      const kept = dataUris.filter((uri) => typeof uri === 'string' && LOCAL_IMAGE.test(uri) && (budget -= uri.length) >= 0).slice(0, MAX_IMAGES);
      if (kept.length > 0) view.images = kept;
    },
    proposal: (proposalId) => {
      const shown = typeof proposalId === 'string' ? deps.proposalOf?.(proposalId, tool.owner) : undefined;
      if (!shown) return;
      view.proposal = shown;
      deps.update(view);
    },
  };
  try {
    const value = await deps.invoke(tool, args, signal, report);
    delete view.progress;
    const text = typeof value === 'string' ? value : value === undefined ? '(no result)' : JSON.stringify(value);
    return finish('done', toolOutputBlock(call.name, call.id, capForModel(text, deps.maxResultChars)), undefined, text);
  } catch (error) {
    delete view.progress;
    if (signal.aborted) return finish('cancelled', 'The call was cancelled.', 'Stopped while the tool was running.');
    const message = describeError(error);
    return finish('failed', `Error from "${call.name}":\n${toolOutputBlock(call.name, call.id, capForModel(message, deps.maxResultChars))}`, undefined, message);
  }
}

/** What is wrong with the arguments, or with the tool's schema itself (never run unchecked). */
export function argumentProblems(definition: ToolDefinition, args: Record<string, unknown>): { invalid?: string } | { broken: string } {
  let validate;
  try {
    validate = toolArgumentsValidator(definition.parameters);
  } catch (error) {
    return { broken: (error as Error).message };
  }
  if (validate(args)) return {};
  const invalid = (validate.errors ?? [])
    .slice(0, 5)
    .map((error) => {
      const where = readablePath(error.instancePath);
      const missing = error.keyword === 'required' ? (error.params as { missingProperty?: string }).missingProperty : undefined;
      return missing ? `"${missing}" is required` : `${where ? `"${where}"` : 'the arguments'} ${error.message ?? 'is invalid'}`;
    })
    .join('; ');
  return { invalid };
}

function prettyArguments(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function capForModel(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}\n\n[Cut for the model: ${text.length.toLocaleString('en-US')} characters in all; the first ${maxChars.toLocaleString('en-US')} are shown.]`;
}
