import { HandshakeError } from '@sturdysocket/core';
import { describe, expect, it } from 'vitest';
import { asReportedError, TransportError } from './transport-error.js';

describe('asReportedError', () => {
  it('reports a sturdysocket error as it is', () => {
    const error = new HandshakeError('timeout', 'slow');
    expect(asReportedError(error)).toBe(error);
  });
  it('wraps anything else in a TransportError that keeps it as the cause', () => {
    const error = new Error('socket hang up');
    const reported = asReportedError(error);
    expect(reported).toBeInstanceOf(TransportError);
    expect(reported.code).toBe('ERR_RECONNECT_TRANSPORT');
    expect(reported.message).toBe('socket hang up');
    expect(reported.cause).toBe(error);
  });
  it('takes the message of an ErrorEvent-like object, and says what happened when there is none', () => {
    expect(asReportedError({ type: 'error', message: 'refused' }).message).toBe('refused');
    for (const silent of [{ type: 'error' }, { message: '' }, new Error(''), 'boom', null, undefined]) {
      expect(asReportedError(silent).message).toBe('The transport reported an error');
    }
  });
});
