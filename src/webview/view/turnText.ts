/**
 * The words an assistant turn shows around its answer: status, problem, buttons, usage.
 * Pure functions of the turn, so the wording and the button rules are unit-tested in Node.
 */
import type { ActionButton, AnswerStatus, AssistantTurn, RecoveryActionId, WebviewToHost } from '../../protocol/messages';

/** Button labels; they are also the buttons' accessible names, which tests look for. */
export const RECOVERY_ACTION_LABELS: Readonly<Record<RecoveryActionId, string>> = {
  retry: 'Retry',
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

/**
 * The buttons under an assistant turn. Retry re-asks the last question, so it is offered only on
 * the last answer (`offerRetry`), and at most once even when the problem lists it too.
 */
export function turnButtons(turn: Pick<AssistantTurn, 'status' | 'problem'>, offerRetry: boolean): TurnButton[] {
  if (turn.status === 'streaming') return [];
  const actions: RecoveryActionId[] = [];
  for (const action of turn.problem?.actions ?? []) {
    if (!actions.includes(action)) actions.push(action);
  }
  if (offerRetry && !actions.includes('retry')) actions.unshift('retry');
  return actions
    .filter((action) => action !== 'retry' || offerRetry)
    .map((action) => ({
      label: RECOVERY_ACTION_LABELS[action],
      message: action === 'retry' ? { type: 'retry' } : { type: 'recover', action },
    }));
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

/** "12 in · 340 out" after a complete answer, when the server reported token counts. */
export function usageText(turn: Pick<AssistantTurn, 'status' | 'usage'>): string | undefined {
  if (turn.status !== 'complete' || turn.usage === undefined) return undefined;
  const parts: string[] = [];
  if (turn.usage.inputTokens !== undefined) parts.push(`${formatCount(turn.usage.inputTokens)} in`);
  if (turn.usage.outputTokens !== undefined) parts.push(`${formatCount(turn.usage.outputTokens)} out`);
  return parts.length === 0 ? undefined : parts.join(' · ');
}

function formatCount(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}

export function reasoningSummary(status: AnswerStatus): string {
  return status === 'streaming' ? 'Thinking' : 'Thought process';
}
