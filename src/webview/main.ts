/**
 * The chat webview: builds the UI into #root, says `ready`, then applies the host's messages.
 * Message handlers only record changes; the transcript is updated once per animation frame.
 *
 *   #root > div.chat
 *     header.chat-header          model picker, Refresh Models, New Chat, History, Tools
 *     div.chat-body
 *       section.models-empty      only when no model is available
 *       div.transcript[role=log]  the turns of the shown page (Show Earlier Messages at the top)
 *       div.status-line[role=status]  the host's passing status; also "Patchbay wants to call <tool>"
 *       div.composer              popups, edit banner, context chips, message input, Add Context, Stop, Send
 *       section.history-panel     over the rest of the body while open (the rest is inert then)
 *       section.tools-panel       the same, for which tools this conversation may use
 */
import '@vscode/codicons/dist/codicon.css';
import './styles/chat.css';
import './styles/markdown.css';
import './styles/highlight.css';
import './styles/completionPopup.css';
import './styles/toolCalls.css';
import './styles/context.css';
import './styles/history.css';
import './styles/toolToggles.css';
import { assertNever } from '../protocol/assertNever';
import type { HostToWebview, PluginUi } from '../protocol/messages';
import { el } from './dom';
import { takeEarlyStart } from './earlyStart';
import { FrameScheduler } from './frameScheduler';
import { parseHostMessage } from './hostMessages';
import { highlightPlainCodeBlocks } from './render/codeBlocks';
import { highlightCode, whenHighlighterLoads } from './render/highlight';
import { sanitizeToFragment } from './render/sanitize';
import { Composer } from './view/composer';
import { ContextBar } from './view/contextBar';
import { HistoryPanel } from './view/historyPanel';
import { forgetThumbnails, rememberThumbnails } from './view/imageThumbnails';
import { ModelPicker } from './view/modelPicker';
import { ScrollFollower } from './view/scrollFollower';
import { StatusLine } from './view/statusLine';
import { ToolTogglePanel } from './view/toolTogglePanel';
import { Transcript } from './view/transcript';
import { loadUiState, postToHost, saveUiState } from './vscodeApi';

const root = document.getElementById('root') ?? document.body.appendChild(el('div', { attrs: { id: 'root' } }));

const statusLine = new StatusLine();
const transcript = new Transcript(
  postToHost,
  (key, text) => statusLine.note(key, text),
  (turnId, text) => composer.editTurn(turnId, text),
  () => frames.request(),
);
const scroll = new ScrollFollower(transcript.element);
const contextBar = new ContextBar(postToHost, () => composer.focus());
// The page's input, where the user may have started typing while this script loaded (and
// pressed Enter, which the page's first script held for the composer).
const early = takeEarlyStart();
const earlyInput = document.querySelector<HTMLTextAreaElement>('textarea.composer-input');
const earlyFocus = earlyInput !== null && document.activeElement === earlyInput
  ? { start: earlyInput.selectionStart, end: earlyInput.selectionEnd }
  : undefined;
const composer = new Composer(postToHost, (draft) => saveUiState({ draft }), loadUiState().draft ?? '', {
  earlyInput,
  sendWhenModelKnown: early?.sendRequested === true,
  aboveInput: [contextBar.chipsElement],
  tools: [contextBar.menuElement],
  lastQuestion: () => transcript.lastQuestion(),
  onEditingChange: (turnId) => transcript.setEditing(turnId),
});
const picker = new ModelPicker(postToHost, () => composer.setHasModel(picker.hasSelection));
const history = new HistoryPanel(postToHost, {
  // The chat behind the panel is out of reach (focus, clicks, screen readers) while it is open.
  onOpenChange: (open) => {
    for (const part of [picker.emptyState, transcript.element, statusLine.element, composer.element]) part.inert = open;
  },
  onConversationOpened: () => composer.focus(),
});
const toolToggles = new ToolTogglePanel(postToHost, {
  onOpenChange: (open) => {
    if (open) history.close(false);
    // Closing because History opened leaves the chat behind History inert.
    for (const part of [picker.emptyState, transcript.element, statusLine.element, composer.element]) part.inert = open || history.isOpen;
  },
});
history.toggleButton.addEventListener('click', () => toolToggles.close(false));
picker.header.append(history.toggleButton, toolToggles.toggleButton);

root.replaceChildren(el('div', { className: 'chat' },
  picker.header,
  el('div', { className: 'chat-body' },
    picker.emptyState,
    transcript.element,
    statusLine.element,
    composer.element,
    history.element,
    toolToggles.element)));
