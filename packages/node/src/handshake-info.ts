import { type ExtensionParam, type HandshakeRequest, type HandshakeResult, redactHeaders } from '@sturdysocket/core';
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
 * What `describeHandshake` needs, and no more: an open connection keeps this until `handshake`
 * is first read. Header fields are flattened into one string each (names and values joined by
 * NUL, which HTTP forbids in both): a list of pairs costs an array per field, and the response's
 * fields, slices of the whole response text, would keep that text alive too.
 */
export interface HandshakeRecord {
  /** The href of the URL connected to (the last hop's). */
  readonly href: string;
  readonly key: string;
  readonly requestHeaders: string;
  readonly status: number;
  readonly statusText: string;
  readonly responseHeaders: string;
  readonly protocol: string;
  readonly extensions: HandshakeResult['extensions'];
}

const SEPARATOR = '\0';

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

/** Keeps what `describeHandshake` will need from an established connection. */
export function recordHandshake(
  request: HandshakeRequest,
  connection: Pick<EstablishedConnection, 'head' | 'result'>,
): HandshakeRecord {
  const { head, result } = connection;
  return {
    href: request.url.href,
    key: request.key,
    requestHeaders: flatten(request.headers),
    status: head.status,
    // A copy, not a slice of the response text (which a slice keeps alive).
    statusText: [...head.statusText].join(''),
    responseHeaders: flatten(head.headers),
    protocol: result.protocol,
    extensions: result.extensions,
  };
}

export function describeHandshake(record: HandshakeRecord, secretHeaders: readonly string[]): HandshakeInfo {
  const url = new URL(record.href);
  url.username = '';
  url.password = '';
  const responseHeaders = unflatten(record.responseHeaders);
  const accept = responseHeaders.find(([name]) => name.toLowerCase() === 'sec-websocket-accept')?.[1] ?? '';
  return Object.freeze({
    url: url.href,
    key: record.key,
    accept: accept.trim(),
    status: record.status,
    statusText: record.statusText,
    requestHeaders: Object.freeze(redactHeaders(unflatten(record.requestHeaders), secretHeaders)),
    responseHeaders: Object.freeze(responseHeaders.map(([name, value]) => [name, value] as const)),
    protocol: record.protocol,
    extensions: Object.freeze(record.extensions.map(({ name, params }) => Object.freeze({ name, params }))),
  });
}
