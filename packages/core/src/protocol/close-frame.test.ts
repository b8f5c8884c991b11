import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors/protocol-error.js';
import { encodeClosePayload, parseClosePayload } from './close-frame.js';
import { hex, toHex } from './harness.test-helper.js';

describe('close frame bodies (RFC 6455 §5.5.1, §7.4)', () => {
  it('reads an empty body as 1005 with no reason', () => {
    expect(parseClosePayload(hex(''))).toEqual({ code: 1005, reason: '' });
  });

  it('reads a code and a UTF-8 reason', () => {
    expect(parseClosePayload(hex('03e8 6279 65'))).toEqual({ code: 1000, reason: 'bye' });
    expect(parseClosePayload(hex('0fa0 cebae1bdb9cf83cebcceb5'))).toEqual({
      code: 4000,
      reason: '\u03ba\u1f79\u03c3\u03bc\u03b5',
    });
  });

  it('fails a 1-byte body with 1002', () => {
    const error = parseClosePayload(hex('03'));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ violation: 'invalid-close-payload', closeCode: 1002 });
  });

  it('fails a reason that is not UTF-8 with 1007', () => {
    expect(parseClosePayload(hex('03e8 ff'))).toMatchObject({ violation: 'invalid-utf8', closeCode: 1007 });
    expect(parseClosePayload(hex('03e8 ce'))).toMatchObject({ violation: 'invalid-utf8', closeCode: 1007 });
  });

  // §7.4.1/§7.4.2 and the IANA registry: which codes may arrive in a close frame.
  const accepted = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999];
  const rejected = [0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535];
  it.each(accepted)('accepts the close code %i', (code) => {
    expect(parseClosePayload(Uint8Array.of(code >> 8, code & 0xff))).toEqual({ code, reason: '' });
  });
  it.each(rejected)('fails the close code %i with 1002', (code) => {
    expect(parseClosePayload(Uint8Array.of(code >> 8, code & 0xff))).toMatchObject({
      violation: 'invalid-close-code',
      closeCode: 1002,
    });
  });

  it('writes bodies, refusing what may not be sent', () => {
    expect(toHex(encodeClosePayload())).toBe('');
    expect(toHex(encodeClosePayload(1000))).toBe('03e8');
    expect(toHex(encodeClosePayload(4001, 'é'))).toBe('0fa1c3a9');
    expect(encodeClosePayload(1000, 'x'.repeat(123)).length).toBe(125);
    expect(() => encodeClosePayload(1000, 'x'.repeat(124))).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
    expect(() => encodeClosePayload(1000, 'é'.repeat(62))).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
    expect(() => encodeClosePayload(1006)).toThrow(expect.objectContaining({ name: 'InvalidAccessError' }));
    expect(() => encodeClosePayload(undefined, 'why')).toThrow(expect.objectContaining({ name: 'InvalidAccessError' }));
  });
});