// Moving the input into the chat took its focus.
if (earlyFocus !== undefined) composer.focusAt(earlyFocus.start, earlyFocus.end);

// Code shown before the highlighter arrived is highlighted when it does.
whenHighlighterLoads(() => highlightPlainCodeBlocks(transcript.element, highlightCode, sanitizeToFragment));

const frames = new FrameScheduler(() => {
  const again = transcript.render();
  if (transcript.keptScrollPosition) scroll.recheck();
  scroll.keepUp();
  if (again) frames.request();
});

function setBusy(busy: boolean): void {
  composer.setBusy(busy);
  transcript.setBusy(busy);
}

/** Plugin actions on the answers, prompt templates in the input. */
function setPluginUi(pluginUi: PluginUi): void {
  transcript.setPluginActions(pluginUi.actions);
  composer.setSlashCommands(pluginUi.slashCommands);
  composer.setContextProviders(pluginUi.contextProviders ?? []);
}

function apply(message: HostToWebview): void {
  switch (message.type) {
    case 'init':
      picker.update(message.models);
      composer.setHasModel(picker.hasSelection);
      // Before the turns are built, so they get their buttons right away.
      setPluginUi(message.pluginUi);
      statusLine.clearNotes();
      composer.cancelEdit();
      transcript.reset(message.page);
      contextBar.update(message.context);
      setBusy(message.busy);
      scroll.follow();
      composer.sendHeldEnter();
      break;
    case 'pluginUi':
      setPluginUi(message.pluginUi);
      break;
    case 'models':
      picker.update(message.models);
      composer.setHasModel(picker.hasSelection);
      break;
    case 'conversationReset':
      forgetThumbnails();
      composer.cancelEdit();
      transcript.reset(message.page);
      statusLine.set(undefined);
      statusLine.clearNotes();
      history.closeUnlessInUse();
      toolToggles.conversationChanged();
      scroll.follow();
      break;
    case 'turnsPrepended':
      transcript.prepend(message.conversationId, message.turns, message.earlier);
      break;
    case 'turnsRemoved':
      composer.turnsRemoved(message.turnIds);
      transcript.remove(message.turnIds);
      break;
    case 'history':
      history.show(message.items, message.query, message.currentId);
      return;
    case 'context':
      contextBar.update(message.chips);
      return;
    case 'fileSuggestions':
      composer.showFileSuggestions(message.requestId, message.files);
      return;
    case 'providerContextAdded':
      composer.providerContextAdded(message.requestId, message.ok);
      return;
    case 'editTurn':
      // The input is out of reach under the history and tools panels.
      history.close(false);
      toolToggles.close(false);
      composer.editTurn(message.turnId, message.text);
      return;
    case 'turnAdded':
      transcript.addTurn(message.turn);
      // A new turn comes from the user's own action (send, retry): show it and its answer.
      scroll.follow();
      break;
    case 'turnDelta':
      transcript.appendDelta(message.turnId, message.content, message.reasoning);
      break;
    case 'turnReclassified':
      transcript.reclassify(message.turnId);
      break;
    case 'turnUpdated':
      transcript.updateTurn(message.turn);
      break;
    case 'toolCall':
      transcript.updateToolCall(message.turnId, message.call);
      break;
    case 'toolsOffered':
      transcript.setToolsOffered(message.turnId, message.offered);
      break;
    case 'answerStatus':
      transcript.setPluginStatus(message.turnId, message.text);
      break;
    case 'citations':
      transcript.setCitations(message.turnId, message.citations);
      break;
    case 'busy':
      setBusy(message.busy);
      break;
    case 'status':
      statusLine.set(message.text);
      return;
    case 'toolToggles':
      toolToggles.show(message.groups);
      return;
    case 'focusInput':
      history.close(false);
      toolToggles.close(false);
      composer.focus();
      return;
    case 'fillInput':
      history.close(false);
      composer.fill(message.text);
      return;
    case 'images':
      rememberThumbnails(message.images, transcript.element);
      return;
    case 'unsent':
      composer.restoreUnsent(message.text);
      return;
    default:
      // A message type without a case above fails to compile here.
      assertNever(message);
  }
  frames.request();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  try {
    const parsed = parseHostMessage(event.data);
    if ('message' in parsed) apply(parsed.message);
    else console.error(`Patchbay: ignored a message from the host: ${parsed.rejected}`);
  } catch (error) {
    // One bad message must not take the panel down with it.
    console.error('Patchbay: could not apply a message from the host', error);
  }
});

postToHost({ type: 'ready' });
