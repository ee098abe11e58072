import assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../../src/protocol/messages';
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
