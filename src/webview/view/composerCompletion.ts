/**
 * The two popups of the message input: prompt templates for "/name" at the start, and workspace
 * files for an "@word" at the caret. At most one is open; while it is, the composer routes the
 * arrows, Enter, Tab and Escape here. The input keeps focus throughout and points at the open
 * list and its highlighted row (`aria-controls`, `aria-expanded`, `aria-activedescendant`).
 *
 * Files come from the host: a `suggestFiles` request goes out a short while after typing stops,
 * each with a fresh id, and only the answer to the latest one is shown. Accepting a file takes
 * the "@word" out of the input and asks the host to attach the file (it comes back as a chip).
 */
import { parseContextMentionPath, providerMentionAt } from '../../protocol/contextMention';
import type { ContextProviderEntry, FileSuggestion, SlashCommand, WebviewToHost } from '../../protocol/messages';
import type { CompletionPopup } from './completionPopup';
import { bareMentionAt, fileMentionAt, LatestRequest, removeFileMention, type FileMention } from './fileMention';
import { createFilePopup } from './filePopup';
import { acceptSlashCommand, carryHighlight, moveHighlight, slashCompletion, type SlashCompletion } from './slashCompletion';
import { createSlashPopup } from './slashPopup';

const SUGGEST_FILES_DELAY_MS = 120;

export class ComposerCompletion {
  private readonly slashPopup = createSlashPopup((index) => this.acceptSlash(index));
  private readonly filePopup = createFilePopup((index) => this.acceptFile(index));
  readonly elements: readonly HTMLElement[] = [this.slashPopup.element, this.filePopup.element];

  private slashCommands: readonly SlashCommand[] = [];
  private slash: SlashCompletion | undefined;
  private slashHighlight = 0;

  private mention: FileMention | undefined;
  /** Set when the mention is `@provider query`: its suggestions are the provider's. */
  private mentionProvider: string | undefined;
  /** The query a request was made (or is about to be made) for, and where its mention starts. */
  private mentionAsked: { query: string; start: number; provider?: string } | undefined;
  private contextProviders: readonly ContextProviderEntry[] = [];
  /** Mentions whose context the host is getting: removed from the input once their chip is there. */
  private readonly addingContext = new Map<string, { start: number; end: number; text: string }>();
  private addCounter = 0;
  private mentionTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly fileRequests = new LatestRequest('files');
  private files: readonly FileSuggestion[] = [];
  private fileHighlight = 0;

