import { afterEach, describe, expect, it, vi } from 'vitest';
import { type CloseLimits, ClosingHandshake, reportClosed } from './closing-handshake.js';
import { SocketWriter } from './socket-writer.js';

const NO_LIMITS: CloseLimits = { closeFlushTimeoutMs: 0, closeTimeoutMs: 0 };

function closingHandshake(limits = NO_LIMITS, writer?: SocketWriter) {
  const destroyed = { count: 0 };
  const closing = new ClosingHandshake(limits, { writer, destroy: () => destroyed.count++ });
  return { closing, destroyed };
}

describe('reportClosed', () => {
  it('reports 1006, not clean, for a connection that ended without a closing handshake', () => {
    expect(reportClosed(undefined)).toEqual({
      failed: false,
      failure: undefined,
      wasClean: false,
      code: 1006,
      reason: '',
      sentCode: undefined,
    });
  });

  it('is clean once both close frames were exchanged, with the code received (RFC 6455 §7.1.4, §7.1.5)', () => {
    const { closing } = closingHandshake();
    closing.sentCloseCode = 1000;
    closing.receivedClose = { code: 4001, reason: 'bye' };
    expect(reportClosed(closing)).toMatchObject({
      failed: false,
      wasClean: true,
      code: 4001,
      reason: 'bye',
      sentCode: 1000,
    });
  });

  it('reports a close frame sent without a code as no sent code', () => {
    const { closing } = closingHandshake();
    closing.sentCloseCode = null;
    closing.receivedClose = { code: 1005, reason: '' };
    expect(reportClosed(closing)).toMatchObject({ wasClean: true, code: 1005, sentCode: undefined });
  });

  it('is not clean when our close frame was never written, even after the server answered', () => {
    const { closing } = closingHandshake();
    closing.sentCloseCode = 1000;
    closing.receivedClose = { code: 1000, reason: '' };
    closing.closeFrameUnsent = true;
    expect(reportClosed(closing).wasClean).toBe(false);
  });

  it('reports a failure, and the close frame received before it', () => {
    const { closing } = closingHandshake();
    const failure = new Error('reset');
    closing.receivedClose = { code: 1001, reason: '' };
    closing.sentCloseCode = 1001;
    closing.failure = failure;
    expect(reportClosed(closing)).toMatchObject({ failed: true, failure, wasClean: false, code: 1001 });
  });
});

describe('ClosingHandshake', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is complete only when the server closed, our side finished and nothing failed', () => {
    const writer = new SocketWriter();
    const { closing } = closingHandshake();
    expect(closing.isComplete(writer)).toBe(false);
    closing.receivedClose = { code: 1000, reason: '' };
    expect(closing.isComplete(writer)).toBe(false);
    expect(closing.isComplete(undefined)).toBe(false);
  });

  it('arms no timer for a limit of 0 or Infinity', () => {
    vi.useFakeTimers();
    for (const ms of [0, Number.POSITIVE_INFINITY]) {
      const { closing, destroyed } = closingHandshake({ closeFlushTimeoutMs: ms, closeTimeoutMs: ms });
      closing.awaitCloseFrameWritten(new SocketWriter());
      expect(vi.getTimerCount()).toBe(0);
      vi.runAllTimers();
      expect(destroyed.count).toBe(0);
    }
  });

  it('drops the connection when our close frame is not written within closeFlushTimeoutMs', () => {
    vi.useFakeTimers();
    const writer = new SocketWriter();
    const { closing, destroyed } = closingHandshake({ closeFlushTimeoutMs: 5, closeTimeoutMs: 1000 }, writer);
    closing.awaitCloseFrameWritten(writer);
    vi.advanceTimersByTime(5);
    expect(destroyed.count).toBe(1);
    expect(closing.closeFrameUnsent).toBe(true);
  });

  it('waits closeTimeoutMs for the answer once our close frame is written, not closeFlushTimeoutMs', () => {
    vi.useFakeTimers();
    const writer = new SocketWriter();
    const { closing, destroyed } = closingHandshake({ closeFlushTimeoutMs: 5, closeTimeoutMs: 50 }, writer);
    closing.awaitCloseFrameWritten(writer);
    writer.closeFrameWritten = true;
    writer.onCloseFrameWritten?.();
    vi.advanceTimersByTime(49);
    expect(destroyed.count).toBe(0);
    vi.advanceTimersByTime(1);
    expect(destroyed.count).toBe(1);
    expect(closing.closeFrameUnsent).toBe(false);
  });

  it('stops its timer when the connection closes', () => {
    vi.useFakeTimers();
    const { closing, destroyed } = closingHandshake({ closeFlushTimeoutMs: 5, closeTimeoutMs: 5 });
    closing.armCloseTimer();
    closing.stopTimer();
    vi.runAllTimers();
    expect(destroyed.count).toBe(0);
  });
});
