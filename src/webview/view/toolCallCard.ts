/**
 * One tool call of an answer, as a card the user keeps control of: what is called with which
 * arguments, its status, the approval buttons while it waits, and its result, collapsed.
 * Everything on it comes from the model or the tool and is shown as text; the result goes
 * through the same markdown and sanitizer path as answers, inside a code fence, and only once
 * its section is first opened. Clicks are handled by the transcript's one delegated listener.
 *
 *   section.tool-call[data-call-id][data-status][aria-label="Tool call <tool>"][tabindex=-1]
 *     div.tool-call-header > span.tool-call-name + span.tool-call-plugin + span.tool-call-status
 *     div.tool-call-request > span.tool-call-method + span.tool-call-url    (HTTP tools only)
 *     pre.tool-call-arguments
 *     div.tool-call-note
 *     div.tool-call-progress[role=status] > progress + span   (while a tool reports progress)
 *     div.tool-call-images > img[alt]*                        (data:image URIs of the result only)
 *     div.tool-call-buttons[role=group] > button[data-action=tool-approve][data-decision]*
 *     div.tool-call-proposal[data-state] > span.tool-call-proposal-text + div.tool-call-proposal-note
 *       + div[role=group] > button[data-action=proposal-decide][data-decision][data-proposal-id]*   (a proposed edit)
 *     details.tool-call-result[data-role=tool-result] > summary + div.tool-call-result-body.markdown
 */
import type { ToolCallProposal, ToolCallView } from '../../protocol/messages';
import { button, el } from '../dom';
import { renderMarkdownInto } from '../render/markdown';
import {
  approvalAnnouncement, mayTakeFocusForApproval, proposalButtons, toolCallButtons, toolCallRequestLine, toolCallStatusLabel,
  toolCallImages, toolCallProgressText, toolResultMarkdown, toolResultSummary,
} from './toolCallText';

/** Says something in the status line (a live region) under `key`; undefined takes it back. */
export type Announce = (key: string, text: string | undefined) => void;

export const TOOL_APPROVE_ACTION = 'tool-approve';
export const PROPOSAL_DECIDE_ACTION = 'proposal-decide';

export class ToolCallCard {
  readonly element: HTMLElement;
  private call: ToolCallView;
  private answerRunning: boolean;
  private dirty = true;
  /** The buttons shown now, to leave the row (and its focus) alone when they do not change. */
  private shownButtons = '';
  private waiting = false;
  /** The user answered from the keyboard or mouse: keep focus on the card when the buttons go. */
  private keepFocusOnCard = false;
  /** The result text rendered into the body; undefined when the body is empty. */
  private renderedResult: string | undefined;

  private readonly name = el('span', { className: 'tool-call-name' });
  private readonly plugin = el('span', { className: 'tool-call-plugin' });
  private readonly status = el('span', { className: 'tool-call-status' });
  private readonly method = el('span', { className: 'tool-call-method' });
  private readonly url = el('span', { className: 'tool-call-url' });
  private readonly request = el('div', { className: 'tool-call-request' }, this.method, document.createTextNode(' '), this.url);
  private readonly args = el('pre', { className: 'tool-call-arguments' });
  private readonly note = el('div', { className: 'tool-call-note' });
  private readonly progressBar = el('progress', { className: 'tool-call-progress-bar' });
  private readonly progressText = el('span', { className: 'tool-call-progress-text' });
  private readonly progress = el('div', { className: 'tool-call-progress', hidden: true, attrs: { role: 'status' } }, this.progressBar, this.progressText);
  private readonly images = el('div', { className: 'tool-call-images', hidden: true });
  /** The image URIs shown now, so a redraw does not decode them again. */
  private shownImages = '';
  private readonly buttons = el('div', { className: 'tool-call-buttons', hidden: true, attrs: { role: 'group' } });
  private readonly proposalText = el('span', { className: 'tool-call-proposal-text' });
  private readonly proposalNote = el('div', { className: 'tool-call-proposal-note' });
  private readonly proposalButtons = el('div', { className: 'tool-call-buttons', attrs: { role: 'group' } });
  private readonly proposal = el('div', { className: 'tool-call-proposal', hidden: true }, this.proposalText, this.proposalNote, this.proposalButtons);
  /** The proposal shown now, so a redraw leaves its buttons (and their focus) alone. */
  private shownProposal = '';
  private readonly resultSummary = el('summary', { className: 'tool-call-result-summary' });
  private readonly resultBody = el('div', { className: 'tool-call-result-body markdown' });
  private readonly result = el('details', { className: 'tool-call-result', hidden: true, attrs: { 'data-role': 'tool-result' } },
    this.resultSummary, this.resultBody);