  /** The text on which Escape closed a popup; it stays closed until the text changes. */
  private dismissedFor: string | undefined;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly post: (message: WebviewToHost) => void,
    /** The input's text was changed by accepting a suggestion. */
    private readonly onTextChanged: () => void,
  ) {
    this.input.setAttribute('aria-autocomplete', 'list');
    this.syncAria();
  }

  get isOpen(): boolean {
    return this.slashPopup.isOpen || this.filePopup.isOpen;
  }

  setSlashCommands(commands: readonly SlashCommand[]): void {
    this.slashCommands = commands;
    if (this.slashPopup.isOpen) this.update();
  }

  setContextProviders(providers: readonly ContextProviderEntry[]): void {
    this.contextProviders = providers;
  }

  /**
   * The host's answer to `addProviderContext`: the mention leaves the input once its chip is
   * there; when it failed (the host said why) it stays, so nothing typed is lost.
   */
  providerContextAdded(requestId: string, ok: boolean): void {
    const adding = this.addingContext.get(requestId);
    this.addingContext.delete(requestId);
    if (!ok || adding === undefined || this.input.value.slice(adding.start, adding.end) !== adding.text) return;
    const { text, caret } = removeFileMention(this.input.value, adding);
    this.input.value = text;
    this.input.setSelectionRange(caret, caret);
    this.onTextChanged();
  }

  /** Shows, updates or hides the popups for the current text and caret. */
  update(): void {
    const { value, selectionStart, selectionEnd } = this.input;
    if (this.dismissedFor !== undefined && this.dismissedFor !== value) this.dismissedFor = undefined;
    const active = this.dismissedFor === undefined && document.activeElement === this.input;
    const caret = selectionStart === selectionEnd ? selectionStart : undefined;

    const slash = active ? slashCompletion(value, caret, this.slashCommands) : undefined;
    if (slash !== undefined) {
      this.leaveMention();
      const previous = this.slash?.matches[this.slashHighlight];
      this.slash = slash;
      this.slashHighlight = carryHighlight(previous, slash.matches);
      this.slashPopup.show(slash.matches, this.slashHighlight, slash.query.prefix);
      this.syncAria();
      return;
    }
    this.closeSlash();
    const names = this.contextProviders.map((provider) => provider.name);
    const providerMention = active ? providerMentionAt(value, caret, names) : undefined;
    const mention = providerMention ?? (active ? fileMentionAt(value, caret) ?? bareMentionAt(value, caret) : undefined);
    if (mention === undefined) this.leaveMention();
    else this.followMention(mention, providerMention?.provider);
    this.syncAria();
  }

  /** The host's answer to `suggestFiles`; stale answers are dropped. */
  showFiles(requestId: string, files: readonly FileSuggestion[]): void {
    if (!this.fileRequests.isCurrent(requestId) || this.mention === undefined) return;
    if (files.length === 0) {
      this.files = [];
      this.filePopup.hide();
    } else {
      const previous = this.files[this.fileHighlight];
      this.files = files;
      const kept = previous === undefined ? -1 : files.findIndex((file) => file.path === previous.path);
      this.fileHighlight = kept === -1 ? 0 : kept;
      this.filePopup.show(files, this.fileHighlight);
    }
    this.syncAria();
  }

  step(step: 1 | -1): void {
    if (this.slashPopup.isOpen && this.slash !== undefined) {
      this.slashHighlight = moveHighlight(this.slashHighlight, this.slash.matches.length, step);
      this.slashPopup.show(this.slash.matches, this.slashHighlight, this.slash.query.prefix);
    } else if (this.filePopup.isOpen) {
      this.fileHighlight = moveHighlight(this.fileHighlight, this.files.length, step);
      this.filePopup.show(this.files, this.fileHighlight);
    }
    this.syncAria();
  }

  accept(): void {
    if (this.slashPopup.isOpen) this.acceptSlash(this.slashHighlight);
    else if (this.filePopup.isOpen) this.acceptFile(this.fileHighlight);
  }

  /** Escape: close whatever is open and keep it closed until the text changes. */
  dismiss(): void {
    this.dismissedFor = this.input.value;
    this.close();
  }

  close(): void {
    this.closeSlash();
    this.leaveMention();
    this.syncAria();
  }

  private closeSlash(): void {
    this.slash = undefined;
    this.slashHighlight = 0;
    this.slashPopup.hide();
  }

  private acceptSlash(index: number): void {
    const command = this.slash?.matches[index];
    if (command === undefined) return;
    const { text, caret } = acceptSlashCommand(this.input.value, command.name);
    this.input.value = text;
    this.input.setSelectionRange(caret, caret);
    this.close();
    this.onTextChanged();
  }

  private acceptFile(index: number): void {
    const file = this.files[index];
    const mention = this.mention;
    if (file === undefined || mention === undefined) return;
    const named = parseContextMentionPath(file.path);
    if (named !== undefined) return this.acceptProvider(named.provider, named.query, mention);
    const { text, caret } = removeFileMention(this.input.value, mention);
    this.input.value = text;
    this.input.setSelectionRange(caret, caret);
    this.close();
    this.post({ type: 'addFileContext', path: file.path });
    this.onTextChanged();
  }

  /**
   * A context provider picked: one that takes a query gets `@name ` in the input to type it
   * after; otherwise (or with a query) the host is asked for its context, and the mention
   * leaves the input once the chip is there.
   */
  private acceptProvider(provider: string, query: string | undefined, mention: FileMention): void {
    const entry = this.contextProviders.find((item) => item.name === provider);
    if (query === undefined && entry?.queryHint !== undefined) {
      const value = this.input.value;
      const typed = `@${provider} `;
      this.input.value = value.slice(0, mention.start) + typed + value.slice(mention.end).replace(/^ /, '');
      const caret = mention.start + typed.length;
      this.input.setSelectionRange(caret, caret);
      this.close();
      this.onTextChanged();
      return;
    }
    const requestId = `context-${++this.addCounter}`;
    this.addingContext.set(requestId, { start: mention.start, end: mention.end, text: this.input.value.slice(mention.start, mention.end) });
    this.close();
    this.post({ type: 'addProviderContext', requestId, provider, query: query ?? '' });
  }

  /** The caret is in an "@word" (or `@provider query`): ask for suggestions once typing pauses, unless asked for it already. */
  private followMention(mention: FileMention, provider: string | undefined): void {
    const movedToAnother = this.mention !== undefined && (this.mention.start !== mention.start || this.mentionProvider !== provider);
    this.mention = mention;
    this.mentionProvider = provider;
    if (movedToAnother) this.hideFiles();
    const asked = this.mentionAsked;
    if (asked !== undefined && asked.query === mention.query && asked.start === mention.start && asked.provider === provider) return;
    this.mentionAsked = { query: mention.query, start: mention.start, ...(provider !== undefined ? { provider } : {}) };
    if (this.mentionTimer !== undefined) clearTimeout(this.mentionTimer);
    this.mentionTimer = setTimeout(() => {
      this.mentionTimer = undefined;
      const requestId = this.fileRequests.next();
      this.post(provider !== undefined ? { type: 'suggestContext', requestId, provider, query: mention.query } : { type: 'suggestFiles', requestId, query: mention.query });
    }, SUGGEST_FILES_DELAY_MS);
  }

  private leaveMention(): void {
    if (this.mentionTimer !== undefined) clearTimeout(this.mentionTimer);
    this.mentionTimer = undefined;
    this.mention = undefined;
    this.mentionProvider = undefined;
    this.mentionAsked = undefined;
    this.fileRequests.invalidate();
    this.hideFiles();
  }

  private hideFiles(): void {
    this.files = [];
    this.fileHighlight = 0;
    this.filePopup.hide();
  }

  private syncAria(): void {
    const open: CompletionPopup<unknown> | undefined = this.slashPopup.isOpen ? this.slashPopup
      : this.filePopup.isOpen ? this.filePopup : undefined;
    this.input.setAttribute('aria-controls', (open ?? this.slashPopup).id);
    this.input.setAttribute('aria-expanded', String(open !== undefined));
    const active = open?.activeId;
    if (active === undefined) this.input.removeAttribute('aria-activedescendant');
    else this.input.setAttribute('aria-activedescendant', active);
  }
}
