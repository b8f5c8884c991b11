import { HandshakeError } from '@sturdysocket/core';
import { describe, expect, it } from 'vitest';
import { FakeWebSocket } from '../test-support/fake-websocket.js';
import { readHandshake, watchUnexpectedResponses } from './handshake-reader.js';

describe('watchUnexpectedResponses', () => {
  it('fails a ws-style refusal with a HandshakeError carrying the status and the headers, which readHandshake reads', () => {
    const listeners: Array<(...args: unknown[]) => void> = [];
    const socket = Object.assign(new FakeWebSocket('ws://x/'), {
      on(event: string, listener: (...args: unknown[]) => void) {
        if (event === 'unexpected-response') listeners.push(listener);
      },
    });
    readHandshake.watch?.(socket);
    expect(listeners).toHaveLength(1);
    const destroyed: unknown[] = [];
    listeners[0]?.(
      { destroy: (error: unknown) => destroyed.push(error) },
      { statusCode: 429, headers: { 'Retry-After': '2', 'set-cookie': ['a=1', 'b=2'], absent: undefined } },
    );
    const error = destroyed[0] as HandshakeError;
    expect(error).toBeInstanceOf(HandshakeError);
    expect(error).toMatchObject({ reason: 'http-status', status: 429 });
    expect(error.headers).toEqual({ 'retry-after': '2', 'set-cookie': 'a=1, b=2' });
    expect(readHandshake(error, 0)).toEqual({
      handshake: expect.objectContaining({ status: 429 }),
      retryAfterMs: 2000,
    });
  });

  it('leaves a socket without on() alone', () => {
    expect(() => watchUnexpectedResponses(new FakeWebSocket('ws://x/'))).not.toThrow();
  });
});
