import assert from 'node:assert/strict';
import {
  displayTitle, fullDate, historyEmptyText, historyRowAfterKey, relativeDate, sameQuery, turnCountText,
} from '../../../src/webview/view/historyText';

// Local times, so the calendar-day rules hold in any time zone the tests run in.
const at = (year: number, month: number, day: number, hour = 12, minute = 0): number => new Date(year, month - 1, day, hour, minute).getTime();

describe('relativeDate', () => {
  const now = at(2025, 3, 14, 15, 30);

  it('says minutes and hours within the day', () => {
    assert.equal(relativeDate(now - 20_000, now), 'just now');
    assert.equal(relativeDate(now, now), 'just now');
    assert.equal(relativeDate(now - 5 * 60_000, now), '5 min ago');
    assert.equal(relativeDate(now - 59 * 60_000, now), '59 min ago');
    assert.equal(relativeDate(at(2025, 3, 14, 12, 10), now), '3 h ago');
    assert.equal(relativeDate(at(2025, 3, 14, 0, 5), now), '15 h ago');
  });

  it('goes by calendar days after that', () => {
    assert.equal(relativeDate(at(2025, 3, 13, 23, 50), now), 'yesterday');
    assert.equal(relativeDate(at(2025, 3, 13, 1, 0), now), 'yesterday');
    assert.equal(relativeDate(at(2025, 3, 11, 18, 0), now), '3 days ago');
    assert.equal(relativeDate(at(2025, 3, 8, 9, 0), now), '6 days ago');
  });

  it('shows a date after a week, with the year when it is another year', () => {
    assert.equal(relativeDate(at(2025, 3, 7, 9, 0), now), 'Mar 7');
    assert.equal(relativeDate(at(2025, 1, 2), now), 'Jan 2');
    assert.equal(relativeDate(at(2024, 12, 24), now), 'Dec 24, 2024');
  });

  it('reads a time from the future as just now, and gives nothing for a time that is not one', () => {
    assert.equal(relativeDate(now + 3_600_000, now), 'just now');
    assert.equal(relativeDate(Number.NaN, now), '');
  });

  it('counts an hour-ago time just after midnight as yesterday', () => {
    assert.equal(relativeDate(at(2025, 3, 13, 23, 0), at(2025, 3, 14, 0, 30)), 'yesterday');
  });
});

describe('fullDate', () => {
  it('gives the local date and time for the tooltip', () => {
    assert.equal(fullDate(at(2025, 3, 4, 9, 5)), 'Mar 4, 2025, 09:05');
    assert.equal(fullDate(at(2024, 12, 31, 23, 59)), 'Dec 31, 2024, 23:59');
    assert.equal(fullDate(Number.NaN), '');
  });
});

describe('history row text', () => {
  it('counts messages', () => {
    assert.equal(turnCountText(0), '0 messages');
    assert.equal(turnCountText(1), '1 message');
    assert.equal(turnCountText(12), '12 messages');
    assert.equal(turnCountText(1500), '1,500 messages');
  });

  it('names a conversation without a title', () => {
    assert.equal(displayTitle('  Fix the parser '), 'Fix the parser');
    assert.equal(displayTitle(''), 'Untitled conversation');
    assert.equal(displayTitle('   '), 'Untitled conversation');
  });

  it('says why the list is empty', () => {
    assert.equal(historyEmptyText(''), 'No saved conversations');
    assert.equal(historyEmptyText('  '), 'No saved conversations');
    assert.equal(historyEmptyText('parser'), 'No conversations match');
  });

  it('tells the current query from a stale one, ignoring case and outer spaces', () => {
    assert.equal(sameQuery('Parser ', 'parser'), true);
    assert.equal(sameQuery('', ''), true);
    assert.equal(sameQuery('pars', 'parser'), false);
  });
});

describe('historyRowAfterKey', () => {
  it('moves one row with the arrows and stops at the ends', () => {
    assert.equal(historyRowAfterKey('ArrowDown', 0, 3), 1);
    assert.equal(historyRowAfterKey('ArrowDown', 2, 3), 2);
    assert.equal(historyRowAfterKey('ArrowUp', 2, 3), 1);
    assert.equal(historyRowAfterKey('ArrowUp', 0, 3), 0);
  });

  it('jumps with Home and End', () => {
    assert.equal(historyRowAfterKey('Home', 2, 3), 0);
    assert.equal(historyRowAfterKey('End', 0, 3), 2);
  });

  it('leaves other keys alone, and does nothing in an empty list', () => {
    assert.equal(historyRowAfterKey('Enter', 1, 3), undefined);
    assert.equal(historyRowAfterKey('a', 1, 3), undefined);
    assert.equal(historyRowAfterKey('ArrowDown', 0, 0), undefined);
  });
});
