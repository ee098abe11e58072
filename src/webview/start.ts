/**
 * The chat page's first script, kept small (issue 17 §2). VS Code shows a webview's frame only
 * after the page's `load` event, and `load` waits for every script the page names; so the page
 * runs only this one, its text in the page itself (src/host/chatPageHtml.ts). Then the frame
 * shows the page's own input (in its markup), which takes keys at once, and this script adds
 * the chat's bundle (webview.js: renderer, sanitizer, transcript, panels) with its nonce. That
 * bundle builds the chat around the same input and keeps what was typed in it. Until then a
 * plain Enter does not become a new line: it is held as a send (see earlyStart.ts).
 */
import { offerEarlyStart } from './earlyStart';
import { composerKeyAction } from './view/composerKeys';


const self = document.currentScript as HTMLScriptElement | null;
const input = document.querySelector<HTMLTextAreaElement>('textarea.composer-input');
let sendRequested = false;

function holdEnter(event: KeyboardEvent): void {
  if (composerKeyAction(event, false) !== 'send') return;
  event.preventDefault();
  sendRequested = true;
}

input?.addEventListener('keydown', holdEnter);
offerEarlyStart({
  get sendRequested() {
    return sendRequested;
  },
  release: () => input?.removeEventListener('keydown', holdEnter),
});

/**
 * Where the chat's bundle is: named by the page when this script is in it (`data-chat-bundle`,
 * see src/host/chatPageHtml.ts), else beside this script's own file (only the file's name
 * changes, so a query in the address stays as it was).
 */
function chatBundleAddress(): string | undefined {
  const named = self?.dataset['chatBundle'];
  if (named) return named;
  return self?.src ? self.src.replace(/start\.js(?=$|[?#])/, 'webview.js') : undefined;
}

function loadChatBundle(): void {
  const address = chatBundleAddress();
  if (address === undefined || self === null) return;
  const script = document.createElement('script');
  script.nonce = self.nonce;
  script.src = address;
  document.head.append(script);
}

// Added after `load`, so that neither its download nor its parsing holds the frame back.
if (document.readyState === 'complete') loadChatBundle();
else window.addEventListener('load', loadChatBundle, { once: true });
