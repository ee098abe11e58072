/**
 * One assistant answer: model label, collapsible reasoning, the answer, then status, buttons and
 * usage. Incoming changes only update state and mark what changed; `render` (once per frame)
 * touches the DOM, and only the parts that changed.
 *
 *   article.turn.turn-assistant[data-turn-id][data-status]
 *     div.turn-header > span.turn-role + span.turn-model
 *     div.context-note[role=note][hidden] > span.context-note-icon[aria-hidden] + span.context-note-text
 *     details.turn-reasoning[hidden] > summary.turn-reasoning-summary + div.turn-reasoning-body.markdown
 *     details.tools-offered[hidden]         (see toolsOfferedLine.ts)
 *     div.tool-calls[hidden] > section.tool-call*   (see toolCallList.ts, toolCallCard.ts)
 *     div.turn-answer.markdown > div.md-block* (div.md-block.md-pending while streaming)
 *     div.turn-refusal[role=note][hidden] > span.turn-refusal-label + span.turn-refusal-text
 *     div.turn-progress (while streaming and nothing arrived yet)
 *     div.turn-plugin-status[role=status][hidden]   a plugin's "searching docs…" while the answer streams
 *     section.turn-sources[hidden]   (see answerSources.ts)
 *     div.turn-status[data-kind] > span.turn-status-text + span.turn-status-hint
 *     div.turn-actions[role=group][aria-label="Message actions"]
 *       > button[data-action]* (Retry, Retry with Another Model, recovery actions)
 *       + button.plugin-action[data-action=plugin-action][data-action-key]*
 *       + button.message-action[data-action=copyMessage|deleteTurn] (Copy, Delete)
 *     div.turn-usage   ("12 in · 340 out · 42 tok/s · first token 0.4 s")
 */
import type { ActionButton, AnswerSource, AssistantTurn, ToolCallView, ToolsOffered } from '../../protocol/messages';
import { button, el } from '../dom';
import type { ParkingMeasure } from '../render/parkedBlocks';
import { StreamingMarkdown } from '../render/streamingMarkdown';
import { AnswerSources } from './answerSources';
import type { Announce } from './toolCallCard';
import { ToolCallList } from './toolCallList';
import { ToolsOfferedLine } from './toolsOfferedLine';
import {
  answerMessageButtons, pluginActionsFor, pluginActionTitle, reasoningSummary, turnButtons, turnStatusText, usageText,
} from './turnText';

export interface TurnParkingMeasure {
  answer: ParkingMeasure | undefined;
  reasoning: ParkingMeasure | undefined;
}

/** A turn without its texts: those live in the markdown views only (a long answer is kept once). */
type TurnFacts = Omit<AssistantTurn, 'content' | 'reasoning'>;

function factsOf(turn: AssistantTurn): TurnFacts {
  const { content: _content, reasoning: _reasoning, ...facts } = turn;
  return facts;
}

export class AssistantTurnView {
  readonly element: HTMLElement;
  private turn: TurnFacts;
  private offerRetry = false;
  private pluginActions: readonly ActionButton[];
  private chromeChanged = true;
  /** Only the buttons changed (plugins came or went): the rest of the turn is left alone. */
  private actionsChanged = true;
  /** What the buttons row shows now, to leave it alone when nothing in it changed. */
  private shownActions = '';

