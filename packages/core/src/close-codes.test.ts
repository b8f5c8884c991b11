import { describe, expect, it } from 'vitest';
import {
  CloseCode,
  closeReasonByteLength,
  isApplicationCloseCode,
  isClientCloseCode,
  isValidCloseCode,
} from './close-codes.js';

describe('close codes (RFC 6455 §7.4)', () => {
  it.each([1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4000, 4999])(
    '%d is valid on the wire',
    (code) => {
      expect(isValidCloseCode(code)).toBe(true);
    },
  );
  it.each([0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535, 1000.5, Number.NaN])(
    '%d is invalid on the wire',
    (code) => {
      expect(isValidCloseCode(code)).toBe(false);
    },
  );
  it('lets a client send only 1000 and 3000–4999', () => {
    expect(isClientCloseCode(1000)).toBe(true);
    expect(isClientCloseCode(3000)).toBe(true);
    expect(isClientCloseCode(4999)).toBe(true);
    expect(isClientCloseCode(1001)).toBe(false);
    expect(isClientCloseCode(2999)).toBe(false);
    expect(isClientCloseCode(5000)).toBe(false);
  });
  it('names the application range', () => {
    expect(isApplicationCloseCode(4001)).toBe(true);
    expect(isApplicationCloseCode(3001)).toBe(false);
  });
  it('names codes', () => {
    expect(CloseCode.MessageTooBig).toBe(1009);
    expect(CloseCode.NoStatusReceived).toBe(1005);
  });
  it('measures reasons in UTF-8 bytes, not UTF-16 units', () => {
    expect(closeReasonByteLength('é')).toBe(2);
    expect(closeReasonByteLength('😀')).toBe(4);
    expect('😀'.length).toBe(2);
  });
});
