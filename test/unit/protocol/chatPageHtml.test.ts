import assert from 'node:assert/strict';
import { chatPageHtml, scriptForInlining, stylesheetForInlining } from '../../../src/host/chatPageHtml';

const page = chatPageHtml({
  resourceOrigin: 'https://file+.vscode-resource.example',
  nonce: 'n0nce+/=',
  styleUri: 'https://file+.vscode-resource.example/webview.css',
  scriptUris: ['https://file+.vscode-resource.example/probe.js', 'https://file+.vscode-resource.example/webview.js'],
});

function csp(html: string): Map<string, string> {
  const content = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
  assert.ok(content, 'the page has a CSP');
  return new Map(content.split(';').map((part) => {
    const [name = '', ...values] = part.trim().split(/\s+/);
    return [name, values.join(' ')];
  }));
}

describe('the chat webview page', () => {
  it('allows scripts only by its nonce and resources only from the webview origin', () => {
    const policy = csp(page);
    assert.equal(policy.get('default-src'), "'none'");
    assert.equal(policy.get('script-src'), "'nonce-n0nce+/='");
    assert.equal(policy.get('style-src'), 'https://file+.vscode-resource.example');
    assert.equal(policy.get('img-src'), 'https://file+.vscode-resource.example data:');
    assert.doesNotMatch(page, /unsafe-(inline|eval)/);
  });

  it('loads every script with the nonce, in the given order, the chat bundle last', () => {
    const scripts = [...page.matchAll(/<script ([^>]*)><\/script>/g)].map((match) => match[1]);
    assert.deepEqual(scripts, [
      'defer nonce="n0nce+/=" src="https://file+.vscode-resource.example/probe.js"',
      'defer nonce="n0nce+/=" src="https://file+.vscode-resource.example/webview.js"',
    ]);
    assert.equal(page.match(/<script/g)?.length, 2, 'no inline script');
  });

  it('holds the message input before any script runs, where the chat builds around it', () => {
    const body = page.slice(page.indexOf('<body>'), page.indexOf('<script'));
    assert.match(body, /<textarea class="composer-input" aria-label="Message"[^>]*><\/textarea>/);
    assert.match(body, /<div id="root">/);
  });

  describe('with the first script inline (issue 17 §2: VS Code shows the webview at the page\'s load, which a script file would hold back by its fetch)', () => {
    const firstScript = '(()=>{document.currentScript.dataset.chatBundle})();';
    const inline = chatPageHtml({
      resourceOrigin: 'https://file+.vscode-resource.example',
      nonce: 'n0nce+/=',
      styleUri: 'https://file+.vscode-resource.example/webview.css',
      startScript: { text: firstScript, chatBundleUri: 'https://file+.vscode-resource.example/build/webview.js?a=1&b="2"' },
      scriptUris: [],
    });

    it('runs it under the nonce right after the input, naming the chat\'s bundle it adds later, and loads no script file', () => {
      const body = inline.slice(inline.indexOf('<body>'));
      const input = body.indexOf('<textarea');
      const script = body.indexOf('<script');
      assert.ok(input >= 0 && script > input, 'the input is in the page before the script runs');
      assert.ok(body.includes(`<script nonce="n0nce+/=" data-chat-bundle="https://file+.vscode-resource.example/build/webview.js?a=1&amp;b=&quot;2&quot;">${firstScript}</script>`));
      assert.equal(inline.match(/<script/g)?.length, 1);
      assert.doesNotMatch(inline, / src=/);
      assert.equal(csp(inline).get('script-src'), "'nonce-n0nce+/='");
      assert.doesNotMatch(inline, /unsafe-(inline|eval)/);
    });

    it('refuses a script whose text could end the script element early', () => {
      assert.equal(scriptForInlining('const s = "</script><img src=x>";'), undefined);
      assert.equal(scriptForInlining('const s = "<!-- <script>";'), undefined);
      assert.equal(scriptForInlining(firstScript), firstScript);
    });
  });

  describe('with the stylesheet inline (issue 17 §2: a linked one keeps the input from taking keys until the webview has fetched it)', () => {
    const css = '.chat{display:flex}@font-face{font-family:"codicon";src:url("./codicon.ttf?721d") format("truetype")}';
    const inline = chatPageHtml({
      resourceOrigin: 'https://file+.vscode-resource.example',
      nonce: 'n0nce+/=',
      styleUri: 'https://file+.vscode-resource.example/webview.css',
      styleText: css,
      scriptUris: ['https://file+.vscode-resource.example/webview.js'],
    });

    it('gives the stylesheet in the head under the nonce and links none', () => {
      const head = inline.slice(0, inline.indexOf('</head>'));
      assert.ok(head.includes(`<style nonce="n0nce+/=">${css}</style>`));
      assert.doesNotMatch(inline, /<link rel="stylesheet"/);
      assert.equal(csp(inline).get('style-src'), "https://file+.vscode-resource.example 'nonce-n0nce+/='");
      assert.doesNotMatch(inline, /unsafe-(inline|eval)/);
    });

    it('points the stylesheet\'s own files (the icon font) at the webview\'s resources', () => {
      const text = stylesheetForInlining(css, (file) => `https://file+.vscode-resource.example/build/${file}`);
      assert.equal(text, '.chat{display:flex}@font-face{font-family:"codicon";src:url("https://file+.vscode-resource.example/build/codicon.ttf?721d") format("truetype")}');
    });

    it('refuses to inline a stylesheet that could end the style element early', () => {
      assert.equal(stylesheetForInlining('a::after{content:"</style><script>"}', (file) => file), undefined);
    });
  });
});

