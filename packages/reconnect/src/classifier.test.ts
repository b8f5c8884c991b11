import { CloseCode, HandshakeError } from '@sturdysocket/core';
import { describe, expect, it } from 'vitest';
import { attemptFailure } from '../test-support/attempt-failure.js';
import {
  type AttemptFailure,
  DEFAULT_CLASSIFIER_POLICY,
  defaultClassifier,
  FATAL_CLOSE_CODES,
  type HandshakeFailure,
  normaliseDecision,
} from './classifier.js';
import { handshakeFailureOf } from './handshake-reader.js';

const failure = attemptFailure;

const refused = (status: number, retryAfterMs?: number): AttemptFailure => {
  const handshake: HandshakeFailure = { reason: 'http-status', status, headers: {} };
  return failure({ kind: 'handshake', handshake, retryAfterMs });
};

describe('defaultClassifier', () => {
  it.each([1002, 1003, 1007, 1008, 1010])('stops on close code %i', (code) => {
    expect(defaultClassifier({ failure: failure({ code }) }).action).toBe('stop');
  });

  it.each([1000, 1001, 1006, 1009, 1011, 1012, 1013, 1014, 3000, 3999])('retries on close code %i', (code) => {
    expect(defaultClassifier({ failure: failure({ code }) }).action).toBe('retry');
  });

  it('leaves application codes (4000–4999) to the policy', () => {
    const policy = {
      ...DEFAULT_CLASSIFIER_POLICY,
      applicationCloseCodes: { 4403: 'stop' as const, 4401: 'refresh-auth' as const },
    };
    expect(defaultClassifier({ failure: failure({ code: 4403 }) }, policy).action).toBe('stop');
    expect(defaultClassifier({ failure: failure({ code: 4401 }) }, policy).action).toBe('refresh-auth');
    expect(defaultClassifier({ failure: failure({ code: 4500 }) }, policy).action).toBe('retry');
    const strict = { ...DEFAULT_CLASSIFIER_POLICY, applicationCloseCodeDefault: 'stop' as const };
    expect(defaultClassifier({ failure: failure({ code: 4500 }) }, strict).action).toBe('stop');
    expect(defaultClassifier({ failure: failure({ code: 3500 }) }, strict).action).toBe('retry');
  });

  it.each([400, 403, 404])('stops on HTTP %i', (status) => {
    expect(defaultClassifier({ failure: refused(status) }).action).toBe('stop');
  });

  it('asks for fresh credentials on HTTP 401', () => {
    expect(defaultClassifier({ failure: refused(401) }).action).toBe('refresh-auth');
  });

  it.each([429, 503])('honours Retry-After on HTTP %i, capped by maxRetryAfterMs', (status) => {
    expect(defaultClassifier({ failure: refused(status, 7000) })).toMatchObject({ action: 'retry', delayMs: 7000 });
    expect(defaultClassifier({ failure: refused(status) })).toEqual({ action: 'retry', reason: `HTTP ${status}` });
    const capped = defaultClassifier({ failure: refused(status, 10_000_000) });
    expect(capped.delayMs).toBe(DEFAULT_CLASSIFIER_POLICY.maxRetryAfterMs);
  });

  it('ignores Retry-After on other statuses', () => {
    expect(defaultClassifier({ failure: refused(500, 7000) }).delayMs).toBeUndefined();
  });

  it('stops when the transport rejects the URL (SyntaxError) and retries other local failures', () => {
    const syntax = new SyntaxError('bad url');
    expect(defaultClassifier({ failure: failure({ kind: 'transport', error: syntax }) }).action).toBe('stop');
    for (const kind of ['transport', 'provider', 'connection-timeout', 'heartbeat-timeout', 'open-gate'] as const) {
      expect(defaultClassifier({ failure: failure({ kind, error: new Error('x'), code: 4000 }) }).action).toBe('retry');
    }
  });
});

describe('normaliseDecision', () => {
  it('accepts a bare action or an object, and keeps only a valid delay', () => {
    expect(normaliseDecision('retry', 'why')).toEqual({ action: 'retry', reason: 'why' });
    expect(normaliseDecision({ action: 'stop', reason: 'done' }, 'why')).toEqual({ action: 'stop', reason: 'done' });
    expect(normaliseDecision({ action: 'retry', delayMs: 50 }, 'why')).toEqual({
      action: 'retry',
      delayMs: 50,
      reason: 'why',
    });
    expect(normaliseDecision({ action: 'retry', delayMs: -1 }, 'why')).toEqual({ action: 'retry', reason: 'why' });
  });

  it('turns an unknown action into stop rather than a stalled loop', () => {
    expect(normaliseDecision('maybe' as never, 'why').action).toBe('stop');
    expect(normaliseDecision(undefined as never, 'why').action).toBe('stop');
  });
});

describe('handshakeFailureOf', () => {
  it('reads our HandshakeError, with status and headers', () => {
    const error = new HandshakeError('http-status', 'refused', { status: 503, headers: { 'retry-after': '3' } });
    expect(handshakeFailureOf(error)).toEqual({ reason: 'http-status', status: 503, headers: { 'retry-after': '3' } });
  });

  it("reads ws's unexpected-response error (status only)", () => {
    expect(handshakeFailureOf(new Error('Unexpected server response: 403'))).toEqual({
      reason: 'http-status',
      status: 403,
      headers: undefined,
    });
    expect(handshakeFailureOf(new Error('connect ECONNREFUSED 127.0.0.1:1'))).toBeUndefined();
  });
});

describe('FATAL_CLOSE_CODES', () => {
  it('are the CloseCode entries it names', () => {
    expect(FATAL_CLOSE_CODES).toEqual([
      CloseCode.ProtocolError,
      CloseCode.UnsupportedData,
      CloseCode.InvalidPayload,
      CloseCode.PolicyViolation,
      CloseCode.MandatoryExtension,
    ]);
  });
});
