import assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../../src/protocol/messages';
import { mergeDeltas } from '../../../src/host/webviewChannel';

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
