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
    assert.equal(composerKeyAction(press('ArrowDown'), false), 'default');
    assert.equal(composerKeyAction(press('Tab'), false), 'default');
  });
});

describe('composer keys with the slash-command popup open', () => {
  const open = (p: KeyPress, busy = false) => composerKeyAction(p, busy, true);

  it('moves the highlight with the arrow keys', () => {
    assert.equal(open(press('ArrowDown')), 'completionNext');
    assert.equal(open(press('ArrowUp')), 'completionPrevious');
    // Shift+arrows still extend the text selection.
    assert.equal(open(press('ArrowDown', { shiftKey: true })), 'default');
  });

  it('accepts with Enter or Tab, and Enter never sends', () => {
    assert.equal(open(press('Enter')), 'completionAccept');
    assert.equal(open(press('Tab')), 'completionAccept');
    assert.equal(open(press('Tab', { shiftKey: true })), 'default');
    assert.equal(open(press('Enter', { shiftKey: true })), 'default');
    assert.equal(open(press('Enter', { ctrlKey: true })), 'default');
    assert.equal(open(press('Enter', { metaKey: true })), 'default');
  });

  it('closes on Escape, even while an answer runs (Escape does not stop it then)', () => {
    assert.equal(open(press('Escape')), 'completionClose');
    assert.equal(open(press('Escape'), true), 'completionClose');
  });

  it('leaves keys to the input method while it composes', () => {
    assert.equal(open(press('Enter', { isComposing: true })), 'default');
    assert.equal(open(press('ArrowDown', { keyCode: 229 })), 'default');
  });

  it('lets typing through', () => {
    assert.equal(open(press('x')), 'default');
    assert.equal(open(press('Backspace')), 'default');
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

describe('composer keys for editing a question', () => {
  const keys = (p: KeyPress, state: { editing?: boolean; inputEmpty?: boolean }, busy = false, open = false) =>
    composerKeyAction(p, busy, open, state);

  it('edits the last question on ArrowUp in an empty input', () => {
    assert.equal(keys(press('ArrowUp'), { inputEmpty: true }), 'editLast');
    assert.equal(keys(press('ArrowUp'), { inputEmpty: true }, true), 'editLast', 'also while an answer runs');
  });

  it('leaves ArrowUp to the caret when there is text, a modifier, a popup, or an edit going on', () => {
    assert.equal(keys(press('ArrowUp'), { inputEmpty: false }), 'default');
    assert.equal(keys(press('ArrowUp'), {}), 'default');
    assert.equal(keys(press('ArrowUp', { shiftKey: true }), { inputEmpty: true }), 'default');
    assert.equal(keys(press('ArrowUp', { altKey: true }), { inputEmpty: true }), 'default');
    assert.equal(keys(press('ArrowUp', { ctrlKey: true }), { inputEmpty: true }), 'default');
    assert.equal(keys(press('ArrowUp'), { inputEmpty: true }, false, true), 'completionPrevious');
    assert.equal(keys(press('ArrowUp'), { inputEmpty: true, editing: true }), 'default');
    assert.equal(keys(press('ArrowUp', { isComposing: true }), { inputEmpty: true }), 'default');
  });

  it('cancels the edit on Escape, before stopping an answer', () => {
    assert.equal(keys(press('Escape'), { editing: true }), 'cancelEdit');
    assert.equal(keys(press('Escape'), { editing: true }, true), 'cancelEdit');
    assert.equal(keys(press('Escape'), { editing: false }, true), 'stop');
  });

  it('lets an open popup take Escape and Enter first', () => {
    assert.equal(keys(press('Escape'), { editing: true }, false, true), 'completionClose');
    assert.equal(keys(press('Enter'), { editing: true }, false, true), 'completionAccept');
  });

  it('sends (resends) on Enter while editing', () => {
    assert.equal(keys(press('Enter'), { editing: true }), 'send');
    assert.equal(keys(press('Enter', { shiftKey: true }), { editing: true }), 'default');
  });
});