  constructor(call: ToolCallView, answerRunning: boolean, private readonly announce: Announce) {
    this.call = call;
    this.answerRunning = answerRunning;
    this.element = el('section', { className: 'tool-call', attrs: { tabindex: '-1' } },
      el('div', { className: 'tool-call-header' }, this.name, this.plugin, this.status),
      this.request,
      this.args,
      this.note,
      this.progress,
      this.images,
      this.buttons,
      this.proposal,
      this.result);
    this.element.dataset.callId = call.id;
  }

  get id(): string {
    return this.call.id;
  }

  get isDirty(): boolean {
    return this.dirty;
  }

  update(call: ToolCallView): void {
    this.call = call;
    this.dirty = true;
  }

  setAnswerRunning(running: boolean): void {
    if (running === this.answerRunning) return;
    this.answerRunning = running;
    this.dirty = true;
  }

  /** The user chose on this card: its buttons are disabled until the host says what happened. */
  decide(): boolean {
    const enabled = [...this.buttons.querySelectorAll('button')].filter((b) => !b.disabled);
    if (!this.waiting || enabled.length === 0) return false;
    this.keepFocusOnCard = this.buttons.contains(document.activeElement) || document.activeElement === document.body;
    for (const element of enabled) element.disabled = true;
    return true;
  }

  /** The card leaves the page: whatever it said in the status line goes too. */
  dispose(): void {
    if (this.waiting) this.announce(this.noteKey, undefined);
    this.waiting = false;
  }

  /** The result section was opened or closed: render the result the first time it is seen. */
  resultToggled(): void {
    if (this.result.open) this.renderResult();
  }

  render(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const { call } = this;
    this.element.dataset.status = call.status;
    this.element.setAttribute('aria-label', `Tool call ${call.tool}`);
    this.name.textContent = call.tool;
    this.plugin.textContent = call.plugin ?? '';
    this.plugin.hidden = !call.plugin;
    this.status.textContent = toolCallStatusLabel(call.status);

    const request = toolCallRequestLine(call);
    this.request.hidden = request === undefined;
    this.method.textContent = request?.method ?? '';
    this.method.hidden = !request?.method;
    this.url.textContent = request?.url ?? '';

    this.args.textContent = call.arguments;
    this.args.hidden = call.arguments.trim() === '';
    this.note.textContent = call.note ?? '';
    this.note.hidden = !call.note;

    this.renderProgress();
    this.renderImages();
    this.renderButtons();
    this.renderProposal();

    this.result.hidden = call.result === undefined;
    this.resultSummary.textContent = toolResultSummary(call.status);
    if (call.result === undefined) {
      this.resultBody.replaceChildren();
      this.renderedResult = undefined;
    } else if (this.result.open) {
      this.renderResult();
    }
  }

  private get noteKey(): string {
    return `tool-call:${this.call.id}`;
  }

  private renderProgress(): void {
    const text = toolCallProgressText(this.call);
    this.progress.hidden = text === undefined;
    this.progressText.textContent = text ?? '';
    const { progress } = this.call;
    if (progress?.total !== undefined && progress.total > 0) {
      this.progressBar.max = progress.total;
      this.progressBar.value = Math.min(progress.progress, progress.total);
    } else {
      // Without a total the bar only says that something is happening.
      this.progressBar.removeAttribute('value');
    }
  }

