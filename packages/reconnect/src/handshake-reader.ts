import { HandshakeError } from '@sturdysocket/core';
import type { HandshakeFailure } from './classifier.js';
import { parseRetryAfter } from './retry-after.js';

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
export type HandshakeReader = (error: unknown, now: number) => HandshakeReading | undefined;

/**
 * The handshake reader for the transports that can see the handshake: `@sturdysocket/node`'s
 * `HandshakeError` (reason, status, headers, so `Retry-After` too) and `ws`'s "Unexpected server
 * response: NNN" (the status only). A browser's `WebSocket` shows neither, which is why
 * `connect()` leaves this out of the browser bundle.
 */
export const readHandshake: HandshakeReader = (error, now) => {
  const handshake = handshakeFailureOf(error);
  if (handshake === undefined) return undefined;
  return { handshake, retryAfterMs: parseRetryAfter(headerOf(handshake.headers, 'retry-after'), now) };
};

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
