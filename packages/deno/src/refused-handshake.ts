import { HandshakeError } from '@sturdysocket/core';

/**
 * Deno and Bun report a refused upgrade only in the error's text — Deno 2.9:
 * "Invalid status code: 401"; Bun 1.4: "Expected 101 status code: 401" — and their error events
 * carry no status. Reading the status out of that text is what lets the reconnect and auth
 * layers tell a 401 (refresh the token) from a 403 (stop) from a 503 (retry) on these runtimes.
 */
const STATUS_IN_MESSAGE = /\b(?:Invalid status code|Expected 101 status code):? (\d{3})\b/;

/** The HTTP status a native error message reports for a refused handshake, if it reports one. */
export function statusOfRefusal(message: string): number | undefined {
  const match = STATUS_IN_MESSAGE.exec(message);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * Gives each `error` event of `socket` whose message names a refused handshake an `error`
 * property holding a `HandshakeError` (reason `http-status`, with the status; no headers — the
 * runtime hides them). Registered before any caller's listener, so every listener sees it.
 */
export function reportRefusedHandshakes(socket: WebSocket): void {
  socket.addEventListener('error', (event) => {
    const message = (event as ErrorEvent).message ?? String((event as { error?: unknown }).error ?? '');
    const status = statusOfRefusal(message);
    if (status === undefined) return;
    const error = new HandshakeError(
      'http-status',
      `The server answered HTTP ${status} instead of 101 Switching Protocols`,
      {
        status,
      },
    );
    Object.defineProperty(event, 'error', { value: error, configurable: true });
  });
}
