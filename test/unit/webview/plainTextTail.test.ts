import assert from 'node:assert/strict';
import { plainTextTail } from '../../../src/webview/render/plainTextTail';

describe('plainTextTail', () => {
  it('gives the words that followed a paragraph since it was rendered', () => {
    assert.equal(plainTextTail('The server streams', 'The server streams tokens while'), ' tokens while');
  });

  it('keeps the space that marked trimmed off the rendered end', () => {
    assert.equal(plainTextTail('The server ', 'The server streams'), ' streams');
  });

  it('is empty when nothing followed', () => {
    assert.equal(plainTextTail('The server', 'The server'), '');
  });

  it('applies to a list item, a quote and a later line of a paragraph once their text has begun', () => {
    assert.equal(plainTextTail('- Keep the cache', '- Keep the cache warm'), ' warm');
    assert.equal(plainTextTail('1. Load the', '1. Load the file'), ' file');
    assert.equal(plainTextTail('> Note that', '> Note that it'), ' it');
    assert.equal(plainTextTail('First line\nsecond', 'First line\nsecond line'), ' line');
  });

  it('needs a re-render when the tail may be markdown', () => {
    for (const tail of [' `code', ' **bold', ' [link', '](url)', ' _x', ' a\\', ' ~~', ' <b>', ' &amp;', ' x|y', ' #', ' !', ' a: b', ' a@b']) {
      assert.equal(plainTextTail('Some text', `Some text${tail}`), undefined, tail);
    }
  });

  it('needs a re-render when a new line starts', () => {
    assert.equal(plainTextTail('- one', '- one\n- two'), undefined);
    assert.equal(plainTextTail('Title', 'Title\n'), undefined);
  });

  it('needs a re-render while the line could still turn into another block', () => {
    assert.equal(plainTextTail('1', '1. Step'), undefined);
    assert.equal(plainTextTail('-', '- item'), undefined);
    assert.equal(plainTextTail('    ', '    code'), undefined);
    assert.equal(plainTextTail('', 'Text'), undefined);
  });

  it('needs a re-render on lines that hold a table row, a heading or raw HTML', () => {
    assert.equal(plainTextTail('| a | b', '| a | bc'), undefined);
    assert.equal(plainTextTail('## Caching', '## Caching results'), undefined);
    assert.equal(plainTextTail('See <span>this', 'See <span>this one'), undefined);
  });

  it('needs a re-render where the text may become a link or an entity on its own', () => {
    assert.equal(plainTextTail('Visit ww', 'Visit www.example'), undefined);
    assert.equal(plainTextTail('Go to https://example', 'Go to https://example.com'), undefined);
    assert.equal(plainTextTail('Mail me@example', 'Mail me@example.com'), undefined);
    assert.equal(plainTextTail('Fish &amp', 'Fish &amp;'), undefined);
  });

  it('needs a re-render when the text was replaced rather than extended', () => {
    assert.equal(plainTextTail('The server', 'A server streams'), undefined);
  });
});
