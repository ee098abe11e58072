/**
 * The one error type users see. Every failure that reaches the chat is turned into a
 * PatchbayError exactly once (see providers/classifyError.ts), so the UI can always show a
 * specific message, a hint and buttons that lead out of the problem.
 */

import type { ProblemDetails, ProblemKind, RecoveryActionId } from './api';

export type { ProblemDetails, ProblemKind, RecoveryActionId };

export class PatchbayError extends Error {
  readonly kind: ProblemKind;
  readonly hint: string | undefined;
  readonly actions: readonly RecoveryActionId[];
  readonly status: number | undefined;
  readonly url: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(kind: ProblemKind, message: string, details: ProblemDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'PatchbayError';
    this.kind = kind;
    this.hint = details.hint;
    this.actions = details.actions ?? [];
    this.status = details.status;
    this.url = details.url;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** The plain-data form that crosses to the webview and into saved conversations. */
  toProblem(): Problem {
    const problem: Problem = { kind: this.kind, message: this.message, actions: [...this.actions] };
    if (this.hint !== undefined) problem.hint = this.hint;
    return problem;
  }
}

export interface Problem {
  kind: ProblemKind;
  message: string;
  hint?: string;
  actions: RecoveryActionId[];
}

const PARTIAL_NOTE = 'The partial answer is kept.';

/**
 * The problem as the user should read it: "The partial answer is kept." leads its hint when
 * part of the answer arrived, and appears nowhere when nothing did (whoever wrote the hint).
 */
export function withPartialAnswerNote(problem: PatchbayError, partialKept: boolean): PatchbayError {
  const rest = (problem.hint ?? '').replace(PARTIAL_NOTE, '').trim();
  const hint = partialKept ? `${PARTIAL_NOTE}${rest === '' ? '' : ` ${rest}`}` : rest;
  if (hint === (problem.hint ?? '')) return problem;
  return new PatchbayError(problem.kind, problem.message, {
    ...(hint === '' ? {} : { hint }),
    actions: [...problem.actions],
    ...(problem.status === undefined ? {} : { status: problem.status }),
    ...(problem.url === undefined ? {} : { url: problem.url }),
    ...(problem.retryAfterMs === undefined ? {} : { retryAfterMs: problem.retryAfterMs }),
    ...(problem.cause === undefined ? {} : { cause: problem.cause }),
  });
}

export function isPatchbayError(value: unknown): value is PatchbayError {
  return value instanceof PatchbayError;
}

/** Builds a readable one-line description of any thrown value, following `cause` chains. */
export function describeError(value: unknown): string {
  const parts: string[] = [];
  let current: unknown = value;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      parts.push(typeof code === 'string' && !current.message.includes(code) ? `${current.message} (${code})` : current.message);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return [...new Set(parts.filter((p) => p.length > 0))].join(': ') || 'unknown error';
}

/**
 * A bug in plugin code rather than a failure of the server it talks to: such an error marks
 * the plugin failed. Network failures also surface as TypeErrors ("fetch failed",
 * "terminated"), but those carry a cause, which a plain programming error does not.
 */
export function isProgrammingError(error: unknown): boolean {
  if (error instanceof PatchbayError) return false;
  if (error instanceof ReferenceError || error instanceof RangeError || error instanceof SyntaxError) return true;
  return error instanceof TypeError && error.cause === undefined && !/fetch failed|terminated|network/i.test(error.message);
}
