// Echo round trips for interop suites: the same sizes and checks against every real server.
import { type NodeWebSocketOptions, WebSocket } from '@sturdysocket/node';
import { expect } from 'vitest';
import { CLOSE_REASON } from './echo-paths.js';

/** RFC 6455 §5.2 length boundaries (7-bit, 16-bit, 64-bit), then large messages. */
export const ECHO_SIZES = [0, 125, 126, 65535, 65536, 1024 * 1024] as const;
export const HUGE_SIZE = 16 * 1024 * 1024;

export function textOf(size: number): string {
  // Multi-byte characters included, so UTF-8 validation across frame boundaries is exercised.
  const unit = 'abcdefghijklmnopqrstuvwxyz0123456789 é✓';
  const unitBytes = Buffer.byteLength(unit);
  let text = unit.repeat(Math.floor(size / unitBytes));
  text += 'x'.repeat(size - Buffer.byteLength(text));
  return text;
}

export function bytesOf(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  let x = 0x12345678;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

export async function openClient(url: string, options: NodeWebSocketOptions = {}): Promise<WebSocket> {
  const socket = new WebSocket(url, { handshakeTimeoutMs: 5000, ...options });
  socket.binaryType = 'nodebuffer';
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener(
      'error',
      (event) => reject((event as Event & { error?: unknown }).error ?? new Error('WebSocket error')),
      { once: true },
    );
  });
  return socket;
}

/** Resolves with the next `count` messages; rejects if the connection closes first. */
export function receiveMessages(socket: WebSocket, count: number): Promise<unknown[]> {
  // Its close event has been and gone: fail now, not at the test's timeout.
  if (socket.readyState === WebSocket.CLOSED) return Promise.reject(new Error('closed before the messages came'));
  const received: unknown[] = [];
  return new Promise((resolve, reject) => {
    const onMessage = (event: Event) => {
      received.push((event as MessageEvent).data);
      if (received.length < count) return;
      socket.removeEventListener('message', onMessage);
      socket.removeEventListener('close', onClose);
      resolve(received);
    };
    const onClose = (event: Event) => {
      socket.removeEventListener('message', onMessage);
      reject(new Error(`closed (${(event as CloseEvent).code}) after ${received.length} of ${count} messages`));
    };
    socket.addEventListener('message', onMessage);
    socket.addEventListener('close', onClose, { once: true });
  });
}

function sameMessage(sent: string | Buffer, received: unknown): boolean {
  return typeof sent === 'string' ? sent === received : Buffer.isBuffer(received) && sent.equals(received);
}

/** Resolves with the socket's close event. */
export function nextClose(socket: WebSocket): Promise<CloseEvent> {
  return new Promise((resolve) =>
    socket.addEventListener('close', (event) => resolve(event as CloseEvent), { once: true }),
  );
}

/** Sends `messages` back to back and expects each echoed, in order. */
export async function expectEchoesInOrder(socket: WebSocket, messages: readonly (string | Buffer)[]): Promise<void> {
  const replies = receiveMessages(socket, messages.length);
  for (const message of messages) socket.send(message);
  const echoed = await replies;
  // Compared one by one: toEqual walks a Buffer byte by byte, seconds for a few megabytes.
  expect(
    messages.findIndex((message, index) => !sameMessage(message, echoed[index])),
    'first wrong echo',
  ).toBe(-1);
}

/** Sends `size` bytes of text or binary and expects the identical message back. */
export async function expectEcho(socket: WebSocket, kind: 'text' | 'binary', size: number): Promise<void> {
  if (kind === 'text') {
    const text = textOf(size);
    const reply = receiveMessages(socket, 1);
    socket.send(text);
    const [echoed] = await reply;
    expect(typeof echoed).toBe('string');
    expect((echoed as string).length).toBe(text.length);
    expect(echoed === text).toBe(true);
  } else {
    const bytes = bytesOf(size);
    const reply = receiveMessages(socket, 1);
    socket.send(bytes);
    const echoed = (await reply)[0] as Buffer;
    expect(Buffer.isBuffer(echoed)).toBe(true);
    expect(echoed.length).toBe(size);
    expect(echoed.equals(bytes)).toBe(true);
  }
}

/**
 * Closes with `code` and expects a clean close. The close event carries the code of the server's
 * close frame, which RFC 6455 §5.5.1 says servers *typically* echo: pass `answered` for one that
 * answers with another (Autobahn answers 1000).
 */
export async function expectCleanClose(
  socket: WebSocket,
  code = 1000,
  reason = 'done',
  answered = code,
): Promise<CloseEvent> {
  const closed = nextClose(socket);
  socket.close(code, reason);
  const event = await closed;
  expect(event.wasClean).toBe(true);
  expect(event.code).toBe(answered);
  return event;
}

/**
 * Opens `url` (an echo server's `/close/<code>` path) and expects the server's close, with `code`
 * and CLOSE_REASON, reported as clean and with no error event.
 */
export async function expectCleanServerClose(
  url: string,
  code: number,
  options: NodeWebSocketOptions = {},
): Promise<void> {
  const socket = new WebSocket(url, options);
  const events: string[] = [];
  socket.addEventListener('error', () => events.push('error'));
  const closed = await nextClose(socket);
  expect(events).toEqual([]);
  expect(closed).toMatchObject({ code, reason: CLOSE_REASON, wasClean: true });
  expect(Buffer.byteLength(closed.reason)).toBe(123);
}
