/**
 * The message input with Send and Stop. Enter sends, Shift+Enter starts a new line, Escape stops
 * a running answer. While an answer runs the input stays editable (to prepare the next question)
 * but cannot send. The draft survives the panel being hidden (kept in the webview state).
 * Typing "/" at the start offers the plugins' prompt templates, "@name" offers workspace files
 * (see composerCompletion.ts).
 *
 * Editing an earlier question (its Edit button, ArrowUp in an empty input, or the host's
 * `editTurn`) puts its text in the input under a banner; Enter then sends `editAndResend`
 * instead of `send`, and Escape or Cancel Edit brings back the draft from before.
 *
 *   div.composer[.editing][.busy]
 *     div.completion-popup.slash-popup | .file-popup   (hidden unless completing)
 *     div.edit-banner#patchbay-edit-banner[hidden] > span.edit-banner-text + button[aria-label="Cancel Edit"]
 *     ul.context-chips              (see contextBar.ts; hidden when empty)
 *     textarea.composer-input[aria-label=Message][aria-autocomplete=list][aria-controls][aria-expanded]
 *     div.composer-buttons > div.composer-tools (Add Context) + button[aria-label=Stop][hidden] + button[aria-label=Send]
 */
import type { ContextProviderEntry, FileSuggestion, SlashCommand, WebviewToHost } from '../../protocol/messages';
import { WEBVIEW_TEXT_LIMIT } from '../../protocol/messages';
import { button, el } from '../dom';
import { ComposerCompletion } from './composerCompletion';
import { composerKeyAction, outgoingText } from './composerKeys';
import { cancelEditing, editedTurnRemoved, resendEdited, startEditing, type EditState } from './editState';
import { acceptImagePasteAndDrop } from './imageInput';

const MAX_INPUT_HEIGHT_PX = 240;
const DRAFT_SAVE_DELAY_MS = 300;
const EDIT_BANNER_ID = 'patchbay-edit-banner';

/** The banner's text while an earlier question is being edited. */
export const EDIT_BANNER_TEXT = 'Editing an earlier question — Enter resends it and replaces what followed; Escape cancels';

export interface Question {
  turnId: string;
  text: string;
}

export interface ComposerParts {
  /** Shown just above the input (the context chips). */
  aboveInput?: readonly HTMLElement[];
  /** Shown at the start of the buttons row (Add Context). */
  tools?: readonly HTMLElement[];
  /** The last question of the conversation, which ArrowUp in an empty input edits. */
  lastQuestion?: () => Question | undefined;
  /** Which question is being edited now (undefined: none), for the transcript to mark it. */
  onEditingChange?: (turnId: string | undefined) => void;
  /** The page's own input (see src/host/chatPageHtml.ts), which may already hold typed text. */
  earlyInput?: HTMLTextAreaElement | null;
  /** Enter was pressed in that input before this script ran: `sendHeldEnter` sends it. */
  sendWhenModelKnown?: boolean;
}

function messageInput(early: HTMLTextAreaElement | null): HTMLTextAreaElement {
  const input = early ?? el('textarea');
  input.className = 'composer-input';
  input.setAttribute('aria-label', 'Message');
  input.setAttribute('placeholder', 'Ask about your code… (Enter to send, Shift+Enter for a new line, @ to add a file)');
  input.setAttribute('rows', '1');
  return input;
}

export class Composer {
  readonly element: HTMLElement;
  private readonly input: HTMLTextAreaElement;
  private readonly completion: ComposerCompletion;
  private readonly sendButton = button('Send', 'Send', { className: 'primary send-button' });
  private readonly stopButton = button('Stop', 'Stop', { className: 'secondary stop-button', hidden: true });
  private readonly cancelEditButton = button('Cancel Edit', 'Cancel Edit', { className: 'secondary edit-cancel' });
  private readonly editBanner = el('div', { className: 'edit-banner', hidden: true, attrs: { id: EDIT_BANNER_ID } },
    el('span', { className: 'edit-banner-text', text: EDIT_BANNER_TEXT }),
    this.cancelEditButton);
  private busy = false;
  private hasModel = false;
  private editing: EditState | undefined;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  private heldEnter: boolean;

