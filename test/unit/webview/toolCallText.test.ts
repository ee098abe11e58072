import assert from 'node:assert/strict';
import type { ToolCallStatus } from '../../../src/protocol/messages';
import { markdownToHtml } from '../../../src/webview/render/markdownToHtml';
import {
  approvalAnnouncement, isToolDecision, mayTakeFocusForApproval, proposalButtons, TOOL_CALL_STATUS_LABELS, toolCallButtons,
  toolCallRequestLine, toolCallStatusLabel, toolResultLanguage, toolResultMarkdown, toolResultSummary, toolsOfferedSummary,
} from '../../../src/webview/view/toolCallText';
// Results are highlighted by the highlighter script, as in the webview once it has loaded.
import '../../../src/webview/highlighter';

const ALL_STATUSES: ToolCallStatus[] = ['checking', 'awaiting-approval', 'running', 'done', 'denied', 'failed', 'cancelled'];

describe('tool call card text', () => {
  it('says each status in words', () => {
    assert.deepEqual(ALL_STATUSES.map(toolCallStatusLabel), [
      'Checking', 'Waiting for your approval', 'Running…', 'Done', 'Denied', 'Failed', 'Cancelled',
    ]);
    assert.equal(Object.keys(TOOL_CALL_STATUS_LABELS).length, ALL_STATUSES.length);
  });

  it('offers Allow once, Always allow and Deny while a call waits, Always only where allowed', () => {
    const labels = (canAlwaysAllow: boolean | undefined) =>
      toolCallButtons({ status: 'awaiting-approval', ...(canAlwaysAllow !== undefined ? { canAlwaysAllow } : {}) }, true).map((b) => `${b.decision}:${b.label}`);
    assert.deepEqual(labels(true), ['once:Allow once', 'always:Always allow this tool', 'deny:Deny']);
    assert.deepEqual(labels(false), ['once:Allow once', 'deny:Deny']);
    assert.deepEqual(labels(undefined), ['once:Allow once', 'deny:Deny']);
  });

  it('offers no buttons in any other status, nor once the answer has ended', () => {
    for (const status of ALL_STATUSES.filter((s) => s !== 'awaiting-approval')) {
      assert.deepEqual(toolCallButtons({ status, canAlwaysAllow: true }, true), [], status);
    }
    assert.deepEqual(toolCallButtons({ status: 'awaiting-approval', canAlwaysAllow: true }, false), []);
  });

  it('knows the decisions and nothing else', () => {
    assert.ok(isToolDecision('once') && isToolDecision('always') && isToolDecision('deny'));
    for (const value of [undefined, '', 'allow', 'toString', '__proto__']) assert.equal(isToolDecision(value), false, String(value));
  });

  it('shows the HTTP request line only when there is one', () => {
    assert.deepEqual(toolCallRequestLine({ method: 'get', url: 'https://api.example/items/1' }), { method: 'GET', url: 'https://api.example/items/1' });
    assert.deepEqual(toolCallRequestLine({ url: 'https://api.example/' }), { method: '', url: 'https://api.example/' });
    assert.equal(toolCallRequestLine({}), undefined);
    assert.equal(toolCallRequestLine({ method: ' ', url: '' }), undefined);
  });

  it('calls a failed call\'s output an error', () => {
    assert.equal(toolResultSummary('done'), 'Result');
    assert.equal(toolResultSummary('failed'), 'Error');
  });

  it('announces a call that waits, naming the tool and its plugin', () => {
    assert.equal(approvalAnnouncement({ tool: 'getItem', plugin: 'inventory' }), 'Patchbay wants to call getItem (inventory)');
    assert.equal(approvalAnnouncement({ tool: 'now' }), 'Patchbay wants to call now');
  });

  it('sums up the tools offered and how', () => {
    assert.equal(toolsOfferedSummary({ names: ['a', 'b', 'c'], total: 40, mode: 'native' }), 'Tools offered: 3 of 40 (native)');
    assert.equal(toolsOfferedSummary({ names: ['a'], total: 2, mode: 'prompt' }), 'Tools offered: 1 of 2 (described in the prompt)');
    assert.equal(toolsOfferedSummary({ names: ['a', 'b'], total: 0, mode: 'native' }), 'Tools offered: 2 of 2 (native)');
  });
});

