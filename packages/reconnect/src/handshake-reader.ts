import { HandshakeError, headerRecord } from '@sturdysocket/core';
import type { HandshakeFailure } from './classifier.js';
import { parseRetryAfter } from './retry-after.js';
import type { WebSocketLike } from './transport.js';

/** What a transport's error tells of a refused handshake. */
export interface HandshakeReading {
  readonly handshake: HandshakeFailure;
  /** The response's `Retry-After`, in milliseconds from the failure, where there is one. */
  readonly retryAfterMs: number | undefined;
}

/**
 * Reads a refused handshake from the error a transport reported, at time `now`; `undefined` when
 * the error says nothing of one. The option `readHandshake` takes it; the classifier decides on
 * what it finds (HTTP 401, 403, 429 with `Retry-After`…).
 */
export interface HandshakeReader {
  (error: unknown, now: number): HandshakeReading | undefined;
  /**
   * Prepares each new socket so that its errors say more, before the loop listens to it (the
   * loop calls it where the reader has it).
   */
  watch?(socket: WebSocketLike): void;
}

/**
 * The handshake reader for the transports that can see the handshake: `@sturdysocket/node`'s
 * `HandshakeError` (reason, status, headers, so `Retry-After` too) and `ws`, whose refusals it
 * turns into such errors as each socket is made (`watchUnexpectedResponses`); without that, `ws`
 * says "Unexpected server response: NNN", which gives the status only. A browser's `WebSocket`
 * shows none of it, which is why `connect()` leaves this out of the browser bundle.
 */
// Pure: a bundle that never uses the reader (a browser's) drops it.
export const readHandshake: HandshakeReader = /* @__PURE__ */ Object.assign(
  (error: unknown, now: number): HandshakeReading | undefined => {
    const handshake = handshakeFailureOf(error);
    if (handshake === undefined) return undefined;
    return { handshake, retryAfterMs: parseRetryAfter(headerOf(handshake.headers, 'retry-after'), now) };
  },
  { watch: watchUnexpectedResponses },
);

/** What `ws` hands an `'unexpected-response'` listener: its request and the server's answer. */
type UnexpectedResponseListener = (
  request: { destroy(error: Error): unknown },
  response: { readonly statusCode?: number; readonly headers: Record<string, string | string[] | undefined> },
) => void;

/**
 * Where a socket reports a refused upgrade as an `'unexpected-response'` event (`ws`, an
 * EventEmitter), fails its handshake with a `HandshakeError` that carries the status and the
 * headers, so `Retry-After` is honoured through `ws` too. `ws` hands the answer to a listener
 * instead of failing the handshake itself; destroying the request with the error makes it emit
 * that error, then close. A socket without `on()` is left alone.
 */
export function watchUnexpectedResponses(socket: WebSocketLike): void {
  const on = (socket as { on?: (event: string, listener: UnexpectedResponseListener) => unknown }).on;
  if (typeof on !== 'function') return;
  on.call(socket, 'unexpected-response', (request, response) => {
    // Node's IncomingMessage always has it; 0 stands for a status that never came.
    const status = response.statusCode ?? 0;
    const headers = headerRecord(response.headers);
    request.destroy(new HandshakeError('http-status', `Unexpected server response: ${status}`, { status, headers }));
  });
}

const WS_UNEXPECTED_RESPONSE = /^Unexpected server response: (\d{3})$/;

/**
 * The typed handshake failure inside a transport error, if any: a `HandshakeError` (ours, from any
 * copy of the package), or `ws`'s "Unexpected server response: NNN" (status only: `ws` keeps the
 * headers to itself).
 */
export function handshakeFailureOf(error: unknown): HandshakeFailure | undefined {
  if (error instanceof HandshakeError) {
    return { reason: error.reason, status: error.status, headers: error.headers };
  }
  if (error instanceof Error) {
    const match = WS_UNEXPECTED_RESPONSE.exec(error.message);
    if (match?.[1] !== undefined) return { reason: 'http-status', status: Number(match[1]), headers: undefined };
  }
  return undefined;
}

/** Reads a header from a lower-cased record, tolerating a record that kept the server's case. */
export function headerOf(headers: Readonly<Record<string, string>> | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  const direct = headers[name];
  if (direct !== undefined) return direct;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}