  constructor(
    private readonly post: (message: WebviewToHost) => void,
    private readonly saveDraft: (draft: string) => void,
    draft: string,
    private readonly parts: ComposerParts = {},
  ) {
    this.input = messageInput(parts.earlyInput ?? null);
    this.heldEnter = parts.sendWhenModelKnown === true;
    this.completion = new ComposerCompletion(this.input, post, () => this.onInput());
    this.element = el('div', { className: 'composer' },
      ...this.completion.elements,
      this.editBanner,
      ...(parts.aboveInput ?? []),
      this.input,
      el('div', { className: 'composer-buttons' },
        el('div', { className: 'composer-tools' }, ...(parts.tools ?? [])),
        this.stopButton,
        this.sendButton));
    // Images pasted into the input or dropped anywhere on the composer become image chips.
    acceptImagePasteAndDrop(this.element, post);
    // Text typed before the script ran is newer than the saved draft.
    if (this.input.value === '') this.input.value = draft;

    this.input.addEventListener('input', () => this.onInput());
    this.input.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.input.addEventListener('blur', () => this.completion.close());
    this.input.addEventListener('focus', () => this.completion.update());
    // Moving the caret (arrow keys, Home, a click) without typing can enter or leave a word that
    // completes; the document's selectionchange reports every such move.
    document.addEventListener('selectionchange', () => {
      if (document.activeElement === this.input) this.completion.update();
    });
    this.sendButton.addEventListener('click', () => this.send());
    this.stopButton.addEventListener('click', () => this.post({ type: 'stop' }));
    this.cancelEditButton.addEventListener('click', () => {
      this.cancelEdit();
      this.input.focus();
    });
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

  /** Sends on an Enter held from before the chat had loaded, once: call when the chat's first state has arrived. */
  sendHeldEnter(): void {
    if (!this.heldEnter) return;
    this.heldEnter = false;
    this.send();
  }

  focus(): void {
    this.input.focus();
  }

  /** Focuses the input with the caret or selection at the given offsets. */
  focusAt(start: number, end: number): void {
    this.input.focus();
    this.input.setSelectionRange(start, end);
  }

  /** The prompt templates plugins offer; an open popup follows the new list. */
  setSlashCommands(commands: readonly SlashCommand[]): void {
    this.completion.setSlashCommands(commands);
  }

  /** Plugins' `@` context providers. */
  setContextProviders(providers: readonly ContextProviderEntry[]): void {
    this.completion.setContextProviders(providers);
  }

  /** The host's answer to `addProviderContext`. */
  providerContextAdded(requestId: string, ok: boolean): void {
    this.completion.providerContextAdded(requestId, ok);
  }

  /** The host's answer to a `suggestFiles` request. */
  showFileSuggestions(requestId: string, files: readonly FileSuggestion[]): void {
    this.completion.showFiles(requestId, files);
  }

  /** Puts a question in the input to be edited and resent (Edit, ArrowUp, the host's `editTurn`). */
  editTurn(turnId: string, text: string): void {
    this.editing = startEditing(this.editing, turnId, this.input.value);
    this.input.value = text;
    this.showEditing();
    this.input.focus();
    this.input.setSelectionRange(text.length, text.length);
    this.onInput();
    // The question as it was asked needs no completing (a lone "/name" would open the popup).
    this.completion.dismiss();
  }

  /** A plugin's follow-up question, in the input (in place of a draft) for the user to finish or send. */
  fill(text: string): void {
    this.cancelEdit();
    this.input.value = text;
    this.input.focus();
    this.input.setSelectionRange(text.length, text.length);
    this.onInput();
    this.completion.dismiss();
  }

  /** A question the host refused before sending it: its text comes back, unless something new was typed meanwhile. */
  restoreUnsent(text: string): void {
    if (this.input.value !== '' || this.editing !== undefined) return;
    this.input.value = text;
    this.input.setSelectionRange(text.length, text.length);
    this.onInput();
    this.completion.dismiss();
  }

  /** Leaves editing, if editing, and brings back the draft from before. */
  cancelEdit(): void {
    if (this.editing === undefined) return;
    this.input.value = cancelEditing(this.editing).input;
    this.editing = undefined;
    this.showEditing();
    this.onInput();
  }

  /** Turns left the conversation: editing one of them cannot go on. */
  turnsRemoved(turnIds: readonly string[]): void {
    if (editedTurnRemoved(this.editing, turnIds)) this.cancelEdit();
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

  private showEditing(): void {
    const editing = this.editing !== undefined;
    this.editBanner.hidden = !editing;
    this.element.classList.toggle('editing', editing);
    if (editing) this.input.setAttribute('aria-describedby', EDIT_BANNER_ID);
    else this.input.removeAttribute('aria-describedby');
    this.parts.onEditingChange?.(this.editing?.turnId);
  }

  private send(): void {
    if (!this.canSend) return;
    // The host refuses a question over the limit and says why: it stays here to be shortened.
    const refused = (outgoingText(this.input.value)?.length ?? 0) > WEBVIEW_TEXT_LIMIT;
    if (this.editing !== undefined) {
      const resend = resendEdited(this.editing, this.input.value);
      if (resend === undefined) return;
      this.post(resend.message);
      if (refused) return;
      this.input.value = resend.input;
      this.editing = undefined;
      this.showEditing();
    } else {
      const text = outgoingText(this.input.value);
      if (text === undefined) return;
      this.post({ type: 'send', text });
      if (refused) return;
      this.input.value = '';
    }
    this.completion.close();
    this.onInput();
    this.storeDraftNow();
  }

  private onKeyDown(event: KeyboardEvent): void {
    const action = composerKeyAction(event, this.busy, this.completion.isOpen, {
      editing: this.editing !== undefined,
      inputEmpty: this.input.value === '',
    });
    switch (action) {
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
        this.completion.step(1);
        break;
      case 'completionPrevious':
        event.preventDefault();
        this.completion.step(-1);
        break;
      case 'completionAccept':
        event.preventDefault();
        this.completion.accept();
        break;
      case 'completionClose':
        event.preventDefault();
        this.completion.dismiss();
        break;
      case 'cancelEdit':
        event.preventDefault();
        this.cancelEdit();
        break;
      case 'editLast': {
        const question = this.parts.lastQuestion?.();
        if (question === undefined) break;
        event.preventDefault();
        this.editTurn(question.turnId, question.text);
        break;
      }
      case 'default':
        break;
    }
  }

  private onInput(): void {
    this.completion.update();
    this.fitHeight();
    this.refresh();
    if (this.draftTimer !== undefined) clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => this.storeDraftNow(), DRAFT_SAVE_DELAY_MS);
  }

  /** While editing, the draft kept is the one from before: the question's text is not a draft. */
  private storeDraftNow(): void {
    if (this.draftTimer !== undefined) clearTimeout(this.draftTimer);
    this.draftTimer = undefined;
    this.saveDraft(this.editing?.draftBefore ?? this.input.value);
  }

  /** Grows the textarea with its content, up to a limit after which it scrolls. */
  private fitHeight(): void {
    this.input.style.height = 'auto';
    const height = Math.min(this.input.scrollHeight, MAX_INPUT_HEIGHT_PX);
    this.input.style.height = `${height}px`;
    this.input.style.overflowY = this.input.scrollHeight > MAX_INPUT_HEIGHT_PX ? 'auto' : 'hidden';
  }
}
