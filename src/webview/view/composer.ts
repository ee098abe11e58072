/**
 * The message input with Send and Stop. Enter sends, Shift+Enter starts a new line, Escape stops
 * a running answer. While an answer runs the input stays editable (to prepare the next question)
 * but cannot send. The draft survives the panel being hidden (kept in the webview state).
 *
 *   div.composer
 *     textarea.composer-input[aria-label=Message]
 *     div.composer-buttons > button[aria-label=Stop][hidden] + button[aria-label=Send]
 */
import type { WebviewToHost } from '../../protocol/messages';
import { button, el } from '../dom';
import { composerKeyAction, outgoingText } from './composerKeys';

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
    },
  });
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
      this.input,
      el('div', { className: 'composer-buttons' }, this.stopButton, this.sendButton));
    this.input.value = draft;

    this.input.addEventListener('input', () => this.onInput());
    this.input.addEventListener('keydown', (event) => this.onKeyDown(event));
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
    this.onInput();
    this.storeDraftNow();
  }

  private onKeyDown(event: KeyboardEvent): void {
    switch (composerKeyAction(event, this.busy)) {
      case 'send':
        // Enter never inserts a line break, even when sending is not possible right now.
        event.preventDefault();
        this.send();
        break;
      case 'stop':
        event.preventDefault();
        this.post({ type: 'stop' });
        break;
      case 'default':
        break;
    }
  }

  private onInput(): void {
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