  private readonly modelLabel = el('span', { className: 'turn-model' });
  /** What was left out of the model's window: the user must see it, so it is not collapsed. */
  private readonly contextNoteText = el('span', { className: 'context-note-text' });
  private readonly contextNote = el('div', { className: 'context-note', hidden: true, attrs: { role: 'note' } },
    el('span', { className: 'context-note-icon', text: 'ℹ', attrs: { 'aria-hidden': 'true' } }),
    this.contextNoteText);
  private readonly reasoningDetails = el('details', { className: 'turn-reasoning', hidden: true });
  private readonly reasoningSummary = el('summary', { className: 'turn-reasoning-summary' });
  private readonly reasoning = new StreamingMarkdown(el('div', { className: 'turn-reasoning-body markdown' }));
  private readonly toolsOffered = new ToolsOfferedLine();
  private readonly toolCalls: ToolCallList;
  private toolsOfferedChanged = true;
  private readonly answer = new StreamingMarkdown(el('div', { className: 'turn-answer markdown' }));
  /** The model declined: its words, plain text, marked so nobody takes them for an answer. */
  private readonly refusalText = el('span', { className: 'turn-refusal-text' });
  private readonly refusal = el('div', { className: 'turn-refusal', hidden: true, attrs: { role: 'note' } },
    el('span', { className: 'turn-refusal-label', text: 'Refused: ' }),
    this.refusalText);
  private readonly progress = el('div', { className: 'turn-progress', attrs: { 'aria-hidden': 'true' } },
    el('span'), el('span'), el('span'));
  /** What a plugin says it is doing while the answer streams; gone when the answer ends. */
  private readonly pluginStatus = el('div', { className: 'turn-plugin-status', hidden: true, attrs: { role: 'status' } });
  private pluginStatusText: string | undefined;
  private readonly sources = new AnswerSources();
  private readonly status = el('div', { className: 'turn-status', hidden: true });
  private readonly actions = el('div', {
    className: 'turn-actions',
    hidden: true,
    attrs: { role: 'group', 'aria-label': 'Message actions' },
  });
  private readonly usage = el('div', { className: 'turn-usage', hidden: true });

  constructor(turn: AssistantTurn, pluginActions: readonly ActionButton[], announce: Announce) {
    this.turn = factsOf(turn);
    this.pluginActions = pluginActions;
    this.toolCalls = new ToolCallList(turn.toolCalls ?? [], turn.status === 'streaming', announce);
    this.reasoningDetails.dataset.role = 'reasoning';
    this.reasoningDetails.append(this.reasoningSummary, this.reasoning.element);
    this.element = el('article', { className: 'turn turn-assistant', attrs: { 'aria-label': 'Assistant' } },
      el('div', { className: 'turn-header' }, el('span', { className: 'turn-role', text: 'Assistant' }), this.modelLabel),
      this.contextNote,
      this.reasoningDetails,
      this.toolsOffered.element,
      this.toolCalls.element,
      this.answer.element,
      this.refusal,
      this.progress,
      this.pluginStatus,
      this.sources.element,
      this.status,
      this.actions,
      this.usage);
    this.element.dataset.turnId = turn.id;
    const finished = turn.status !== 'streaming';
    this.answer.replace(turn.content, finished);
    this.reasoning.replace(turn.reasoning, finished);
  }

  get id(): string {
    return this.turn.id;
  }

  get isStreaming(): boolean {
    return this.turn.status === 'streaming';
  }

  get isDirty(): boolean {
    return this.chromeChanged || this.actionsChanged || this.toolsOfferedChanged || this.toolCalls.isDirty
      || this.answer.isDirty || (this.reasoningDetails.open && this.reasoning.isDirty);
  }

  appendDelta(content: string | undefined, reasoning: string | undefined): void {
    if (reasoning) this.reasoning.append(reasoning);
    if (content) this.answer.append(content);
    // The reasoning section and progress dots appear with the first text.
    if ((reasoning && this.reasoningDetails.hidden) || (content && !this.progress.hidden)) this.chromeChanged = true;
  }

  /** What was streamed as the answer was reasoning after all (a `</think>` without `<think>`). */
  reclassify(): void {
    const movedText = this.answer.text;
    this.answer.clear();
    this.reasoning.append(movedText);
    this.chromeChanged = true;
  }

  /** The host's state of the turn; its texts are authoritative. */
  update(turn: AssistantTurn): void {
    this.turn = factsOf(turn);
    const finished = turn.status !== 'streaming';
    this.answer.syncTo(turn.content, finished);
    this.reasoning.syncTo(turn.reasoning, finished);
    this.toolCalls.sync(turn.toolCalls ?? []);
    this.toolCalls.setAnswerRunning(!finished);
    this.toolsOfferedChanged = true;
    this.chromeChanged = true;
  }

