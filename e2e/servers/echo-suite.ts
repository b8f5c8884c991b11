// Echo round trips for interop suites: the same sizes and checks against every real server.
import { type NodeWebSocketOptions, WebSocket } from '@sturdysocket/node';
import { expect } from 'vitest';

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

function nextMessage(socket: WebSocket): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (event: Event) => {
      socket.removeEventListener('close', onClose);
      resolve((event as MessageEvent).data);
    };
    const onClose = (event: Event) => {
      socket.removeEventListener('message', onMessage);
      reject(new Error(`closed (${(event as CloseEvent).code}) while waiting for an echo`));
    };
    socket.addEventListener('message', onMessage, { once: true });
    socket.addEventListener('close', onClose, { once: true });
  });
}

/** Sends `size` bytes of text or binary and expects the identical message back. */
export async function expectEcho(socket: WebSocket, kind: 'text' | 'binary', size: number): Promise<void> {
  if (kind === 'text') {
    const text = textOf(size);
    const reply = nextMessage(socket);
    socket.send(text);
    const echoed = await reply;
    expect(typeof echoed).toBe('string');
    expect((echoed as string).length).toBe(text.length);
    expect(echoed === text).toBe(true);
  } else {
    const bytes = bytesOf(size);
    const reply = nextMessage(socket);
    socket.send(bytes);
    const echoed = (await reply) as Buffer;
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
): Promise<void> {
  const closed = new Promise<CloseEvent>((resolve) =>
    socket.addEventListener('close', (event) => resolve(event as CloseEvent), { once: true }),
  );
  socket.close(code, reason);
  const event = await closed;
  expect(event.wasClean).toBe(true);
  expect(event.code).toBe(answered);
}
