import assert from 'node:assert/strict';
import { blockedImageLabel, isAllowedLinkUrl, isInlineImageUrl } from '../../../src/webview/render/urlPolicy';

describe('urlPolicy', () => {
  it('allows web and mail links', () => {
    assert.ok(isAllowedLinkUrl('https://example.com/a?b=c'));
    assert.ok(isAllowedLinkUrl('HTTP://example.com'));
    assert.ok(isAllowedLinkUrl('mailto:someone@example.com'));
  });

  it('refuses links that run or open things inside VS Code or the machine', () => {
    for (const url of [
      'javascript:alert(1)', 'JavaScript:alert(1)', 'java\tscript:alert(1)', ' javascript:alert(1)',
      'command:workbench.action.terminal.new', 'vscode:extension/x', 'file:///etc/passwd',
      'data:text/html,<script>1</script>', 'vscode-webview://x', '/relative/path', '#anchor',
    ]) {
      assert.equal(isAllowedLinkUrl(url), false, url);
    }
  });

  it('treats only data:image URLs as images that may be shown', () => {
    assert.ok(isInlineImageUrl('data:image/png;base64,AAAA'));
    assert.ok(isInlineImageUrl('data:image/svg+xml,%3Csvg%3E'));
    assert.equal(isInlineImageUrl('https://example.com/a.png'), false);
    assert.equal(isInlineImageUrl('//example.com/a.png'), false);
    assert.equal(isInlineImageUrl('data:text/html;base64,AAAA'), false);
    assert.equal(isInlineImageUrl(''), false);
  });

  it('labels a blocked image with its alt text', () => {
    assert.equal(blockedImageLabel('a chart'), '[image blocked: a chart]');
    assert.equal(blockedImageLabel('  '), '[image blocked]');
  });
});
