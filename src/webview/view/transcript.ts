/**
 * The message list. It owns one view per turn and the only click listener of the whole list:
 * buttons in turns are found through `data-action`, which model output cannot carry, so no
 * listener is ever added per render and none leaks when turns are replaced.
 *
 * A long conversation comes a page at a time: only the turns the host sent are built, and a
 * button at the top asks for the earlier ones, which are put before the first shown turn (the
 * others are left alone) with the scroll offset corrected in the same frame, so the view does not
 * move under the reader.
 *
 *   div.transcript[role=log]
 *     div.transcript-empty
 *     div.load-earlier[hidden] > button.load-earlier-button[aria-label="Show Earlier Messages"][data-action=load-earlier]
 *     article.turn*   (see userTurnView.ts, assistantTurnView.ts)
 */
import type {
  AnswerSource, ActionButton, AssistantTurn, ConversationPage, RecoveryActionId, ToolCallView, ToolsOffered, Turn, WebviewToHost,
} from '../../protocol/messages';
import { button, el } from '../dom';
import { AssistantTurnView, type TurnParkingMeasure } from './assistantTurnView';
import { codeActionFor, showCopied } from './codeBlockActions';
import { PROPOSAL_DECIDE_ACTION, TOOL_APPROVE_ACTION, type Announce } from './toolCallCard';
import { isToolDecision } from './toolCallText';
import { OffscreenTurns, residencyStep } from './offscreenTurns';
import { earlierButtonText, earlierCount, scrollTopAfterPrepend, SHOW_EARLIER_LABEL, turnsToPrepend } from './transcriptPage';
import { RECOVERY_ACTION_LABELS } from './turnText';
import { UserTurnView } from './userTurnView';

type TurnView = UserTurnView | AssistantTurnView;

/** How long the log stays quiet after earlier turns were put in (they are history, not news). */
const PREPEND_QUIET_MS = 1000;
/**
 * Markdown rendering per frame, in ms: with the frame's style, layout and paint on top it stays
 * well under the 50 ms that makes a task "long" (and the page unresponsive to a key).
 */
const MARKDOWN_BUDGET_MS = 10;

