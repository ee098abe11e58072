/**
 * Whole numbers as the panel shows them: "1,234". Done by hand rather than with
 * `toLocaleString`, whose first call sets up Intl and costs tens of milliseconds, on the path
 * that opens a conversation. Pure, unit-tested in Node.
 */
export function formatCount(count: number): string {
  if (!Number.isFinite(count)) return '0';
  const whole = Math.round(count);
  const digits = String(Math.abs(whole)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return whole < 0 ? `-${digits}` : digits;
}
