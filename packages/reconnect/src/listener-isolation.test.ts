import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClock, settle } from '../test-support/fake-clock.js';
import { fakeTransport } from '../test-support/fake-websocket.js';
import { ReconnectingWebSocket } from './reconnecting-websocket.js';

// Regression: one `on()` listener that threw used to skip every listener after it (the whole
// emit ran inside one guard).
describe('on() listeners are isolated from each other', () => {
  const reported: unknown[] = [];
  const original = (globalThis as { reportError?: unknown }).reportError;
  afterEach(() => {
    (globalThis as { reportError?: unknown }).reportError = original;
    reported.length = 0;
  });

  it('a throwing listener is reported; the others still run, in order', async () => {
    (globalThis as { reportError?: (error: unknown) => void }).reportError = (error) => reported.push(error);
    const clock = new FakeClock();
    const transport = fakeTransport();
    const socket = new ReconnectingWebSocket('ws://example.test/', undefined, {
      WebSocket: transport.WebSocket,
      clock,
    });
    const calls: string[] = [];
    const boom = new Error('listener bug');
    socket.on('connecting', () => calls.push('first'));
    socket.on('connecting', () => {
      calls.push('second');
      throw boom;
    });
    socket.on('connecting', () => calls.push('third'));
    await settle();
    expect(calls).toEqual(['first', 'second', 'third']);
    expect(reported).toEqual([boom]);
    socket.close();
  });

  it('once() runs once; off() and the returned function remove exactly one registration', async () => {
    const clock = new FakeClock();
    const transport = fakeTransport();
    const socket = new ReconnectingWebSocket('ws://example.test/', undefined, {
      WebSocket: transport.WebSocket,
      clock,
      startClosed: true,
    });
    const calls: string[] = [];
    const listener = vi.fn(() => calls.push('listener'));
    socket.once('state', () => calls.push('once'));
    const off = socket.on('state', listener);
    socket.on('state', listener);
    socket.reconnect();
    await settle();
    const afterFirst = calls.length;
    expect(calls.filter((c) => c === 'once')).toHaveLength(1);
    off();
    socket.off('state', listener);
    const before = listener.mock.calls.length;
    socket.close();
    await settle();
    expect(listener.mock.calls.length).toBe(before);
    expect(afterFirst).toBeGreaterThan(0);
    expect(socket.listenerCount('state')).toBe(0);
  });
});