export class Transcript {
  readonly element = el('div', {
    className: 'transcript',
    attrs: { role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation', tabindex: '0' },
  });
  private readonly emptyHint = el('div', { className: 'transcript-empty' },
    el('p', { text: 'Ask a question about your code.' }),
    el('p', { text: 'Select text in the editor to include it with your question.' }));
  private readonly earlierButton = button(SHOW_EARLIER_LABEL, '', {
    className: 'load-earlier-button',
    attrs: { 'data-action': 'load-earlier' },
  });
  private readonly earlierRow = el('div', { className: 'load-earlier', hidden: true }, this.earlierButton);
  /** In order; the first `pendingPrepend.length` are earlier turns not yet put in the DOM. */
  private views: TurnView[] = [];
  private readonly byId = new Map<string, TurnView>();
  private pendingPrepend: TurnView[] = [];
  private conversationId = '';
  private earlier = 0;
  private loadingEarlier = false;
  private earlierChanged = true;
  /** The Show Earlier button had focus when pressed; it keeps it (or the log gets it) afterwards. */
  private earlierHadFocus = false;
  private quietTimer: ReturnType<typeof setTimeout> | undefined;
  private editingTurnId: string | undefined;
  private keptPosition = false;
  private busy = false;
  private pluginActions: readonly ActionButton[] = [];
  private retryOfferChanged = true;
  private readonly offscreen: OffscreenTurns;
  /**
   * Whether the next render looks for answers to park or restore: turns went far or came near,
   * or the last look left far answers it could not park yet (still rendering, or in use).
   * Streaming frames skip the look otherwise.
   */
  private residencyChanged = false;

  constructor(
    private readonly post: (message: WebviewToHost) => void,
    /** Where a tool call that waits for the user is announced (the status line). */
    private readonly announce: Announce = () => undefined,
    /** The user pressed Edit on a question. */
    private readonly onEdit: (turnId: string, text: string) => void = () => undefined,
    /** Asks for a render (answers went far off screen or came near). */
    requestRender: () => void = () => undefined,
  ) {
    this.offscreen = new OffscreenTurns(this.element, () => {
      this.residencyChanged = true;
      requestRender();
    });
    this.element.append(this.emptyHint, this.earlierRow);
    this.element.addEventListener('click', (event) => this.onClick(event));
    // `toggle` does not bubble; one capturing listener serves every reasoning and result section.
    this.element.addEventListener('toggle', (event) => this.onToggle(event), true);
  }

  /** Shows a conversation's page: its latest turns, and how many earlier ones there are. */
  reset(page: ConversationPage): void {
    for (const view of this.views) {
      if (view instanceof AssistantTurnView) view.dispose();
    }
    this.offscreen.unwatchAll();
    this.views = [];
    this.byId.clear();
    this.pendingPrepend = [];
    this.conversationId = page.conversation.id;
    this.earlier = earlierCount(page.earlier);
    this.loadingEarlier = false;
    this.earlierChanged = true;
    this.element.replaceChildren(this.emptyHint, this.earlierRow);
    for (const turn of page.conversation.turns) this.addView(turn);
    this.updateEmptyHint();
    this.retryOfferChanged = true;
  }

  /**
   * Earlier turns of the shown conversation, asked for with `loadEarlier`. They go into the DOM
   * in the next render, which keeps the scroll position; turns shown already are skipped.
   */
  prepend(conversationId: string, turns: readonly Turn[], earlier: number): void {
    if (conversationId !== this.conversationId) return;
    const views = turnsToPrepend(turns, (id) => this.byId.has(id)).map((turn) => this.createView(turn));
    for (const view of views) this.byId.set(view.id, view);
    this.views = [...views, ...this.views];
    this.pendingPrepend = [...views, ...this.pendingPrepend];
    this.earlier = earlierCount(earlier);
    this.loadingEarlier = false;
    this.earlierChanged = true;
    this.updateEmptyHint();
    this.retryOfferChanged = true;
  }

  /** Turns taken out of the conversation (Delete, or Edit and Resend replacing what followed). */
  remove(turnIds: readonly string[]): void {
    const removed = new Set<TurnView>();
    for (const id of turnIds) {
      const view = this.byId.get(id);
      if (view === undefined) continue;
      removed.add(view);
      this.byId.delete(id);
    }
    if (removed.size === 0) return;
    const focusWasInRemoved = [...removed].some((view) => view.element.contains(document.activeElement));
    for (const view of removed) {
      if (view instanceof AssistantTurnView) view.dispose();
      this.offscreen.unwatch(view.element);
      view.element.remove();
    }
    this.views = this.views.filter((view) => !removed.has(view));
    this.pendingPrepend = this.pendingPrepend.filter((view) => !removed.has(view));
    // Focus was on a Delete button that is gone: keep the user in the conversation.
    if (focusWasInRemoved) this.element.focus({ preventScroll: true });
    this.updateEmptyHint();
    this.retryOfferChanged = true;
  }

  /** The last question shown, for ArrowUp in an empty input. */
  lastQuestion(): { turnId: string; text: string } | undefined {
    const view = this.views.findLast((candidate): candidate is UserTurnView => candidate instanceof UserTurnView);
    return view === undefined ? undefined : { turnId: view.id, text: view.text };
  }

  /** Marks the question the input is editing (undefined: none). */
  setEditing(turnId: string | undefined): void {
    if (turnId === this.editingTurnId) return;
    const previous = this.editingTurnId === undefined ? undefined : this.byId.get(this.editingTurnId);
    if (previous instanceof UserTurnView) previous.setBeingEdited(false);
    this.editingTurnId = turnId;
    const next = turnId === undefined ? undefined : this.byId.get(turnId);
    if (next instanceof UserTurnView) next.setBeingEdited(true);
  }

  addTurn(turn: Turn): void {
    if (this.byId.has(turn.id)) {
      this.updateTurn(turn);
      return;
    }
    this.addView(turn);
    this.updateEmptyHint();
    this.retryOfferChanged = true;
  }

  updateTurn(turn: Turn): void {
    // A finished or changed answer may be far already: it is not parked before it is settled.
    this.residencyChanged = true;
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

  setPluginStatus(turnId: string, text: string | undefined): void {
    const view = this.byId.get(turnId);
    if (view instanceof AssistantTurnView) view.setPluginStatus(text);
  }

  setCitations(turnId: string, citations: readonly AnswerSource[]): void {
    const view = this.byId.get(turnId);
    if (view instanceof AssistantTurnView) view.setCitations(citations);
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

  /** Whether the last render put earlier turns in and kept the reader's place (see ScrollFollower.recheck). */
  get keptScrollPosition(): boolean {
    return this.keptPosition;
  }

  /**
   * Applies pending changes to the DOM. Returns true if it needs another frame: the markdown of
   * the answers gets a time budget per frame, and what does not fit waits for the next one.
   */
  render(): boolean {
    const deadline = performance.now() + MARKDOWN_BUDGET_MS;
    // Measured before anything in this frame moves it.
    const anchor = this.pendingPrepend.length > 0 ? this.insertPrepended() : undefined;
    // Its layout reads come before this frame's other writes.
    this.updateResidency();
    this.keptPosition = anchor !== undefined;
    if (this.earlierChanged) {
      this.earlierChanged = false;
      this.renderEarlierButton();
    }
    if (this.retryOfferChanged) {
      this.retryOfferChanged = false;
      this.updateRetryOffer();
    }
    let again = false;
    for (const view of this.views) {
      if (view instanceof AssistantTurnView && view.isDirty) again = view.render(deadline) || again;
    }
    if (anchor !== undefined) {
      // The earlier turns are rendered now: move the view by exactly what was put above the anchor.
      this.element.scrollTop = scrollTopAfterPrepend(this.element.scrollTop, anchor.top, anchor.element.getBoundingClientRect().top);
    }
    return again;
  }

  private createView(turn: Turn): TurnView {
    const view = turn.role === 'user' ? new UserTurnView(turn) : new AssistantTurnView(turn as AssistantTurn, this.pluginActions, this.announce);
    if (view instanceof UserTurnView && turn.id === this.editingTurnId) view.setBeingEdited(true);
    if (view instanceof AssistantTurnView) this.offscreen.watch(view.element);
    return view;
  }

  /**
   * Answers far off screen drop their rendered markdown and keep their text; those that came
   * near are rendered again (see offscreenTurns.ts). All heights are read before the first drop.
   */
  private updateResidency(): void {
    if (!this.residencyChanged) return;
    this.residencyChanged = false;
    const toPark: Array<[AssistantTurnView, TurnParkingMeasure]> = [];
    for (const view of this.views) {
      if (!(view instanceof AssistantTurnView)) continue;
      const near = !this.offscreen.isFar(view.element);
      const step = residencyStep({
        near,
        parked: view.isParked,
        settled: view.isSettled,
        inUse: () => view.isInUse,
      });
      if (step === 'park') toPark.push([view, view.measureForParking()]);
      else if (step === 'restore') view.restore();
      // Far but still rendering or in use: looked at again in the next render.
      else if (!near && !view.isParked) this.residencyChanged = true;
    }
    for (const [view, measure] of toPark) view.park(measure);
  }

  private addView(turn: Turn): void {
    const view = this.createView(turn);
    this.views.push(view);
    this.byId.set(turn.id, view);
    this.element.append(view.element);
  }

  /**
   * Puts the earlier turns before the first turn shown so far, and returns that turn with where
   * it was on screen, so the render can put it back there.
   */
  private insertPrepended(): { element: HTMLElement; top: number } | undefined {
    const pending = this.pendingPrepend;
    this.pendingPrepend = [];
    const first = this.views[pending.length]?.element;
    const anchor = first === undefined ? undefined : { element: first, top: first.getBoundingClientRect().top };
    // History coming back is not news: keep the live log from reading all of it out.
    this.element.setAttribute('aria-live', 'off');
    if (this.quietTimer !== undefined) clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => this.element.setAttribute('aria-live', 'polite'), PREPEND_QUIET_MS);
    const fragment = document.createDocumentFragment();
    fragment.append(...pending.map((view) => view.element));
    this.element.insertBefore(fragment, first ?? null);
    return anchor;
  }

  private renderEarlierButton(): void {
    const shown = this.earlier > 0;
    const hadFocus = this.earlierHadFocus || document.activeElement === this.earlierButton;
    this.earlierRow.hidden = !shown;
    this.earlierButton.textContent = earlierButtonText(this.earlier, this.loadingEarlier);
    this.earlierButton.disabled = this.loadingEarlier;
    this.earlierButton.setAttribute('aria-busy', String(this.loadingEarlier));
    if (this.loadingEarlier || !hadFocus) return;
    this.earlierHadFocus = false;
    const focusLost = document.activeElement === null || document.activeElement === document.body;
    if (focusLost) (shown ? this.earlierButton : this.element).focus({ preventScroll: true });
  }

  private updateEmptyHint(): void {
    this.emptyHint.hidden = this.views.length > 0 || this.earlier > 0;
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
    const view = turnId === undefined ? undefined : this.byId.get(turnId);
    switch (target.dataset.action) {
      case 'retry':
        return { type: 'retry' };
      case 'retryWithModel':
        return { type: 'retryWithModel' };
      case 'load-earlier':
        if (this.loadingEarlier || this.earlier === 0 || this.conversationId === '') return undefined;
        this.loadingEarlier = true;
        this.earlierHadFocus = document.activeElement === this.earlierButton;
        // Disabled at once, so a second click cannot ask twice; the host's answer enables it again.
        this.renderEarlierButton();
        return { type: 'loadEarlier', conversationId: this.conversationId };
      case 'edit':
        if (view instanceof UserTurnView) this.onEdit(view.id, view.text);
        return undefined;
      case 'copyMessage':
        if (view === undefined || turnId === undefined) return undefined;
        // The host copies (the webview has no clipboard access); the button only says it did.
        showCopied(target);
        return { type: 'copyMessage', turnId };
      case 'deleteTurn':
        return view === undefined || turnId === undefined ? undefined : { type: 'deleteTurn', turnId };
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
        return actionKey !== undefined && known && turnId !== undefined && view instanceof AssistantTurnView
          ? { type: 'runAction', actionKey, turnId }
          : undefined;
      }
      case PROPOSAL_DECIDE_ACTION: {
        const decision = target.dataset.decision;
        const proposalId = target.dataset.proposalId;
        if ((decision !== 'accept' && decision !== 'reject') || proposalId === undefined || !(target instanceof HTMLButtonElement)) return undefined;
        // Disabled at once, so a second click cannot ask twice; the host answers with the card's new state.
        for (const sibling of target.parentElement?.querySelectorAll('button') ?? []) sibling.disabled = true;
        return { type: 'decideProposal', proposalId, decision };
      }
      case TOOL_APPROVE_ACTION: {
        const decision = target.dataset.decision;
        const callId = target.closest<HTMLElement>('section.tool-call')?.dataset.callId;
        // The card disables its buttons at once; the host answers with the call's new status.
        return isToolDecision(decision) && callId !== undefined && view instanceof AssistantTurnView && view.decideToolCall(callId)
          ? { type: 'approveToolCall', callId, decision }
          : undefined;
      }
      case undefined:
      default:
        // A button of another kind (or none): nothing to send.
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