  /** A plugin's status line under the answer; undefined clears it. */
  setPluginStatus(text: string | undefined): void {
    this.pluginStatusText = text;
    this.chromeChanged = true;
  }

  setCitations(citations: readonly AnswerSource[]): void {
    this.turn = { ...this.turn, citations: [...citations] };
    this.chromeChanged = true;
  }

  /** A tool call was added or changed: only its card is rendered again. */
  updateToolCall(call: ToolCallView): void {
    const calls = this.turn.toolCalls ?? [];
    const index = calls.findIndex((existing) => existing.id === call.id);
    this.turn = { ...this.turn, toolCalls: index === -1 ? [...calls, call] : calls.map((existing, i) => (i === index ? call : existing)) };
    this.toolCalls.upsert(call);
  }

  setToolsOffered(offered: ToolsOffered): void {
    this.turn = { ...this.turn, toolsOffered: offered };
    this.toolsOfferedChanged = true;
  }

  /** The user answered a call's approval card; false when that card does not wait (any more). */
  decideToolCall(callId: string): boolean {
    return this.toolCalls.decide(callId);
  }

  toolResultToggled(callId: string): void {
    this.toolCalls.resultToggled(callId);
  }

  /** Its answer's (or open reasoning's) DOM was dropped while far off screen. */
  get isParked(): boolean {
    return this.answer.isParked || this.reasoning.isParked;
  }

  /** Finished, with nothing left to render: its markdown may be parked. */
  get isSettled(): boolean {
    return !this.isStreaming && !this.isDirty;
  }

  /** Keyboard focus or part of the user's selection is inside: dropping its DOM would lose them. */
  get isInUse(): boolean {
    const active = document.activeElement;
    if (active !== null && this.element.contains(active)) return true;
    const selection = document.getSelection();
    return selection !== null && !selection.isCollapsed && selection.containsNode(this.element, true);
  }

  /** Layout reads for `park`, taken before any DOM write of the frame. */
  measureForParking(): TurnParkingMeasure {
    return { answer: this.answer.measureForParking(), reasoning: this.reasoning.measureForParking() };
  }

  /** Drops the rendered markdown, keeping its text (the rest of the turn, buttons and tool cards stay). */
  park(measure: TurnParkingMeasure): void {
    if (measure.answer !== undefined) this.answer.park(measure.answer);
    if (measure.reasoning !== undefined) this.reasoning.park(measure.reasoning);
  }

  /** Renders parked markdown again, in the next renders. */
  restore(): void {
    this.answer.restore();
    this.reasoning.restore();
  }

  /** The turn leaves the page. */
  dispose(): void {
    this.toolCalls.dispose();
  }

  setOfferRetry(offer: boolean): void {
    if (offer === this.offerRetry) return;
    this.offerRetry = offer;
    this.actionsChanged = true;
  }

  setPluginActions(actions: readonly ActionButton[]): void {
    if (actions === this.pluginActions) return;
    this.pluginActions = actions;
    this.actionsChanged = true;
  }

  /** Applies pending changes to the DOM, markdown until `deadline`. Returns true if it needs another frame. */
  render(deadline?: number): boolean {
    let again = this.answer.render(deadline);
    if (this.reasoningDetails.open) again = this.reasoning.render(deadline) || again;
    if (this.toolsOfferedChanged) {
      this.toolsOfferedChanged = false;
      this.toolsOffered.show(this.turn.toolsOffered);
    }
    this.toolCalls.render();
    if (this.chromeChanged) {
      this.chromeChanged = false;
      this.actionsChanged = true;
      this.renderChrome();
    }
    if (this.actionsChanged) {
      this.actionsChanged = false;
      this.renderActions();
    }
    return again;
  }

