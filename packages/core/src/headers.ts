/** Header input accepted wherever the caller gives headers. */
export type HeadersInput =
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | Iterable<readonly [string, string]>
  | { forEach(callback: (value: string, name: string) => void): void };

/**
 * Flattens any header input into `[name, value]` pairs, keeping order and repeats.
 */
export function headerEntries(input: HeadersInput | undefined): Array<[string, string]> {
  if (!input) return [];
  const out: Array<[string, string]> = [];
  if (
    typeof (input as { forEach?: unknown }).forEach === 'function' &&
    !(Symbol.iterator in input) &&
    !Array.isArray(input)
  ) {
    (input as { forEach(cb: (v: string, n: string) => void): void }).forEach((value, name) => {
      out.push([name, value]);
    });
    return out;
  }
  if (Symbol.iterator in (input as object)) {
    for (const pair of input as Iterable<readonly [string, string]>) out.push([pair[0], pair[1]]);
    return out;
  }
  for (const [name, value] of Object.entries(input as Record<string, string | readonly string[] | undefined>)) {
    if (value === undefined) continue;
    if (typeof value === 'string') out.push([name, value]);
    else for (const item of value) out.push([name, item]);
  }
  return out;
}

/**
 * Lower-cased header map where repeated fields are joined with `, ` (RFC 9110 §5.3), which is
 * how every list-valued handshake header is meant to be read. `Cookie` is joined with `; `
 * instead: a request carries one cookie list, whose separator that is (RFC 6265 §5.4).
 */
export function headerRecord(input: HeadersInput | undefined): Record<string, string> {
  // Without a prototype, so that `constructor` and `__proto__` are header names like any other;
  // the copy returned is a plain object again.
  const record: Record<string, string> = Object.create(null);
  for (const [name, value] of headerEntries(input)) {
    const key = name.toLowerCase();
    record[key] = key in record ? `${record[key]}${key === 'cookie' ? ';' : ','} ${value}` : value;
  }
  return { ...record };
}

/** Header names whose values are credentials by default, redacted wherever headers are shown. */
export const DEFAULT_SECRET_HEADERS: readonly string[] = [
  'authorization',
  'cookie',
  'proxy-authorization',
  'set-cookie',
];

/** The lower-cased names of the headers that hold credentials: the defaults and `secretHeaders`. */
export function secretHeaderNames(secretHeaders: readonly string[] = []): Set<string> {
  return new Set([...DEFAULT_SECRET_HEADERS, ...secretHeaders.map((name) => name.toLowerCase())]);
}

/**
 * Returns a copy of `headers` with the values of secret headers replaced by `[redacted]`, for
 * logs, diagnostics and error messages. Entries of `Sec-WebSocket-Protocol` listed in
 * `secretProtocols` (a token carried as a subprotocol) are replaced one by one, the others kept.
 */
export function redactHeaders(
  headers: ReadonlyArray<readonly [string, string]>,
  secretHeaders: readonly string[] = [],
  secretProtocols: readonly string[] = [],
): Array<[string, string]> {
  const secret = secretHeaderNames(secretHeaders);
  return headers.map(([name, value]) => {
    const lowerName = name.toLowerCase();
    if (secret.has(lowerName)) return [name, '[redacted]'];
    if (lowerName !== 'sec-websocket-protocol' || secretProtocols.length === 0) return [name, value];
    // RFC 6455 §4.1: a comma-separated list of tokens.
    const entries = value.split(',').map((entry) => entry.trim());
    return [name, entries.map((entry) => (secretProtocols.includes(entry) ? '[redacted]' : entry)).join(', ')];
  });
}
