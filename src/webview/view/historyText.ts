/**
 * The words and keyboard rules of the history list, as pure functions unit-tested in Node:
 * relative dates, counts, empty states, and where the arrow keys move.
 */
import { formatCount } from './numberText';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function startOfDay(time: number): number {
  const date = new Date(time);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** Whole calendar days from `then` to `now`, in local time (daylight-saving days included). */
function calendarDaysBetween(then: number, now: number): number {
  return Math.round((startOfDay(now) - startOfDay(then)) / (24 * HOUR));
}

/**
 * A short date relative to `now` (local time): "just now", "5 min ago", "3 h ago", "yesterday",
 * "4 days ago", then "Mar 4" within the year and "Mar 4, 2023" before. A time in the future
 * (another machine's clock) reads as "just now".
 */
export function relativeDate(time: number, now: number): string {
  const elapsed = now - time;
  if (!Number.isFinite(elapsed)) return '';
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  const days = calendarDaysBetween(time, now);
  if (days <= 0) return `${Math.floor(elapsed / HOUR)} h ago`;
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  const date = new Date(time);
  const day = `${MONTHS[date.getMonth()] ?? ''} ${date.getDate()}`;
  return date.getFullYear() === new Date(now).getFullYear() ? day : `${day}, ${date.getFullYear()}`;
}

/** The full local date and time, for a tooltip: "Mar 4, 2025, 09:05". */
export function fullDate(time: number): string {
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[date.getMonth()] ?? ''} ${date.getDate()}, ${date.getFullYear()}, ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "1 message", "12 messages": the questions and answers of a conversation. */
export function turnCountText(count: number): string {
  const whole = Math.max(0, Math.round(count));
  return whole === 1 ? '1 message' : `${formatCount(whole)} messages`;
}

/** The title a row shows (and is named by); a conversation may not have one yet. */
export function displayTitle(title: string): string {
  const trimmed = title.trim();
  return trimmed === '' ? 'Untitled conversation' : trimmed;
}

/** What the list says when it has no rows. */
export function historyEmptyText(query: string): string {
  return query.trim() === '' ? 'No saved conversations' : 'No conversations match';
}

/** The same query, as far as telling a current answer from a stale one goes. */
export function sameQuery(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * The row the arrow keys, Home and End move to from `index` in a list of `count` rows; undefined
 * for other keys. It stops at either end rather than wrapping (the search box sits above).
 */
export function historyRowAfterKey(key: string, index: number, count: number): number | undefined {
  if (count <= 0) return undefined;
  switch (key) {
    case 'ArrowDown':
      return Math.min(index + 1, count - 1);
    case 'ArrowUp':
      return Math.max(index - 1, 0);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}
