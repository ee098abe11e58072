import assert from 'node:assert/strict';
import type { Turn } from '../../../src/protocol/messages';
import { earlierButtonText, earlierCount, scrollTopAfterPrepend, SHOW_EARLIER_LABEL, turnsToPrepend } from '../../../src/webview/view/transcriptPage';

const question = (id: string): Turn => ({ id, role: 'user', text: id, attachments: [], createdAt: 0 });

describe('the Show Earlier Messages button', () => {
  it('is named for tests and screen readers, and says how many there are', () => {
    assert.equal(SHOW_EARLIER_LABEL, 'Show Earlier Messages');
    assert.equal(earlierButtonText(40, false), 'Show 40 earlier messages');
    assert.equal(earlierButtonText(1, false), 'Show 1 earlier message');
    assert.equal(earlierButtonText(2500, false), 'Show 2,500 earlier messages');
    assert.equal(earlierButtonText(40, true), 'Loading earlier messages…');
  });

  it('reads the count of earlier turns as a whole, non-negative number', () => {
    assert.equal(earlierCount(40), 40);
    assert.equal(earlierCount(3.9), 3);
    assert.equal(earlierCount(-1), 0);
    assert.equal(earlierCount(Number.NaN), 0);
  });
});

describe('turnsToPrepend', () => {
  it('keeps the order the host sent and skips turns shown already or repeated', () => {
    const shown = new Set(['u3']);
    const result = turnsToPrepend([question('u1'), question('u2'), question('u1'), question('u3')], (id) => shown.has(id));
    assert.deepEqual(result.map((turn) => turn.id), ['u1', 'u2']);
  });
});

describe('scrollTopAfterPrepend', () => {
  it('moves the view by as much as the first shown turn moved down', () => {
    // The reader was 300 px down; 1200 px of earlier turns went in above the anchor.
    assert.equal(scrollTopAfterPrepend(300, 40, 1240), 1500);
    assert.equal(scrollTopAfterPrepend(0, 8, 908), 900);
  });

  it('never goes above the top', () => {
    assert.equal(scrollTopAfterPrepend(10, 100, 50), 0);
  });
});