describe('tool results', () => {
  it('highlights a result as JSON only when all of it parses as an object or array', () => {
    assert.equal(toolResultLanguage('{"id":1,"name":"Left-handed screwdriver"}'), 'json');
    assert.equal(toolResultLanguage('  [1, 2]\n'), 'json');
    assert.equal(toolResultLanguage('{"id":1,"name":"cut for disp'), 'text');
    assert.equal(toolResultLanguage('true'), 'text');
    assert.equal(toolResultLanguage('HTTP 404 Not Found'), 'text');
    assert.equal(toolResultLanguage(''), 'text');
  });

  it('fences a result so that nothing in it can close the fence', () => {
    assert.equal(toolResultMarkdown('{"a":1}'), '```json\n{"a":1}\n```\n');
    assert.equal(toolResultMarkdown('line\n'), '```text\nline\n```\n');
    const tricky = 'before\n```\n# not a heading\n````\nafter';
    const markdown = toolResultMarkdown(tricky);
    assert.ok(markdown.startsWith('`````text\n'));
    const html = markdownToHtml(markdown, { highlight: true });
    assert.equal(html.match(/<pre>/g)?.length, 1);
    assert.doesNotMatch(html, /<h1>/);
    assert.match(html, /# not a heading/);
  });

  it('keeps the text as received (large numbers are not rounded)', () => {
    const html = markdownToHtml(toolResultMarkdown('{"id": 12345678901234567890}'), { highlight: true });
    assert.match(html, /12345678901234567890/);
    assert.match(html, /class="language-json"/);
    assert.match(html, /hljs-/);
  });

  it('shows markup and images in a result as text, never as elements', () => {
    for (const result of ['<img src="https://evil.example/x.png">', '![x](https://evil.example/x.png)', '<script>alert(1)</script>']) {
      const html = markdownToHtml(toolResultMarkdown(result), { highlight: true });
      assert.doesNotMatch(html, /<img|<script|blocked-image/, result);
      assert.match(html, /<pre><code class="language-text">/, result);
    }
  });
});

describe('focus for an approval card', () => {
  const focus = (tagName: string | undefined, isContentEditable = false, isApprovalButton = false) =>
    mayTakeFocusForApproval({ tagName, isContentEditable, isApprovalButton });

  it('takes focus when nothing in particular has it', () => {
    assert.equal(focus(undefined), true);
    assert.equal(focus('DIV'), true);
    assert.equal(focus('BUTTON'), true);
    assert.equal(focus('SECTION'), true);
  });

  it('never takes it from where the user types or chooses, nor from another waiting card', () => {
    assert.equal(focus('TEXTAREA'), false);
    assert.equal(focus('INPUT'), false);
    assert.equal(focus('SELECT'), false);
    assert.equal(focus('DIV', true), false);
    assert.equal(focus('BUTTON', false, true), false);
  });
});

describe('a proposed edit\'s buttons', () => {
  it('say Accept and Reject, and name the file for screen readers and tests, while the proposal is pending', () => {
    assert.deepEqual(proposalButtons({ path: 'src/greet.js', state: 'pending' }), [
      { decision: 'accept', text: 'Accept', label: 'Accept the proposed change to src/greet.js' },
      { decision: 'reject', text: 'Reject', label: 'Reject the proposed change to src/greet.js' },
    ]);
  });

  it('are gone once the user has decided', () => {
    assert.deepEqual(proposalButtons({ path: 'a.txt', state: 'accepted' }), []);
    assert.deepEqual(proposalButtons({ path: 'a.txt', state: 'rejected' }), []);
  });
});
