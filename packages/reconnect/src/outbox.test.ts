import { describe, expect, it } from 'vitest';
import { exceededLimit, messageByteLength, type OutboxPolicy } from './outbox.js';

const policy: OutboxPolicy = { maxMessages: 3, maxBytes: 100, overflow: 'drop-oldest', ttlMs: undefined };

describe('messageByteLength', () => {
  it('counts text in UTF-8 and binary by its length', () => {
    expect(messageByteLength('abc')).toBe(3);
    expect(messageByteLength('')).toBe(0);
    expect(messageByteLength('é€😀')).toBe(2 + 3 + 4);
    expect(messageByteLength(`${'a'.repeat(10)}\u007f\u0080`)).toBe(11 + 2);
    expect(messageByteLength('\ud800')).toBe(3); // a lone surrogate is sent as U+FFFD
    expect(messageByteLength(new Uint8Array(7))).toBe(7);
    expect(messageByteLength(new Uint8Array(8).subarray(2))).toBe(6);
    expect(messageByteLength(new DataView(new ArrayBuffer(4)))).toBe(4);
    expect(messageByteLength(new ArrayBuffer(5))).toBe(5);
    expect(messageByteLength(new Blob(['hello']))).toBe(5);
  });

  it('counts a primitive from plain JavaScript as the text WebSocket.send() makes of it', () => {
    expect(messageByteLength(12345 as never)).toBe(5);
    expect(messageByteLength(true as never)).toBe(4);
    expect(messageByteLength(undefined as never)).toBe(9);
  });
});

describe('exceededLimit', () => {
  it('names no limit within both, and reaching a limit is within it', () => {
    expect(exceededLimit(0, 0, policy)).toBeUndefined();
    expect(exceededLimit(3, 100, policy)).toBeUndefined();
  });

  it('names the limit past, the count first', () => {
    expect(exceededLimit(4, 0, policy)).toBe('maxMessages');
    expect(exceededLimit(1, 101, policy)).toBe('maxBytes');
    expect(exceededLimit(4, 101, policy)).toBe('maxMessages');
  });

  it('is past maxMessages 0 with a single message (queueing off)', () => {
    expect(exceededLimit(1, 0, { ...policy, maxMessages: 0 })).toBe('maxMessages');
  });
});