  /** Reasoning is rendered only while its section is open; catch up when it opens. */
  reasoningToggled(): void {
    if (this.reasoningDetails.open) this.reasoning.renderNow();
  }

  private renderChrome(): void {
    const { turn } = this;
    this.element.dataset.status = turn.status;
    this.modelLabel.textContent = turn.model?.label ?? '';
    this.modelLabel.hidden = turn.model === undefined;

    const note = turn.contextNote ?? '';
    this.contextNote.hidden = note === '';
    if (this.contextNoteText.textContent !== note) this.contextNoteText.textContent = note;

    this.reasoningDetails.hidden = this.reasoning.text === '';
    this.reasoningSummary.textContent = reasoningSummary(turn.status);

    const refusal = turn.refusal ?? '';
    this.refusal.hidden = refusal === '';
    if (this.refusalText.textContent !== refusal) this.refusalText.textContent = refusal;

    this.progress.hidden = !(turn.status === 'streaming' && this.answer.text === '' && refusal === '');

    // A status line belongs to a streaming answer only: whatever ended it, it goes.
    const pluginStatus = turn.status === 'streaming' ? this.pluginStatusText ?? '' : '';
    this.pluginStatus.hidden = pluginStatus === '';
    if (this.pluginStatus.textContent !== pluginStatus) this.pluginStatus.textContent = pluginStatus;
    this.sources.show(turn.citations);

    const status = turnStatusText(turn);
    this.status.hidden = status === undefined;
    if (status === undefined) {
      this.status.replaceChildren();
      delete this.status.dataset.kind;
    } else {
      this.status.dataset.kind = status.kind;
      this.status.replaceChildren(el('span', { className: 'turn-status-text', text: status.text }));
      if (status.hint !== undefined) this.status.append(el('span', { className: 'turn-status-hint', text: status.hint }));
    }

    const usage = usageText(turn);
    this.usage.hidden = usage === undefined;
    this.usage.textContent = usage ?? '';
  }

  /** Retry and recovery buttons, then the plugins' actions; found by the transcript's one listener. */
  private renderActions(): void {
    const recovery = turnButtons(this.turn, this.offerRetry);
    const plugin = pluginActionsFor(this.turn, this.pluginActions);
    const own = answerMessageButtons(this.turn);
    // Rebuilding the row would drop keyboard focus from its buttons and, inside the live log,
    // may be announced again; an `extensions` message often repeats the same actions.
    const shown = JSON.stringify([recovery.map((b) => b.label), plugin, own.map((b) => b.label)]);
    if (shown === this.shownActions) return;
    this.shownActions = shown;
    const focused = this.actions.contains(document.activeElement) ? document.activeElement?.getAttribute('aria-label') : undefined;
    const buttons = recovery.map(({ label, message }) => {
      const secondary = message.type === 'retry' || message.type === 'retryWithModel';
      const element = button(label, label, { className: secondary ? 'turn-action secondary' : 'turn-action' });
      element.dataset.action = message.type;
      if (message.type === 'recover') element.dataset.recovery = message.action;
      return element;
    });
    for (const action of plugin) {
      const element = button(action.label, action.label, {
        className: 'turn-action plugin-action',
        attrs: { title: pluginActionTitle(action) },
      });
      element.dataset.action = 'plugin-action';
      element.dataset.actionKey = action.key;
      buttons.push(element);
    }
    own.forEach(({ label, message }, index) => {
      // The first of them starts the group at the far end of the row.
      const className = index === 0 ? 'turn-action message-action message-actions-start' : 'turn-action message-action';
      buttons.push(button(label, label, { className, attrs: { 'data-action': message.type } }));
    });
    this.actions.hidden = buttons.length === 0;
    this.actions.replaceChildren(...buttons);
    // Retry appearing or going (busy changed) must not throw keyboard focus off the row.
    if (focused !== undefined && focused !== null) {
      buttons.find((element) => element.getAttribute('aria-label') === focused)?.focus({ preventScroll: true });
    }
  }
}
