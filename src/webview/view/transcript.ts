/**
 * The message list. It owns one view per turn and the only click listener of the whole list:
 * buttons in turns are found through `data-action`, which model output cannot carry, so no
 * listener is ever added per render and none leaks when turns are replaced.
 *
 *   div.transcript[role=log] > div.transcript-empty | article.turn*
 */
import type { ActionButton, AssistantTurn, RecoveryActionId, ToolCallView, ToolsOffered, Turn, WebviewToHost } from '../../protocol/messages';
import { el } from '../dom';
import { AssistantTurnView } from './assistantTurnView';
import { codeActionFor } from './codeBlockActions';
import { TOOL_APPROVE_ACTION, type Announce } from './toolCallCard';
import { isToolDecision } from './toolCallText';
import { RECOVERY_ACTION_LABELS } from './turnText';
import { UserTurnView } from './userTurnView';

type TurnView = UserTurnView | AssistantTurnView;

export class Transcript {
  readonly element = el('div', {
    className: 'transcript',
    attrs: { role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation', tabindex: '0' },
  });
  private readonly emptyHint = el('div', { className: 'transcript-empty' },
    el('p', { text: 'Ask a question about your code.' }),
    el('p', { text: 'Select text in the editor to include it with your question.' }));
  private views: TurnView[] = [];
  private readonly byId = new Map<string, TurnView>();
  private busy = false;
  private pluginActions: readonly ActionButton[] = [];
  private retryOfferChanged = true;

  constructor(
    private readonly post: (message: WebviewToHost) => void,
    /** Where a tool call that waits for the user is announced (the status line). */
    private readonly announce: Announce = () => undefined,
  ) {
    this.element.append(this.emptyHint);
    this.element.addEventListener('click', (event) => this.onClick(event));
    // `toggle` does not bubble; one capturing listener serves every reasoning and result section.
    this.element.addEventListener('toggle', (event) => this.onToggle(event), true);
  }

  reset(turns: readonly Turn[]): void {
    for (const view of this.views) {
      if (view instanceof AssistantTurnView) view.dispose();
    }
    this.views = [];
    this.byId.clear();
    this.element.replaceChildren();
    for (const turn of turns) this.addView(turn);
    this.emptyHint.hidden = this.views.length > 0;
    this.element.prepend(this.emptyHint);
    this.retryOfferChanged = true;
  }

  addTurn(turn: Turn): void {
    if (this.byId.has(turn.id)) {
      this.updateTurn(turn);
      return;
    }
    this.addView(turn);
    this.emptyHint.hidden = true;
    this.retryOfferChanged = true;
  }

  updateTurn(turn: Turn): void {
    const view = this.byId.get(turn.id);
    if (view === undefined) {
      this.addTurn(turn);
    } else if (view instanceof AssistantTurnView && turn.role === 'assistant') {
      view.update(turn);
    } else if (view instanceof UserTurnView && turn.role === 'user') {
      view.update(turn);
    }
    this.retryOfferChanged = true;
  }

  appendDelta(turnId: string, content: string | undefined, reasoning: string | undefined): void {
    const view = this.byId.get(turnId);
    if (view instanceof AssistantTurnView) view.appendDelta(content, reasoning);
  }

  reclassify(turnId: string): void {
    const view = this.byId.get(turnId);
    if (view instanceof AssistantTurnView) view.reclassify();
  }

  /** A tool call of an answer was added or changed; calls of unknown answers are ignored. */
  updateToolCall(turnId: string, call: ToolCallView): void {
    const view = this.byId.get(turnId);
    if (view instanceof AssistantTurnView) view.updateToolCall(call);
  }

  setToolsOffered(turnId: string, offered: ToolsOffered): void {
    const view = this.byId.get(turnId);
    if (view instanceof AssistantTurnView) view.setToolsOffered(offered);
  }

  setBusy(busy: boolean): void {
    if (busy === this.busy) return;
    this.busy = busy;
    this.retryOfferChanged = true;
  }

  /** The plugins' actions changed: every answer's buttons follow (only the button rows re-render). */
  setPluginActions(actions: readonly ActionButton[]): void {
    this.pluginActions = actions;
    for (const view of this.views) {
      if (view instanceof AssistantTurnView) view.setPluginActions(actions);
    }
  }

  /** Applies pending changes to the DOM. Returns true if it needs another frame. */
  render(): boolean {
    if (this.retryOfferChanged) {
      this.retryOfferChanged = false;
      this.updateRetryOffer();
    }
    let again = false;
    for (const view of this.views) {
      if (view instanceof AssistantTurnView && view.isDirty) again = view.render() || again;
    }
    return again;
  }

  private addView(turn: Turn): void {
    const view = turn.role === 'user' ? new UserTurnView(turn) : new AssistantTurnView(turn as AssistantTurn, this.pluginActions, this.announce);
    this.views.push(view);
    this.byId.set(turn.id, view);
    this.element.append(view.element);
  }

  /** Retry re-asks the last question, so only the last answer offers it, and only when idle. */
  private updateRetryOffer(): void {
    const last = this.views.findLast((view): view is AssistantTurnView => view instanceof AssistantTurnView);
    for (const view of this.views) {
      if (view instanceof AssistantTurnView) view.setOfferRetry(view === last && !this.busy && !view.isStreaming);
    }
  }

  private onClick(event: MouseEvent): void {
    const target = event.target instanceof Element ? event.target.closest<HTMLElement>('button[data-action]') : null;
    if (target === null || !this.element.contains(target)) return;
    const message = this.messageFor(target, target.closest<HTMLElement>('.turn')?.dataset.turnId);
    if (message !== undefined) this.post(message);
  }

  private messageFor(target: HTMLElement, turnId: string | undefined): WebviewToHost | undefined {
    switch (target.dataset.action) {
      case 'retry':
        return { type: 'retry' };
      case 'recover': {
        const action = target.dataset.recovery;
        return action !== undefined && Object.hasOwn(RECOVERY_ACTION_LABELS, action)
          ? { type: 'recover', action: action as RecoveryActionId }
          : undefined;
      }
      case 'code':
        return codeActionFor(target);
      case 'plugin-action': {
        const actionKey = target.dataset.actionKey;
        const known = this.pluginActions.some((action) => action.key === actionKey);
        return actionKey !== undefined && known && turnId !== undefined && this.byId.get(turnId) instanceof AssistantTurnView
          ? { type: 'runAction', actionKey, turnId }
          : undefined;
      }
      case TOOL_APPROVE_ACTION: {
        const decision = target.dataset.decision;
        const callId = target.closest<HTMLElement>('section.tool-call')?.dataset.callId;
        const view = turnId === undefined ? undefined : this.byId.get(turnId);
        // The card disables its buttons at once; the host answers with the call's new status.
        return isToolDecision(decision) && callId !== undefined && view instanceof AssistantTurnView && view.decideToolCall(callId)
          ? { type: 'approveToolCall', callId, decision }
          : undefined;
      }
      default:
        return undefined;
    }
  }

  private onToggle(event: Event): void {
    const details = event.target;
    if (!(details instanceof HTMLDetailsElement)) return;
    const role = details.dataset.role;
    if (role !== 'reasoning' && role !== 'tool-result') return;
    const turnId = details.closest<HTMLElement>('.turn')?.dataset.turnId;
    const view = turnId === undefined ? undefined : this.byId.get(turnId);
    if (!(view instanceof AssistantTurnView)) return;
    if (role === 'reasoning') {
      view.reasoningToggled();
    } else {
      const callId = details.closest<HTMLElement>('section.tool-call')?.dataset.callId;
      if (callId !== undefined) view.toolResultToggled(callId);
    }
  }
}
