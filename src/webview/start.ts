/**
 * The chat page's first script, kept small (issue 17 §2). VS Code shows a webview's frame only
 * after the page's `load` event, and `load` waits for every script the page names; so the page
 * names only this one. Once it has run, the frame shows the page's own input (in its markup, see
 * src/host/chatPageHtml.ts), which takes keys at once, and this script adds the chat's bundle
 * (webview.js: renderer, sanitizer, transcript, panels) beside itself, with its nonce. That
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

function loadChatBundle(): void {
  if (!self?.src) return;
  const script = document.createElement('script');
  script.nonce = self.nonce;
  // The same folder (only the file's name changes, so a query in the address stays as it was).
  script.src = self.src.replace(/start\.js(?=$|[?#])/, 'webview.js');
  document.head.append(script);
}

// Added after `load`, so that neither its download nor its parsing holds the frame back.
if (document.readyState === 'complete') loadChatBundle();
else window.addEventListener('load', loadChatBundle, { once: true });
