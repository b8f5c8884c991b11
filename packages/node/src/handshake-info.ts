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

export function describeHandshake(
  request: HandshakeRequest,
  connection: Pick<EstablishedConnection, 'head' | 'result'>,
  secretHeaders: readonly string[],
): HandshakeInfo {
  const { head, result } = connection as { head: EstablishedConnection['head']; result: HandshakeResult };
  const url = new URL(request.url.href);
  url.username = '';
  url.password = '';
  return Object.freeze({
    url: url.href,
    key: request.key,
    accept: (result.headers['sec-websocket-accept'] ?? '').trim(),
    status: head.status,
    statusText: head.statusText,
    requestHeaders: Object.freeze(redactHeaders(request.headers, secretHeaders)),
    responseHeaders: Object.freeze(head.headers.map(([name, value]) => [name, value] as const)),
    protocol: result.protocol,
    extensions: Object.freeze(result.extensions.map(({ name, params }) => Object.freeze({ name, params }))),
  });
}
