import { HandshakeError } from '@sturdysocket/core';
import { describe, expect, it } from 'vitest';
import { describeFailure, failureFromClose } from './attempt-failure.js';
import { readHandshake } from './handshake-reader.js';

const now = Date.UTC(2026, 10, 22);

describe('failureFromClose', () => {
  it('is a handshake failure, with Retry-After read from the typed error', () => {
    const error = new HandshakeError('http-status', 'busy', { status: 503, headers: { 'retry-after': '4' } });
    const failure = failureFromClose({ code: 1006 }, error, false, undefined, now, readHandshake);
    expect(failure).toMatchObject({ kind: 'handshake', code: 1006, retryAfterMs: 4000, uptimeMs: undefined, at: now });
    expect(failure.handshake).toEqual({ reason: 'http-status', status: 503, headers: { 'retry-after': '4' } });
  });

  it('without a handshake reader (a browser), the same error is a transport failure with no details', () => {
    const error = new HandshakeError('http-status', 'busy', { status: 503, headers: { 'retry-after': '4' } });
    const failure = failureFromClose({ code: 1006 }, error, false, undefined, now);
    expect(failure).toMatchObject({ kind: 'transport', handshake: undefined, retryAfterMs: undefined });
  });

  it('is a transport failure when the connection never opened and an error says why', () => {
    expect(failureFromClose({ code: 1006 }, new Error('ECONNREFUSED'), false, undefined, now).kind).toBe('transport');
  });

  it('is a close after open, with code, reason, cleanliness and uptime', () => {
    expect(
      failureFromClose({ code: 1001, reason: 'bye', wasClean: true }, undefined, true, now - 250, now),
    ).toMatchObject({
      kind: 'close',
      code: 1001,
      closeReason: 'bye',
      wasClean: true,
      uptimeMs: 250,
    });
  });

  it('reports 1006 for a close event without a code', () => {
    expect(failureFromClose({}, undefined, true, now, now).code).toBe(1006);
  });
});

describe('describeFailure', () => {
  it('fills in the defaults of a locally found failure', () => {
    expect(describeFailure('connection-timeout', new Error('t'), {}, undefined, now)).toMatchObject({
      kind: 'connection-timeout',
      code: 1006,
      closeReason: '',
      wasClean: false,
      handshake: undefined,
      retryAfterMs: undefined,
    });
  });
});
