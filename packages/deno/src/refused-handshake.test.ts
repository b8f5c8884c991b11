import { HandshakeError } from '@sturdysocket/core';
import { describe, expect, it } from 'vitest';
import { reportRefusedHandshakes, statusOfRefusal } from './refused-handshake.js';

describe('statusOfRefusal', () => {
  it.each([
    ['Invalid status code: 401', 401],
    ['Expected 101 status code: 403', 403],
    ['NetworkError: failed to connect to WebSocket: Invalid status code: 503 Service Unavailable', 503],
    ['connection refused', undefined],
    ['Invalid status code 40', undefined],
  ])('%s → %s', (message, status) => {
    expect(statusOfRefusal(message)).toBe(status);
  });
});

describe('reportRefusedHandshakes', () => {
  it('puts a HandshakeError with the status on the error event, before other listeners run', () => {
    const target = new EventTarget() as unknown as WebSocket;
    reportRefusedHandshakes(target);
    let seen: unknown;
    target.addEventListener('error', (event) => {
      seen = (event as ErrorEvent).error;
    });
    const event = new Event('error');
    Object.defineProperty(event, 'message', { value: 'Invalid status code: 401' });
    target.dispatchEvent(event);
    expect(seen).toBeInstanceOf(HandshakeError);
    expect((seen as HandshakeError).status).toBe(401);
    expect((seen as HandshakeError).reason).toBe('http-status');
  });
  it('leaves other errors alone', () => {
    const target = new EventTarget() as unknown as WebSocket;
    reportRefusedHandshakes(target);
    const event = new Event('error');
    Object.defineProperty(event, 'message', { value: 'connection refused' });
    target.dispatchEvent(event);
    expect((event as ErrorEvent).error).toBeUndefined();
  });
});
