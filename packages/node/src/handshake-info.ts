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
 * is first read, so it holds neither the request object (its `URL`, offers) nor the response's
 * header record, which would double an idle connection's memory.
 */
export interface HandshakeRecord {
  /** The href of the URL connected to (the last hop's). */
  readonly href: string;
  readonly key: string;
  readonly requestHeaders: ReadonlyArray<readonly [string, string]>;
  readonly head: EstablishedConnection['head'];
  readonly protocol: string;
  readonly extensions: HandshakeResult['extensions'];
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
    requestHeaders: request.headers,
    head,
    protocol: result.protocol,
    extensions: result.extensions,
  };
}

export function describeHandshake(record: HandshakeRecord, secretHeaders: readonly string[]): HandshakeInfo {
  const { head } = record;
  const url = new URL(record.href);
  url.username = '';
  url.password = '';
  const accept = head.headers.find(([name]) => name.toLowerCase() === 'sec-websocket-accept')?.[1] ?? '';
  return Object.freeze({
    url: url.href,
    key: record.key,
    accept: accept.trim(),
    status: head.status,
    statusText: head.statusText,
    requestHeaders: Object.freeze(redactHeaders(record.requestHeaders, secretHeaders)),
    responseHeaders: Object.freeze(head.headers.map(([name, value]) => [name, value] as const)),
    protocol: record.protocol,
    extensions: Object.freeze(record.extensions.map(({ name, params }) => Object.freeze({ name, params }))),
  });
}
