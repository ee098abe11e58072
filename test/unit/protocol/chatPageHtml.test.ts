import assert from 'node:assert/strict';
import { chatPageHtml } from '../../../src/host/chatPageHtml';

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
});
