import assert from 'node:assert/strict';
import { composerKeyAction, outgoingText, type KeyPress } from '../../../src/webview/view/composerKeys';

function press(key: string, extra: Partial<KeyPress> = {}): KeyPress {
  return { key, shiftKey: false, altKey: false, isComposing: false, ...extra };
}

describe('composer keys', () => {
  it('sends on Enter and leaves Shift+Enter to insert a line break', () => {
    assert.equal(composerKeyAction(press('Enter'), false), 'send');
    assert.equal(composerKeyAction(press('Enter', { shiftKey: true }), false), 'default');
  });

  it('never sends while an input method is composing', () => {
    assert.equal(composerKeyAction(press('Enter', { isComposing: true }), false), 'default');
    assert.equal(composerKeyAction(press('Enter', { keyCode: 229 }), false), 'default');
  });

  it('stops on Escape only while an answer is running', () => {
    assert.equal(composerKeyAction(press('Escape'), true), 'stop');
    assert.equal(composerKeyAction(press('Escape'), false), 'default');
  });

  it('lets other keys through', () => {
    assert.equal(composerKeyAction(press('a'), true), 'default');
  });
});

describe('outgoingText', () => {
  it('refuses empty and whitespace-only text', () => {
    assert.equal(outgoingText(''), undefined);
    assert.equal(outgoingText(' \n\t \r\n'), undefined);
  });

  it('drops surrounding blank lines but keeps the indentation of the first line', () => {
    assert.equal(outgoingText('\n\n    indented code\n  more  \n\n'), '    indented code\n  more');
    assert.equal(outgoingText('hello'), 'hello');
  });
});
