/**
 * The words an assistant turn shows around its answer: status, problem, buttons, usage.
 * Pure functions of the turn, so the wording and the button rules are unit-tested in Node.
 */
import type { ActionButton, AnswerStatus, AssistantTurn, RecoveryActionId, WebviewToHost } from '../../protocol/messages';
import { formatCount } from './numberText';

/** Button labels; they are also the buttons' accessible names, which tests look for. */
export const RECOVERY_ACTION_LABELS: Readonly<Record<RecoveryActionId, string>> = {
  retry: 'Retry',
  continue: 'Continue',
  setApiKey: 'Set API Key',
  selectModel: 'Select Model',
  refreshModels: 'Refresh Models',
  openConfig: 'Open Config',
  openSettings: 'Open Settings',
  showLogs: 'Show Logs',
};

export interface TurnStatusText {
  kind: 'stopped' | 'incomplete' | 'failed' | 'problem';
  text: string;
  hint?: string;
}

/** What to say under the answer, or undefined when the answer speaks for itself. */
export function turnStatusText(turn: Pick<AssistantTurn, 'status' | 'problem'>): TurnStatusText | undefined {
  const { problem } = turn;
  const withHint = (status: TurnStatusText): TurnStatusText =>
    problem?.hint ? { ...status, hint: problem.hint } : status;
  switch (turn.status) {
    case 'streaming':
      return undefined;
    case 'stopped':
      return { kind: 'stopped', text: 'Stopped' };
    case 'incomplete':
      // "Cut off by the token limit" says what happened better than "Incomplete" would.
      if (problem?.kind === 'token-limit') return withHint({ kind: 'incomplete', text: problem.message });
      return withHint({ kind: 'incomplete', text: problem ? `Incomplete: ${problem.message}` : 'Incomplete' });
    case 'failed':
      return withHint({ kind: 'failed', text: problem?.message ?? 'The request failed.' });
    case 'complete':
      return problem ? withHint({ kind: 'problem', text: problem.message }) : undefined;
  }
}

export interface TurnButton {
  label: string;
  message: WebviewToHost;
}

/** The label of the button that re-asks the last question with a model the host asks for. */
export const RETRY_WITH_MODEL_LABEL = 'Retry with Another Model';

/**
 * The buttons under an assistant turn. Retry re-asks the last question, so it is offered only on
 * the last answer (`offerRetry`), and at most once even when the problem lists it too; "Retry with
 * Another Model" follows it there.
 */
export function turnButtons(turn: Pick<AssistantTurn, 'status' | 'problem'>, offerRetry: boolean): TurnButton[] {
  if (turn.status === 'streaming') return [];
  const actions: RecoveryActionId[] = [];
  for (const action of turn.problem?.actions ?? []) {
    if (!actions.includes(action)) actions.push(action);
  }
  if (offerRetry && !actions.includes('retry')) actions.unshift('retry');
  // Continue, like Retry, goes on from the last answer only; it leads when offered.
  if (actions.includes('continue')) actions.sort((a, b) => Number(b === 'continue') - Number(a === 'continue'));
  return actions
    .filter((action) => (action !== 'retry' && action !== 'continue') || offerRetry)
    .flatMap((action): TurnButton[] => action === 'retry'
      ? [{ label: RECOVERY_ACTION_LABELS.retry, message: { type: 'retry' } }, { label: RETRY_WITH_MODEL_LABEL, message: { type: 'retryWithModel' } }]
      : [{ label: RECOVERY_ACTION_LABELS[action], message: { type: 'recover', action } }]);
}

/** Copy and Delete, on every answer that is not streaming any more (they close its buttons row). */
export function answerMessageButtons(turn: Pick<AssistantTurn, 'id' | 'status'>): TurnButton[] {
  if (turn.status === 'streaming') return [];
  return [
    { label: 'Copy', message: { type: 'copyMessage', turnId: turn.id } },
    { label: 'Delete', message: { type: 'deleteTurn', turnId: turn.id } },
  ];
}

/**
 * The plugin actions an answer offers: every action once the answer is there to act on, that is
 * finished with text that was kept (complete, incomplete, stopped); none while it streams or when
 * it failed before anything arrived.
 */
export function pluginActionsFor(turn: Pick<AssistantTurn, 'status'>, actions: readonly ActionButton[]): readonly ActionButton[] {
  return turn.status === 'complete' || turn.status === 'incomplete' || turn.status === 'stopped' ? actions : [];
}

/** The tooltip of a plugin action button: it says whose code the button runs. */
export function pluginActionTitle(action: Pick<ActionButton, 'label' | 'plugin'>): string {
  return `${action.label} (plugin ${action.plugin})`;
}

/**
 * "12 in · 340 out · 42 tok/s · first token 0.4 s" after a complete answer: the token counts the
 * server reported and the speed Patchbay measured, each part only when known.
 */
export function usageText(turn: Pick<AssistantTurn, 'status' | 'usage' | 'stats'>): string | undefined {
  if (turn.status !== 'complete') return undefined;
  const parts: string[] = [];
  if (turn.usage?.inputTokens !== undefined) parts.push(`${formatCount(turn.usage.inputTokens)} in`);
  if (turn.usage?.outputTokens !== undefined) parts.push(`${formatCount(turn.usage.outputTokens)} out`);
  const speed = tokensPerSecondText(turn.stats?.tokensPerSecond);
  if (speed !== undefined) parts.push(speed);
  const firstToken = firstTokenText(turn.stats?.firstTokenMs);
  if (firstToken !== undefined) parts.push(firstToken);
  return parts.length === 0 ? undefined : parts.join(' · ');
}

/** "42 tok/s", "7.5 tok/s" (one decimal below 10); nothing for a rate that is not positive. */
export function tokensPerSecondText(rate: number | undefined): string | undefined {
  if (rate === undefined || !Number.isFinite(rate) || rate <= 0) return undefined;
  const shown = rate < 9.95 ? rate.toFixed(1) : formatCount(rate);
  return `${shown} tok/s`;
}

/** "first token 0.4 s" (one decimal below 10 s, whole seconds above; "< 0.1 s" when quicker). */
export function firstTokenText(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return undefined;
  const seconds = ms / 1000;
  const shown = seconds < 0.05 ? '< 0.1' : seconds < 9.95 ? seconds.toFixed(1) : formatCount(seconds);
  return `first token ${shown} s`;
}


export function reasoningSummary(status: AnswerStatus): string {
  return status === 'streaming' ? 'Thinking' : 'Thought process';
}
