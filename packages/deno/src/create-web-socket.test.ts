import { afterEach, describe, expect, it } from 'vitest';
import { denoCapabilities } from './capabilities.js';
import { createWebSocket, nativeWebSocket } from './create-web-socket.js';

// Node 20 has no header-capable global WebSocket; Deno's and Bun's are exercised for real by
// e2e/deno and e2e/bun. Here: the checks that run before any socket exists.
const originalWebSocket = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket');
afterEach(() => {
  if (originalWebSocket) Object.defineProperty(globalThis, 'WebSocket', originalWebSocket);
  else delete (globalThis as { WebSocket?: unknown }).WebSocket;
});

describe('denoCapabilities', () => {
  it('declares headers, and no ping or handshake details', () => {
    expect(denoCapabilities).toEqual({ headers: true, ping: false, handshakeDetails: false });
    expect(Object.isFrozen(denoCapabilities)).toBe(true);
  });
});

describe('createWebSocket', () => {
  it('refuses handshake-owned headers and unsafe values before looking for a WebSocket', () => {
    Object.defineProperty(globalThis, 'WebSocket', { value: undefined, configurable: true, writable: true });
    expect(() => createWebSocket('ws://127.0.0.1:9/', { headers: { 'Sec-WebSocket-Key': 'x' } })).toThrow(
      /belongs to the handshake/,
    );
    expect(() => createWebSocket('ws://127.0.0.1:9/', { headers: { 'X-A': 'a\r\nB: c' } })).toThrow(TypeError);
  });

  it('says so when the environment has no WebSocket', () => {
    Object.defineProperty(globalThis, 'WebSocket', { value: undefined, configurable: true, writable: true });
    expect(() => nativeWebSocket()).toThrow(/no global WebSocket/);
    expect(() => createWebSocket('ws://127.0.0.1:9/', { headers: { Authorization: 'Bearer x' } })).toThrow(TypeError);
  });
});
