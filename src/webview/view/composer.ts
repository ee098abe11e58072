/**
 * The message input with Send and Stop. Enter sends, Shift+Enter starts a new line, Escape stops
 * a running answer. While an answer runs the input stays editable (to prepare the next question)
 * but cannot send. The draft survives the panel being hidden (kept in the webview state).
 * Typing "/" at the start offers the plugins' prompt templates in a popup above the input.
 *
 *   div.composer
 *     div.slash-popup[role=listbox]   (see slashPopup.ts; hidden unless completing)
 *     textarea.composer-input[aria-label=Message][aria-autocomplete=list][aria-controls][aria-expanded]
 *     div.composer-buttons > button[aria-label=Stop][hidden] + button[aria-label=Send]
 */
import type { SlashCommand, WebviewToHost } from '../../protocol/messages';
import { button, el } from '../dom';
import { composerKeyAction, outgoingText } from './composerKeys';
import { acceptSlashCommand, carryHighlight, moveHighlight, slashCompletion, type SlashCompletion } from './slashCompletion';
import { SLASH_LISTBOX_ID, SlashPopup } from './slashPopup';

const MAX_INPUT_HEIGHT_PX = 240;
const DRAFT_SAVE_DELAY_MS = 300;

export class Composer {
  readonly element: HTMLElement;
  private readonly input = el('textarea', {
    className: 'composer-input',
    attrs: {
      'aria-label': 'Message',
      placeholder: 'Ask about your code… (Enter to send, Shift+Enter for a new line)',
      rows: '1',
      'aria-autocomplete': 'list',
      'aria-controls': SLASH_LISTBOX_ID,
      'aria-expanded': 'false',
    },
  });
  private readonly popup = new SlashPopup((index) => this.acceptCompletion(index));
  private slashCommands: readonly SlashCommand[] = [];
  private completion: SlashCompletion | undefined;
  private highlighted = 0;
  /** The text on which Escape closed the popup; it stays closed until the text changes. */
  private dismissedFor: string | undefined;
  private readonly sendButton = button('Send', 'Send', { className: 'primary send-button' });
  private readonly stopButton = button('Stop', 'Stop', { className: 'secondary stop-button', hidden: true });
  private busy = false;
  private hasModel = false;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly post: (message: WebviewToHost) => void,
    private readonly saveDraft: (draft: string) => void,
    draft: string,
  ) {
    this.element = el('div', { className: 'composer' },
      this.popup.element,
      this.input,
      el('div', { className: 'composer-buttons' }, this.stopButton, this.sendButton));
    this.input.value = draft;

    this.input.addEventListener('input', () => this.onInput());
    this.input.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.input.addEventListener('blur', () => this.closeCompletion());
    this.input.addEventListener('focus', () => this.updateCompletion());
    // Moving the caret (arrow keys, Home, a click) without typing can enter or leave the first
    // word; the document's selectionchange reports every such move.
    document.addEventListener('selectionchange', () => {
      if (document.activeElement === this.input) this.updateCompletion();
    });
    this.sendButton.addEventListener('click', () => this.send());
    this.stopButton.addEventListener('click', () => this.post({ type: 'stop' }));
    this.refresh();
    // Size the box to a restored draft once it is laid out.
    requestAnimationFrame(() => this.fitHeight());
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.refresh();
  }

  setHasModel(hasModel: boolean): void {
    this.hasModel = hasModel;
    this.refresh();
  }

  focus(): void {
    this.input.focus();
  }

  /** The prompt templates plugins offer; an open popup follows the new list. */
  setSlashCommands(commands: readonly SlashCommand[]): void {
    this.slashCommands = commands;
    if (this.popup.isOpen) this.updateCompletion();
  }

  private get canSend(): boolean {
    return !this.busy && this.hasModel && outgoingText(this.input.value) !== undefined;
  }

  private refresh(): void {
    this.sendButton.disabled = !this.canSend;
    this.stopButton.hidden = !this.busy;
    this.stopButton.disabled = !this.busy;
    this.element.classList.toggle('busy', this.busy);
  }

  private send(): void {
    const text = outgoingText(this.input.value);
    if (text === undefined || !this.canSend) return;
    this.post({ type: 'send', text });
    this.input.value = '';
    this.closeCompletion();
    this.onInput();
    this.storeDraftNow();
  }

  private onKeyDown(event: KeyboardEvent): void {
    switch (composerKeyAction(event, this.busy, this.popup.isOpen)) {
      case 'send':
        // Enter never inserts a line break, even when sending is not possible right now.
        event.preventDefault();
        this.send();
        break;
      case 'stop':
        event.preventDefault();
        this.post({ type: 'stop' });
        break;
      case 'completionNext':
        event.preventDefault();
        this.stepHighlight(1);
        break;
      case 'completionPrevious':
        event.preventDefault();
        this.stepHighlight(-1);
        break;
      case 'completionAccept':
        event.preventDefault();
        this.acceptCompletion(this.highlighted);
        break;
      case 'completionClose':
        event.preventDefault();
        this.dismissedFor = this.input.value;
        this.closeCompletion();
        break;
      case 'default':
        break;
    }
  }

  /** Shows, updates or hides the popup for the current text and caret. */
  private updateCompletion(): void {
    const { value, selectionStart, selectionEnd } = this.input;
    if (this.dismissedFor !== undefined && this.dismissedFor !== value) this.dismissedFor = undefined;
    const completion = this.dismissedFor === undefined && document.activeElement === this.input
      ? slashCompletion(value, selectionStart === selectionEnd ? selectionStart : undefined, this.slashCommands)
      : undefined;
    if (completion === undefined) {
      this.closeCompletion();
      return;
    }
    const previous = this.completion?.matches[this.highlighted];
    this.completion = completion;
    this.highlighted = carryHighlight(previous, completion.matches);
    this.popup.show(completion.matches, completion.query.prefix, this.highlighted);
    this.syncAria();
  }

  private stepHighlight(step: 1 | -1): void {
    if (this.completion === undefined) return;
    this.highlighted = moveHighlight(this.highlighted, this.completion.matches.length, step);
    this.popup.show(this.completion.matches, this.completion.query.prefix, this.highlighted);
    this.syncAria();
  }

  private acceptCompletion(index: number): void {
    const command = this.completion?.matches[index];
    if (command === undefined) return;
    const { text, caret } = acceptSlashCommand(this.input.value, command.name);
    this.input.value = text;
    this.input.setSelectionRange(caret, caret);
    this.closeCompletion();
    this.onInput();
  }

  private closeCompletion(): void {
    this.completion = undefined;
    this.highlighted = 0;
    this.popup.hide();
    this.syncAria();
  }

  private syncAria(): void {
    this.input.setAttribute('aria-expanded', String(this.popup.isOpen));
    const active = this.popup.activeId;
    if (active === undefined) this.input.removeAttribute('aria-activedescendant');
    else this.input.setAttribute('aria-activedescendant', active);
  }

  private onInput(): void {
    this.updateCompletion();
    this.fitHeight();
    this.refresh();
    if (this.draftTimer !== undefined) clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => this.storeDraftNow(), DRAFT_SAVE_DELAY_MS);
  }

  private storeDraftNow(): void {
    if (this.draftTimer !== undefined) clearTimeout(this.draftTimer);
    this.draftTimer = undefined;
    this.saveDraft(this.input.value);
  }

  /** Grows the textarea with its content, up to a limit after which it scrolls. */
  private fitHeight(): void {
    this.input.style.height = 'auto';
    const height = Math.min(this.input.scrollHeight, MAX_INPUT_HEIGHT_PX);
    this.input.style.height = `${height}px`;
    this.input.style.overflowY = this.input.scrollHeight > MAX_INPUT_HEIGHT_PX ? 'auto' : 'hidden';
  }
}
