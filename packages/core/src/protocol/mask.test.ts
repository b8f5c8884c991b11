import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hex, sameBytes, toHex } from './harness.test-helper.js';
import { mask, unmask } from './mask.js';

/** The definition (§5.3): octet i XOR key[i mod 4]. */
function maskByDefinition(data: Uint8Array, key: Uint8Array): Uint8Array {
  return data.map((byte, i) => byte ^ key[i % 4]!);
}

describe('mask (RFC 6455 §5.3)', () => {
  it('masks "Hello" with 37 fa 21 3d as in §5.7', () => {
    expect(toHex(unmask(new TextEncoder().encode('Hello'), hex('37fa213d')))).toBe('7f9f4d5158');
  });

  it('leaves the source untouched and writes at an offset of the target', () => {
    const source = new Uint8Array(100).fill(0xaa);
    const target = new Uint8Array(108);
    mask(source, hex('00 01 02 03 04 05'), 2, target, 8);
    expect(source.every((byte) => byte === 0xaa)).toBe(true);
    expect(toHex(target.subarray(0, 8))).toBe('0000000000000000');
    expect(toHex(target.subarray(8, 16))).toBe(toHex(maskByDefinition(new Uint8Array(8).fill(0xaa), hex('02030405'))));
  });

  it('agrees with the definition for any data, key and (aligned or not) target offset', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 7 }),
        (data, key, offset) => {
          const target = new Uint8Array(offset + data.length);
          mask(data, key, 0, target, offset);
          expect(toHex(target.subarray(offset))).toBe(toHex(maskByDefinition(data, key)));
        },
      ),
    );
  });

  it('is its own inverse on large payloads (word-wise path), including an odd tail', () => {
    const data = new Uint8Array(1_000_003).map((_, i) => (i * 31) & 0xff);
    const key = hex('de ad be ef');
    const masked = unmask(data, key);
    expect(masked[0]).toBe(0 ^ 0xde);
    expect(masked[1_000_002]).toBe(((1_000_002 * 31) & 0xff) ^ key[1_000_002 % 4]!);
    expect(sameBytes(unmask(masked, key), data)).toBe(true);
  });
});
