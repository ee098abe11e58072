/**
 * Reads how long a server asked us to wait from `retry-after-ms` (OpenAI's extension) or
 * `Retry-After` (seconds, or an HTTP date). Returns undefined when the server did not say.
 */
export type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

export function retryAfterMs(headers: HeaderSource | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const millis = Number(readHeader(headers, 'retry-after-ms'));
  if (Number.isFinite(millis) && millis >= 0 && readHeader(headers, 'retry-after-ms') !== undefined) return millis;
  const value = readHeader(headers, 'retry-after');
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (typeof headers.get === 'function') return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}
