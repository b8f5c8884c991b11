// What the echo servers send on their special paths: one definition for the servers Deno and Bun
// run (deno-echo-server.ts, bun-echo-server.ts) and the suites that check them. The Python
// servers spell the same in Python.

/** The 123-byte UTF-8 reason (the most a close frame carries, RFC 6455 §5.5) `/close/<code>` closes with. */
export const CLOSE_REASON = `${'é'.repeat(61)}x`;

/** How many messages `/many` sends in a row. */
export const MANY_COUNT = 1000;

/** Message `index` of the ones `/many` sends. */
export function manyMessage(index: number): string {
  return `message ${index}: ${'abc'.repeat(index % 50)}`;
}

/** Whether a handshake request offers the `echo` subprotocol (RFC 6455 §4.2.2: answer only one offered). */
export function offersEcho(request: Request): boolean {
  const offered = request.headers.get('sec-websocket-protocol') ?? '';
  return offered.split(',').some((protocol) => protocol.trim() === 'echo');
}
