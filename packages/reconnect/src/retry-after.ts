/**
 * Parses an HTTP `Retry-After` value (RFC 9110 §10.2.3) into a delay in milliseconds:
 * `delay-seconds` (a non-negative integer) or an `HTTP-date`, measured from `nowMs`.
 * Returns `undefined` for a missing or malformed value; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds) ? seconds * 1000 : undefined;
  }
  // An HTTP-date always names a weekday or month in letters; a bare or signed number is malformed.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
