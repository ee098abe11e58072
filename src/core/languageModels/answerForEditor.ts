/**
 * Answers a request that came through VS Code's language-model API with Patchbay's own
 * pipeline: the plugins' inlet and stream filters, the provider's stream with its idle
 * timeout and rate-limit waits, Stop through the caller's cancellation. What streams back is
 * reported as parts: text, thinking (reasoning kept apart) and complete tool calls. The
 * caller's tools go to the model natively or, for a model that cannot take them, described in
 * the prompt (its `<tool_call>` blocks come back as tool calls all the same), as in Patchbay's
 * chat. A failure becomes an EditorModelError whose code matches the API's LanguageModelError kinds.
 * Outlet filters do not run: they change a finished answer, and this one has been streamed.
 */
import type { ChatRequest } from '../api';
import type { FilterChain } from '../chat/filterChain';
import { messagesWithToolsInPrompt } from '../tools/promptToolCalls';
import { streamAnswer, type AnswerEvent } from '../chat/streamAnswer';
import type { PatchbayError } from '../errors';
import type { Clock } from '../ports';
import type { ResolvedModel } from '../providers/resolvedModel';

export type EditorAnswerPart =
  | { kind: 'text'; text: string }
  | { kind: 'thinking'; text: string }
  | { kind: 'toolCall'; callId: string; name: string; input: object };

/** The kinds of VS Code's LanguageModelError, and ours for everything else. */
export type EditorErrorCode = 'NoPermissions' | 'NotFound' | 'Blocked' | 'Unknown';

export class EditorModelError extends Error {
  override readonly name = 'EditorModelError';

  constructor(
    readonly code: EditorErrorCode,
    message: string,
    readonly problem?: PatchbayError,
  ) {
    super(message);
  }
}

export interface EditorAnswerOptions {
  resolved: ResolvedModel;
  request: ChatRequest;
  filters?: FilterChain;
  signal: AbortSignal;
  idleTimeoutMs: number;
  clock?: Clock;
  /** How the model takes the request's tools (see ToolSessions.modeFor): natively unless it said otherwise. */
  toolMode?: 'native' | 'prompt';
  /** After a failure with native tools: whether it said the model cannot take them (then they go in the prompt). */
  learnPromptOnly?(problem: PatchbayError): boolean;
  report(part: EditorAnswerPart): void;
}

/** Ids of calls taken out of a model's text. */
const PROMPTED_CALL_PREFIX = 'call_patchbay_';

/** Resolves when the answer is complete or was cancelled; throws an EditorModelError when it failed. */
export async function answerForEditor(options: EditorAnswerOptions): Promise<void> {
  const { resolved, filters, signal, report } = options;
  const request = filters ? await filters.inlet(options.request, signal) : options.request;
  const tools = request.tools;
  let reported = false;
  const answer = (sent: ChatRequest) =>
    streamAnswer({
      provider: resolved.provider,
      request: sent,
      failureContext: resolved.failureContext,
      signal,
      idleTimeoutMs: options.idleTimeoutMs,
      ...(options.clock ? { clock: options.clock } : {}),
      // Some servers leak native calls as the prompt's blocks too, so they are taken out whenever there are tools.
      ...(tools ? { extractToolCalls: { idPrefix: PROMPTED_CALL_PREFIX } } : {}),
      onEvent: (event) => reportEvent(event, (part) => ((reported = true), report(part))),
      ...(filters ? { filterPieces: (emit: (event: AnswerEvent) => void) => filters.pieces(emit, signal) } : {}),
    });
  const inPrompt = (): ChatRequest => {
    const { tools: described = [], ...rest } = request;
    return { ...rest, messages: messagesWithToolsInPrompt(request.messages, described) };
  };
  let outcome = await answer(tools && options.toolMode === 'prompt' ? inPrompt() : request);
  if (tools && options.toolMode !== 'prompt' && outcome.status === 'failed' && outcome.problem && !reported && options.learnPromptOnly?.(outcome.problem)) {
    outcome = await answer(inPrompt());
  }
  if (outcome.status === 'failed' && outcome.problem) throw editorErrorOf(outcome.problem);
}

function reportEvent(event: AnswerEvent, report: (part: EditorAnswerPart) => void): void {
  switch (event.type) {
    case 'text':
    case 'refusal':
      if (event.text !== '') report({ kind: 'text', text: event.text });
      break;
    case 'reasoning':
      if (event.text !== '') report({ kind: 'thinking', text: event.text });
      break;
    case 'toolCall': {
      const input = argumentsOf(event.call.arguments);
      if (input) report({ kind: 'toolCall', callId: event.call.id, name: event.call.name, input });
      else report({ kind: 'text', text: `\n[The model called "${event.call.name}" with arguments that are not a JSON object: ${event.call.arguments}]\n` });
      break;
    }
    case 'reclassify':
    case 'status':
      break;
  }
}

function argumentsOf(text: string): object | undefined {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function editorErrorOf(problem: PatchbayError): EditorModelError {
  const code: EditorErrorCode = problem.kind === 'auth' ? 'NoPermissions' : problem.kind === 'model-not-found' ? 'NotFound' : problem.kind === 'bad-request' && /content|filter|policy/i.test(problem.message) ? 'Blocked' : 'Unknown';
  return new EditorModelError(code, problem.hint ? `${problem.message} ${problem.hint}` : problem.message, problem);
}
