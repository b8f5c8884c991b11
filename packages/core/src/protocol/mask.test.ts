import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hex, sameBytes, toHex } from './harness.test-helper.js';
import { mask, SIMD_MASK_THRESHOLD_BYTES, unmask } from './mask.js';
import { SIMD_CHUNK_BYTES, simdMasker } from './simd-mask.js';

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

  it('agrees with the definition on the unrolled word loop: every length up to 100 words and tail', () => {
    const key = hex('a1 b2 c3 d4');
    for (let length = 32; length < 432; length++) {
      const data = new Uint8Array(length).map((_, i) => (i * 7) & 0xff);
      expect(sameBytes(unmask(data, key), maskByDefinition(data, key))).toBe(true);
    }
  });
});

describe('mask with WebAssembly SIMD (large payloads)', () => {
  it('is available here (Node has WebAssembly SIMD), so the tests below run it', () => {
    expect(simdMasker()).not.toBeNull();
    expect(simdMasker()!.memory.length).toBe(SIMD_CHUNK_BYTES);
  });

  it('agrees with the definition around its threshold and chunk edges, from any key and target offset', () => {
    const keys = hex('00 11 22 33 44 55 66');
    const edges = [SIMD_MASK_THRESHOLD_BYTES, SIMD_CHUNK_BYTES, 2 * SIMD_CHUNK_BYTES];
    const lengths = [SIMD_MASK_THRESHOLD_BYTES - 1, ...edges.flatMap((edge) => [edge, edge + 1, edge + 15, edge + 17])];
    for (const length of lengths) {
      const data = new Uint8Array(length).map((_, i) => (i * 13 + 5) & 0xff);
      for (const [keyOffset, targetOffset] of [
        [0, 0],
        [3, 1],
        [2, 6],
      ] as const) {
        const target = new Uint8Array(targetOffset + length + 3).fill(0x5a);
        mask(data, keys, keyOffset, target, targetOffset);
        const expected = maskByDefinition(data, keys.subarray(keyOffset, keyOffset + 4));
        expect(sameBytes(target.subarray(targetOffset, targetOffset + length), expected)).toBe(true);
        // Nothing written outside the payload's place.
        expect(target.subarray(0, targetOffset).every((byte) => byte === 0x5a)).toBe(true);
        expect(target.subarray(targetOffset + length).every((byte) => byte === 0x5a)).toBe(true);
      }
    }
  });

  it('agrees with the definition for any large payload and key', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: SIMD_MASK_THRESHOLD_BYTES, max: 3 * SIMD_CHUNK_BYTES }),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 255 }),
        (length, key, seed) => {
          const data = new Uint8Array(length).map((_, i) => (i * seed + 1) & 0xff);
          return sameBytes(unmask(data, key), maskByDefinition(data, key));
        },
      ),
      { numRuns: 30 },
    );
  });
});