  private renderImages(): void {
    const images = toolCallImages(this.call);
    const key = images.join('\n');
    if (key === this.shownImages) return;
    this.shownImages = key;
    this.images.replaceChildren(...images.map((src, index) => el('img', { className: 'tool-call-image', attrs: { src, alt: `Image ${index + 1} of the result of ${this.call.tool}` } })));
    this.images.hidden = images.length === 0;
  }

  private renderButtons(): void {
    const buttons = toolCallButtons(this.call, this.answerRunning);
    const shown = buttons.map((b) => b.decision).join(' ');
    if (shown === this.shownButtons) return;
    this.shownButtons = shown;
    const focusWasInRow = this.buttons.contains(document.activeElement);
    this.buttons.setAttribute('aria-label', `Approve the call to ${this.call.tool}`);
    this.buttons.replaceChildren(...buttons.map(({ decision, label }) => button(label, label, {
      className: decision === 'once' ? 'primary tool-call-button' : 'tool-call-button',
      attrs: { 'data-action': TOOL_APPROVE_ACTION, 'data-decision': decision },
    })));
    this.buttons.hidden = buttons.length === 0;

    const waiting = buttons.length > 0;
    if (waiting && !this.waiting) this.startWaiting();
    if (!waiting && this.waiting) {
      this.announce(this.noteKey, undefined);
      // Focus was on a button that is gone: keep the user's place on the card.
      if ((focusWasInRow || this.keepFocusOnCard) && this.focusIsLost()) this.element.focus({ preventScroll: true });
    }
    this.waiting = waiting;
    this.keepFocusOnCard = false;
  }

  /** A proposed edit: what and where, the user's decision, and Accept / Reject while it waits (also after the answer ended). */
  private renderProposal(): void {
    const { proposal } = this.call;
    const key = proposal ? JSON.stringify(proposal) : '';
    if (key === this.shownProposal) return;
    this.shownProposal = key;
    this.proposal.hidden = proposal === undefined;
    if (!proposal) return;
    this.proposal.dataset.state = proposal.state;
    this.proposalText.textContent = proposalLine(proposal);
    this.proposalNote.textContent = proposal.note ?? '';
    this.proposalNote.hidden = proposal.note === undefined;
    this.proposalButtons.setAttribute('aria-label', `Decide on the proposed change to ${proposal.path}`);
    const decisions = proposalButtons(proposal);
    this.proposalButtons.replaceChildren(...decisions.map(({ decision, text, label }) => button(label, text, {
      className: decision === 'accept' ? 'primary tool-call-button' : 'tool-call-button',
      attrs: { 'data-action': PROPOSAL_DECIDE_ACTION, 'data-decision': decision, 'data-proposal-id': proposal.id },
    })));
    this.proposalButtons.hidden = decisions.length === 0;
  }

  private startWaiting(): void {
    this.announce(this.noteKey, approvalAnnouncement(this.call));
    const active = document.activeElement;
    const allow = this.buttons.querySelector<HTMLButtonElement>('button[data-decision="once"]');
    const mayFocus = mayTakeFocusForApproval({
      tagName: active === null || active === document.body ? undefined : active.tagName,
      isContentEditable: active instanceof HTMLElement && active.isContentEditable,
      isApprovalButton: active instanceof HTMLElement && active.dataset.action === TOOL_APPROVE_ACTION && !this.buttons.contains(active),
    });
    if (allow !== null && mayFocus && this.element.isConnected) allow.focus();
  }

  private focusIsLost(): boolean {
    const active = document.activeElement;
    return active === null || active === document.body || this.element.contains(active) || !active.isConnected;
  }

  private renderResult(): void {
    const { result } = this.call;
    if (result === undefined || result === this.renderedResult) return;
    this.renderedResult = result;
    renderMarkdownInto(this.resultBody, toolResultMarkdown(result), { highlight: true });
  }
}

function proposalLine(proposal: ToolCallProposal): string {
  const what = proposal.change === 'create' ? `New file ${proposal.path}` : `Change to ${proposal.path}`;
  const where = proposal.state === 'pending' ? 'proposed for your review (the diff is open in the editor)' : proposal.state;
  return `${what} (${proposal.summary}): ${where}`;
}
