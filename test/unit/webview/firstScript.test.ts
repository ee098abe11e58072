/**
 * The chat page's first script (src/webview/start.ts, issue 17 §2): VS Code shows a webview
 * only after the page's `load`, which waits for every script the page names, so the first
 * script must stay small and add the chat's bundle only after `load`. Built as the .vsix has
 * it and run against a stand-in for the page's DOM.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import vm from 'node:vm';
import * as esbuild from 'esbuild';
import type { EarlyStart } from '../../../src/webview/earlyStart';

const root = path.resolve(__dirname, '../../..');

async function buildFirstScript(): Promise<{ code: string; modules: string[] }> {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/webview/start.ts'],
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    write: false,
    metafile: true,
  });
  return { code: result.outputFiles[0]?.text ?? '', modules: Object.keys(result.metafile.inputs) };
}

type Listener = (event: FakeKey) => void;

interface FakeKey {
  key: string;
  shiftKey: boolean;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  isComposing: boolean;
  defaultPrevented: boolean;
  preventDefault(): void;
}

function key(name: string, modifiers: Partial<Pick<FakeKey, 'shiftKey' | 'isComposing'>> = {}): FakeKey {
  return {
    key: name, shiftKey: false, altKey: false, ctrlKey: false, metaKey: false, isComposing: false, defaultPrevented: false,
    ...modifiers,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

/** Just the DOM the first script touches: its own script element (a file, or in the page naming the bundle), the input, the head, the window's `load`. */
function fakePage(ownSrc: string, chatBundle?: string) {
  const inputListeners = new Set<Listener>();
  const windowListeners: Array<() => void> = [];
  const added: Array<{ src: string; nonce: string }> = [];
  const input = {
    addEventListener: (type: string, listener: Listener) => type === 'keydown' && inputListeners.add(listener),
    removeEventListener: (type: string, listener: Listener) => type === 'keydown' && inputListeners.delete(listener),
  };
  const document = {
    readyState: 'interactive',
    currentScript: { src: ownSrc, nonce: 'n0nce', dataset: chatBundle === undefined ? {} : { chatBundle } },
    querySelector: (selector: string) => (selector === 'textarea.composer-input' ? input : null),
    createElement: (tag: string) => {
      assert.equal(tag, 'script');
      return { src: '', nonce: '' };
    },
    head: { append: (script: { src: string; nonce: string }) => added.push(script) },
  };
  const window = { addEventListener: (type: string, listener: () => void) => type === 'load' && windowListeners.push(listener) };
  const context = vm.createContext({ document, window });
  return {
    context,
    added,
    press: (event: FakeKey) => {
      for (const listener of inputListeners) listener(event);
      return event;
    },
    load: () => {
      document.readyState = 'complete';
      for (const listener of windowListeners.splice(0)) listener();
    },
    early: () => (context as { patchbayEarlyStart?: EarlyStart }).patchbayEarlyStart,
  };
}

describe('the chat page\'s first script (issue 17 §2: the input takes keys before the chat\'s bundle has loaded)', () => {
  let built: { code: string; modules: string[] };
  before(async () => {
    built = await buildFirstScript();
  });

  it('holds none of the chat\'s big modules: no renderer, sanitizer, transcript, panels or libraries', () => {
    const heavy = built.modules.filter((module) =>
      module.includes('node_modules') || /^src\/webview\/(main|render\/|view\/(transcript|assistantTurnView|historyPanel|toolTogglePanel|modelPicker|composer\.ts))/.test(module));
    assert.deepEqual(heavy, []);
    assert.ok(built.code.length < 4_000, `start.js is ${built.code.length} bytes`);
  });

  it('adds the chat\'s bundle beside itself, with its nonce, only after the page\'s load', () => {
    const page = fakePage('https://file+.vscode-resource.example/ext/media/build/start.js?v=1');
    vm.runInContext(built.code, page.context);
    assert.deepEqual(page.added, [], 'nothing is added before load (it would hold the webview back)');
    page.load();
    assert.deepEqual(page.added, [{ src: 'https://file+.vscode-resource.example/ext/media/build/webview.js?v=1', nonce: 'n0nce' }]);
  });

  it('adds the chat\'s bundle the page names, when the script is in the page itself', () => {
    const page = fakePage('', 'https://file+.vscode-resource.example/ext/media/build/webview.js');
    vm.runInContext(built.code, page.context);
    assert.deepEqual(page.added, []);
    page.load();
    assert.deepEqual(page.added, [{ src: 'https://file+.vscode-resource.example/ext/media/build/webview.js', nonce: 'n0nce' }]);
  });

  it('holds a plain Enter as a send, leaves Shift+Enter and typing to the input, and stops once the chat takes over', () => {
    const page = fakePage('https://example/start.js');
    vm.runInContext(built.code, page.context);
    assert.equal(page.press(key('a')).defaultPrevented, false);
    assert.equal(page.press(key('Enter', { shiftKey: true })).defaultPrevented, false);
    assert.equal(page.press(key('Enter', { isComposing: true })).defaultPrevented, false);
    assert.equal(page.early()?.sendRequested, false);
    assert.equal(page.press(key('Enter')).defaultPrevented, true, 'a plain Enter is no new line');
    assert.equal(page.early()?.sendRequested, true);
    page.early()?.release();
    assert.equal(page.press(key('Enter')).defaultPrevented, false, 'after release the composer alone handles keys');
  });
});
