/**
 * The chat webview: builds the UI into #root, says `ready`, then applies the host's messages.
 * Message handlers only record changes; the DOM is updated once per animation frame.
 *
 *   #root > div.chat
 *     header.chat-header          model picker, Refresh Models, New Chat
 *     section.models-empty        only when no model is available
 *     div.transcript[role=log]    the turns
 *     div.status-line[role=status]  the host's passing status; also "Patchbay wants to call <tool>"
 *     div.composer                slash-command popup, message input, Stop, Send
 */
import './styles/chat.css';
import './styles/markdown.css';
import './styles/highlight.css';
import './styles/slashPopup.css';
import './styles/toolCalls.css';
import type { ExtensionsState, HostToWebview } from '../protocol/messages';
import { el } from './dom';
import { FrameScheduler } from './frameScheduler';
import { parseHostMessage } from './hostMessages';
import { Composer } from './view/composer';
import { ModelPicker } from './view/modelPicker';
import { ScrollFollower } from './view/scrollFollower';
import { StatusLine } from './view/statusLine';
import { Transcript } from './view/transcript';
import { loadUiState, postToHost, saveUiState } from './vscodeApi';

const root = document.getElementById('root') ?? document.body.appendChild(el('div', { attrs: { id: 'root' } }));

const statusLine = new StatusLine();
const transcript = new Transcript(postToHost, (key, text) => statusLine.note(key, text));
const scroll = new ScrollFollower(transcript.element);
const composer = new Composer(postToHost, (draft) => saveUiState({ draft }), loadUiState().draft ?? '');
const picker = new ModelPicker(postToHost, () => composer.setHasModel(picker.hasSelection));

root.replaceChildren(el('div', { className: 'chat' },
  picker.header,
  picker.emptyState,
  transcript.element,
  statusLine.element,
  composer.element));

const frames = new FrameScheduler(() => {
  const again = transcript.render();
  scroll.keepUp();
  if (again) frames.request();
});

function setBusy(busy: boolean): void {
  composer.setBusy(busy);
  transcript.setBusy(busy);
}

/** Plugin actions on the answers, prompt templates in the input. */
function setExtensions(extensions: ExtensionsState): void {
  transcript.setPluginActions(extensions.actions);
  composer.setSlashCommands(extensions.slashCommands);
}

function apply(message: HostToWebview): void {
  switch (message.type) {
    case 'init':
      picker.update(message.models);
      composer.setHasModel(picker.hasSelection);
      // Before the turns are built, so they get their buttons right away.
      setExtensions(message.extensions);
      statusLine.clearNotes();
      transcript.reset(message.conversation.turns);
      setBusy(message.busy);
      scroll.follow();
      break;
    case 'extensions':
      setExtensions(message.extensions);
      break;
    case 'models':
      picker.update(message.models);
      composer.setHasModel(picker.hasSelection);
      break;
    case 'conversationReset':
      transcript.reset(message.conversation.turns);
      statusLine.set(undefined);
      statusLine.clearNotes();
      scroll.follow();
      break;
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
    case 'busy':
      setBusy(message.busy);
      break;
    case 'status':
      statusLine.set(message.text);
      return;
    case 'focusInput':
      composer.focus();
      return;
  }
  frames.request();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  try {
    const message = parseHostMessage(event.data);
    if (message !== undefined) apply(message);
  } catch (error) {
    // One bad message must not take the panel down with it.
    console.error('Patchbay: could not apply a message from the host', error);
  }
});

postToHost({ type: 'ready' });
