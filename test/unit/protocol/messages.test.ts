import assert from 'node:assert/strict';
import { parseWebviewMessage, WEBVIEW_NAME_LIMIT, WEBVIEW_TEXT_LIMIT } from '../../../src/protocol/messages';
import { mergeDeltas, WebviewChannel } from '../../../src/host/webviewChannel';

describe('parseWebviewMessage', () => {
  it('accepts every well-formed message', () => {
    for (const message of [
      { type: 'ready' },
      { type: 'send', text: 'hi' },
      { type: 'selectModel', providerId: 'ollama', modelId: 'qwen3:8b' },
      { type: 'codeAction', action: 'insert', code: 'x', language: 'ts' },
      { type: 'codeAction', action: 'copy', code: 'x' },
      { type: 'recover', action: 'setApiKey' },
    ]) {
      assert.deepEqual(parseWebviewMessage(message), { message });
    }
  });

  it('rejects malformed messages with a reason', () => {
    assert.deepEqual(parseWebviewMessage(null), { rejected: 'not an object' });
    assert.deepEqual(parseWebviewMessage({ type: 'runShell', cmd: 'rm' }), { rejected: 'unknown message type "runShell"' });
    assert.deepEqual(parseWebviewMessage({ type: 'send', text: 42 }), { rejected: 'send.text is invalid' });
    assert.deepEqual(parseWebviewMessage({ type: 'codeAction', action: 'delete', code: 'x' }), { rejected: 'codeAction.action is invalid' });
    assert.deepEqual(parseWebviewMessage({ type: 'codeAction', action: 'copy', code: 'x', language: 5 }), { rejected: 'codeAction.language is invalid' });
    assert.deepEqual(parseWebviewMessage({ type: 'recover', action: 'runCommand' }), { rejected: 'recover.action is invalid' });
    assert.deepEqual(parseWebviewMessage({ type: 'toString' }), { rejected: 'unknown message type "toString"' });
  });

  it('refuses a question longer than the limit, saying how long it is and what the limit is', () => {
    const huge = 'x'.repeat(20 * 1024 * 1024);
    const parsed = parseWebviewMessage({ type: 'send', text: huge });
    assert.ok('rejected' in parsed, 'a 20 MB send is refused');
    assert.equal(parsed.rejected, `send.text is too long: 20,971,520 characters, at most ${WEBVIEW_TEXT_LIMIT.toLocaleString('en-US')}`);
    assert.equal(parsed.tooLong, `The question was not sent: it is 20,971,520 characters long, and at most ${WEBVIEW_TEXT_LIMIT.toLocaleString('en-US')} can be sent at once.`);
    const edited = parseWebviewMessage({ type: 'editAndResend', turnId: 't', text: huge });
    assert.ok('rejected' in edited && edited.tooLong?.startsWith('The question was not sent'));
    const code = parseWebviewMessage({ type: 'codeAction', action: 'newFile', code: huge });
    assert.ok('rejected' in code && code.tooLong?.startsWith('The code block was not sent'));
    // Right at the limit is fine.
    assert.ok('message' in parseWebviewMessage({ type: 'send', text: 'y'.repeat(WEBVIEW_TEXT_LIMIT) }));
  });

  it('refuses ids, paths, titles and queries longer than a name can be', () => {
    const long = 'z'.repeat(WEBVIEW_NAME_LIMIT + 1);
    for (const message of [
      { type: 'addFileContext', path: long },
      { type: 'openConversation', conversationId: long },
      { type: 'renameConversation', conversationId: 'c', title: long },
      { type: 'showHistory', query: long },
      { type: 'suggestFiles', requestId: 'r', query: long },
      { type: 'selectModel', providerId: 'p', modelId: long },
      { type: 'runAction', actionKey: long, turnId: 't' },
      { type: 'approveToolCall', callId: long, decision: 'once' },
      { type: 'codeAction', action: 'copy', code: 'x', language: long },
    ]) {
      const parsed = parseWebviewMessage(message);
      assert.ok('rejected' in parsed && /is too long: 4,097 characters, at most 4,096$/.test(parsed.rejected), JSON.stringify(parsed).slice(0, 120));
    }
  });

  it('passes on only the fields the protocol knows, so nothing else rides along', () => {
    const parsed = parseWebviewMessage({ type: 'stop', payload: 'x'.repeat(1000), nested: { deep: true } });
    assert.deepEqual(parsed, { message: { type: 'stop' } });
    assert.deepEqual(parseWebviewMessage({ type: 'codeAction', action: 'copy', code: 'x', extra: 1 }), { message: { type: 'codeAction', action: 'copy', code: 'x' } });
  });
});

describe('mergeDeltas', () => {
  it('concatenates content and reasoning of two deltas of one turn', () => {
    assert.deepEqual(
      mergeDeltas({ type: 'turnDelta', turnId: 't', content: 'a', reasoning: 'r' }, { type: 'turnDelta', turnId: 't', content: 'b' }),
      { type: 'turnDelta', turnId: 't', content: 'ab', reasoning: 'r' },
    );
  });
});

describe('WebviewChannel', () => {
  it('sends the first message at once, then merges what comes within a frame into one post', async () => {
    const posted: unknown[] = [];
    const channel = new WebviewChannel({ postMessage: async (message: unknown) => (posted.push(message), true) });
    channel.markReady({ type: 'focusInput' });
    channel.post({ type: 'turnDelta', turnId: 't', content: 'a' });
    assert.equal(posted.length, 2, 'a quiet channel sends without waiting');
    channel.post({ type: 'turnDelta', turnId: 't', content: 'b' });
    channel.post({ type: 'turnDelta', turnId: 't', content: 'c' });
    channel.post({ type: 'busy', busy: false });
    assert.equal(posted.length, 2);
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.deepEqual(posted.slice(2), [{ type: 'turnDelta', turnId: 't', content: 'bc' }, { type: 'busy', busy: false }]);
  });

  it('sends nothing before the webview is ready', () => {
    const posted: unknown[] = [];
    const channel = new WebviewChannel({ postMessage: async (message: unknown) => (posted.push(message), true) });
    channel.post({ type: 'busy', busy: true });
    assert.deepEqual(posted, []);
  });
});
