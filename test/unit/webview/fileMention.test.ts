import assert from 'node:assert/strict';
import { fileMentionAt, LatestRequest, removeFileMention } from '../../../src/webview/view/fileMention';

describe('fileMentionAt', () => {
  it('finds the @word the caret is in, with what was typed before the caret', () => {
    assert.deepEqual(fileMentionAt('@a', 2), { query: 'a', start: 0, end: 2 });
    assert.deepEqual(fileMentionAt('explain @app', 12), { query: 'app', start: 8, end: 12 });
    // Caret moved back into the word: the query stops at the caret, the word does not.
    assert.deepEqual(fileMentionAt('see @app.ts now', 7), { query: 'ap', start: 4, end: 11 });
    assert.deepEqual(fileMentionAt('line one\n@src/ut', 16), { query: 'src/ut', start: 9, end: 16 });
    assert.deepEqual(fileMentionAt('a\t@x', 4), { query: 'x', start: 2, end: 4 });
  });

  it('needs at least one character after the @', () => {
    assert.equal(fileMentionAt('@', 1), undefined);
    assert.equal(fileMentionAt('look at @', 9), undefined);
    assert.equal(fileMentionAt('look at @ now', 9), undefined);
  });

  it('ignores an @ inside a word (e-mail addresses, decorators after text) and @@', () => {
    assert.equal(fileMentionAt('mail me@example.com', 19), undefined);
    assert.equal(fileMentionAt('foo@bar', 7), undefined);
    assert.equal(fileMentionAt('@@x', 3), undefined);
  });

  it('offers nothing once the caret has left the word, or while a range is selected', () => {
    assert.equal(fileMentionAt('@app ', 5), undefined);
    assert.equal(fileMentionAt('@app and more', 9), undefined);
    assert.equal(fileMentionAt('x @app', 1), undefined);
    assert.equal(fileMentionAt('@app', 0), undefined, 'caret before the @');
    assert.equal(fileMentionAt('@app', undefined), undefined);
    assert.equal(fileMentionAt('@app', 9), undefined, 'caret past the end');
  });
});

describe('removeFileMention', () => {
  it('takes the @word out and puts the caret where it was', () => {
    assert.deepEqual(removeFileMention('@app', { start: 0, end: 4 }), { text: '', caret: 0 });
    assert.deepEqual(removeFileMention('explain @app', { start: 8, end: 12 }), { text: 'explain ', caret: 8 });
  });

  it('leaves no double space behind', () => {
    assert.deepEqual(removeFileMention('explain @app.ts please', { start: 8, end: 15 }), { text: 'explain please', caret: 8 });
    assert.deepEqual(removeFileMention('@app.ts explain', { start: 0, end: 7 }), { text: 'explain', caret: 0 });
    // A line break after the word is the user's and stays.
    assert.deepEqual(removeFileMention('see @a\nnext', { start: 4, end: 6 }), { text: 'see \nnext', caret: 4 });
  });

  it('works with what fileMentionAt found', () => {
    const text = 'compare @ap with that';
    const mention = fileMentionAt(text, 11);
    assert.ok(mention !== undefined);
    assert.deepEqual(removeFileMention(text, mention), { text: 'compare with that', caret: 8 });
  });
});

describe('LatestRequest', () => {
  it('gives each request a fresh id and takes only the latest answer', () => {
    const requests = new LatestRequest('files');
    const first = requests.next();
    const second = requests.next();
    assert.notEqual(first, second);
    assert.equal(requests.isCurrent(first), false, 'a stale answer');
    assert.equal(requests.isCurrent(second), true);
    assert.equal(requests.isCurrent('other'), false);
  });

  it('takes no answer after it was invalidated, nor before any request', () => {
    const requests = new LatestRequest('files');
    assert.equal(requests.isCurrent('files-0'), false);
    const id = requests.next();
    requests.invalidate();
    assert.equal(requests.isCurrent(id), false);
  });
});
