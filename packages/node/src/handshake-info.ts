import { createHash } from 'node:crypto';
import {
  type ExtensionParam,
  type HandshakeRequest,
  type HandshakeResult,
  redactHeaders,
  WEBSOCKET_GUID,
} from '@sturdysocket/core';
import type { EstablishedConnection } from './establish-connection.js';

/** One extension both sides agreed on, as the server stated it. */
export interface HandshakeExtension {
  readonly name: string;
  readonly params: readonly ExtensionParam[];
}

/**
 * Not in WHATWG: the opening handshake this client performed (RFC 6455 §4.1), available as
 * `WebSocket.handshake` once open. Secret request header values (`Authorization`, `Cookie`,
 * `Proxy-Authorization` and the `secretHeaders` option) are replaced by `[redacted]`.
 */
export interface HandshakeInfo {
  /** The URL connected to (after redirects), without user info: handshake details get logged. */
  readonly url: string;
  /** The `Sec-WebSocket-Key` sent. */
  readonly key: string;
  /** The `Sec-WebSocket-Accept` received, verified against `key`. */
  readonly accept: string;
  /** The response status (always 101 once open). */
  readonly status: number;
  readonly statusText: string;
  /** Request header fields in the order sent, secret values redacted. */
  readonly requestHeaders: ReadonlyArray<readonly [string, string]>;
  /** Response header fields in arrival order, names as the server sent them. */
  readonly responseHeaders: ReadonlyArray<readonly [string, string]>;
  /** The negotiated subprotocol, or `''`. */
  readonly protocol: string;
  /** The negotiated extensions with their parameters, in the server's order. */
  readonly extensions: readonly HandshakeExtension[];
}

/**
 * What `describeHandshake` needs besides the key, and no more: an open connection keeps this
 * until `handshake` is first read. Connections whose handshakes differ only in their key (the
 * same URL, options and server) share one record; the key is kept beside it.
 *
 * Header fields are flattened into one string each (names and values joined by NUL, which HTTP
 * forbids in both): a list of pairs costs an array per field, and the response's fields, slices
 * of the whole response text, would keep that text alive too.
 */
export interface HandshakeRecord {
  /** The href of the URL connected to (the last hop's). */
  readonly href: string;
  /**
   * The request's fields, or `undefined` when the connection's options and key make them again
   * exactly (no redirect, no `headers` option): then `handshake` rebuilds them instead.
   */
  readonly requestHeaders: string | undefined;
  readonly status: number;
  readonly statusText: string;
  /**
   * The response's fields. The `Sec-WebSocket-Accept` value is left out (empty) when it is
   * exactly the one the key makes (`acceptFromKey`), so that it does not make every record unique.
   */
  readonly responseHeaders: string;
  readonly acceptFromKey: boolean;
  readonly protocol: string;
  readonly extensions: HandshakeResult['extensions'];
}

const SEPARATOR = '\0';
const ACCEPT = 'sec-websocket-accept';
/** The status text nearly every server sends with 101, kept once rather than copied per connection. */
const SWITCHING_PROTOCOLS = 'Switching Protocols';
const NO_EXTENSIONS: HandshakeResult['extensions'] = /* @__PURE__ */ Object.freeze([]);

function flatten(fields: ReadonlyArray<readonly [string, string]>): string {
  return fields.map(([name, value]) => `${name}${SEPARATOR}${value}`).join(SEPARATOR);
}

function unflatten(flat: string): Array<[string, string]> {
  if (flat === '') return [];
  const parts = flat.split(SEPARATOR);
  const fields: Array<[string, string]> = [];
  for (let i = 0; i + 1 < parts.length; i += 2) fields.push([parts[i] as string, parts[i + 1] as string]);
  return fields;
}

/** RFC 6455 §4.2.2: the accept a key makes, base64(SHA-1(key + GUID)). */
function acceptOf(key: string): string {
  return createHash('sha1')
    .update(key + WEBSOCKET_GUID)
    .digest('base64');
}

/** The last record made, for the next connection to share if its handshake matches. */
let lastRecord: WeakRef<HandshakeRecord> | undefined;

function sameRecord(a: HandshakeRecord, b: HandshakeRecord): boolean {
  return (
    a.href === b.href &&
    a.requestHeaders === b.requestHeaders &&
    a.status === b.status &&
    a.statusText === b.statusText &&
    a.responseHeaders === b.responseHeaders &&
    a.acceptFromKey === b.acceptFromKey &&
    a.protocol === b.protocol &&
    a.extensions === b.extensions
  );
}

/**
 * Keeps what `describeHandshake` will need from an established connection besides its key
 * (`request.key`); the request's fields only when they cannot be made again (`rebuildable`
 * false).
 */
export function recordHandshake(
  request: HandshakeRequest,
  connection: Pick<EstablishedConnection, 'head' | 'result'>,
  rebuildable: boolean,
): HandshakeRecord {
  const { head, result } = connection;
  let acceptFromKey = false;
  const responseFields = head.headers.map(([name, value]) => {
    // Validated: the value, trimmed, is the key's accept (and there is one such field).
    if (name.toLowerCase() !== ACCEPT || value.trim() !== value) return `${name}${SEPARATOR}${value}`;
    acceptFromKey = true;
    return `${name}${SEPARATOR}`;
  });
  const record: HandshakeRecord = {
    href: request.url.href,
    requestHeaders: rebuildable ? undefined : flatten(request.headers),
    status: head.status,
    // A copy, not a slice of the response text (which a slice keeps alive).
    statusText: head.statusText === SWITCHING_PROTOCOLS ? SWITCHING_PROTOCOLS : [...head.statusText].join(''),
    responseHeaders: responseFields.join(SEPARATOR),
    acceptFromKey,
    protocol: result.protocol,
    extensions: result.extensions.length === 0 ? NO_EXTENSIONS : result.extensions,
  };
  const last = lastRecord?.deref();
  if (last !== undefined && sameRecord(last, record)) return last;
  lastRecord = new WeakRef(record);
  return record;
}

/**
 * The `handshake` a record and the key sent describe. `rebuildRequestHeaders` makes the
 * request's fields again from the record's URL and the key, for a record that does not hold them.
 */
export function describeHandshake(
  record: HandshakeRecord,
  key: string,
  secretHeaders: readonly string[],
  secretProtocols: readonly string[],
  rebuildRequestHeaders: (href: string, key: string) => ReadonlyArray<readonly [string, string]>,
): HandshakeInfo {
  const url = new URL(record.href);
  url.username = '';
  url.password = '';
  const responseHeaders = unflatten(record.responseHeaders);
  const acceptField = responseHeaders.find(([name]) => name.toLowerCase() === ACCEPT);
  if (acceptField !== undefined && record.acceptFromKey) acceptField[1] = acceptOf(key);
  return Object.freeze({
    url: url.href,
    key,
    accept: (acceptField?.[1] ?? '').trim(),
    status: record.status,
    statusText: record.statusText,
    requestHeaders: Object.freeze(
      redactHeaders(
        record.requestHeaders === undefined
          ? rebuildRequestHeaders(record.href, key)
          : unflatten(record.requestHeaders),
        secretHeaders,
        secretProtocols,
      ),
    ),
    responseHeaders: Object.freeze(responseHeaders.map(([name, value]) => [name, value] as const)),
    protocol: record.protocol,
    extensions: Object.freeze(record.extensions.map(({ name, params }) => Object.freeze({ name, params }))),
  });
}
