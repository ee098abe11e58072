import assert from 'node:assert/strict';
import { cancelEditing, editedTurnRemoved, resendEdited, startEditing } from '../../../src/webview/view/editState';

describe('editing an earlier question', () => {
  it('keeps the draft that was in the input, and gives it back on cancel', () => {
    const state = startEditing(undefined, 'u1', 'half-written next question');
    assert.deepEqual(state, { turnId: 'u1', draftBefore: 'half-written next question' });
    assert.deepEqual(cancelEditing(state), { input: 'half-written next question' });
  });

  it('keeps the first draft when switching to another question (the first question is no draft)', () => {
    const first = startEditing(undefined, 'u1', 'my draft');
    const second = startEditing(first, 'u3', 'text of u1 being edited');
    assert.deepEqual(second, { turnId: 'u3', draftBefore: 'my draft' });
  });

  it('resends the edited text for that question and brings the draft back', () => {
    const state = startEditing(undefined, 'u1', 'draft');
    assert.deepEqual(resendEdited(state, '\n  What about Rust?  \n'), {
      message: { type: 'editAndResend', turnId: 'u1', text: '  What about Rust?' },
      input: 'draft',
    });
  });

  it('sends nothing for an empty question', () => {
    const state = startEditing(undefined, 'u1', '');
    assert.equal(resendEdited(state, '   \n'), undefined);
  });

  it('ends when the question is removed, not when others are', () => {
    const state = startEditing(undefined, 'u1', '');
    assert.equal(editedTurnRemoved(state, ['u1', 'a1']), true);
    assert.equal(editedTurnRemoved(state, ['u2']), false);
    assert.equal(editedTurnRemoved(undefined, ['u1']), false);
  });
});
