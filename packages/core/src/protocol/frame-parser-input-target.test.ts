import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIRECT_INPUT_MIN_BYTES, FrameParser } from './frame-parser.js';
import { hex } from './harness.test-helper.js';

/** A parser that keeps each payload itself (not a hex copy), to check where the bytes live. */
function parser(maxPayload = 1 << 24) {
  const payloads: Uint8Array[] = [];
  const violations: string[] = [];
  const instance = new FrameParser(
    {
      onFrame: (_fin, _rsv1, _opcode, payload) => payloads.push(payload),
      onViolation: (error) => violations.push(error.violation),
    },
    { maxPayload, maxFragments: 100, allowRsv1: false },
  );
  return { instance, payloads, violations };
}

/** An unmasked binary frame header with a 64-bit length (RFC 6455 §5.2). */
function header64(length: number): Uint8Array {
  const bytes = new Uint8Array(10);
  bytes[0] = 0x82;
  bytes[1] = 127;
  new DataView(bytes.buffer).setUint32(6, length);
  return bytes;
}

function pattern(length: number, seed = 0): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

/** Byte equality (vitest's deep equality walks a large typed array element by element, slowly). */
function same(actual: Uint8Array | undefined, expected: Uint8Array): boolean {
  if (actual === undefined || actual.length !== expected.length) return false;
  for (let i = 0; i < actual.length; i++) if (actual[i] !== expected[i]) return false;
  return true;
}

/** Reads `bytes` into the parser's input target, in reads of at most `readSize`, as a socket would. */
function readInto(instance: FrameParser, bytes: Uint8Array, readSize: number): void {
  for (let at = 0; at < bytes.length; ) {
    const target = instance.inputTarget();
    if (target === undefined) throw new Error('no input target');
    const n = Math.min(readSize, target.length, bytes.length - at);
    target.set(bytes.subarray(at, at + n));
    instance.commit(target.subarray(0, n));
    at += n;
  }
}

describe('FrameParser zero-copy input (inputTarget / commit)', () => {
  const size = 256 * 1024;

  it('offers no target between frames, for small payloads, or when little of a payload is left', () => {
    const { instance } = parser();
    expect(instance.inputTarget()).toBeUndefined();
    instance.push(hex('827e 0100')); // a 256-byte payload
    expect(instance.inputTarget()).toBeUndefined();
    instance.push(new Uint8Array(256));
    instance.push(header64(DIRECT_INPUT_MIN_BYTES + 10));
    instance.push(new Uint8Array(11)); // fewer than DIRECT_INPUT_MIN_BYTES still to come
    expect(instance.inputTarget()).toBeUndefined();
  });

  it('delivers a payload read into its own buffer, with the bytes buffered before it, without a copy', () => {
    const { instance, payloads } = parser();
    const payload = pattern(size);
    instance.push(header64(size));
    instance.push(payload.subarray(0, 1000));
    const target = instance.inputTarget() as Uint8Array;
    expect(target.length).toBe(size - 1000);
    readInto(instance, payload.subarray(1000), 65536);
    expect(payloads).toHaveLength(1);
    expect(same(payloads[0], payload)).toBe(true);
    // The delivered payload is the very buffer the reads landed in.
    expect(payloads[0]!.buffer).toBe(target.buffer);
    expect(instance.inputTarget()).toBeUndefined();
  });

  it('parses frames pushed after a payload filled in place', () => {
    const { instance, payloads } = parser();
    instance.push(header64(size));
    readInto(instance, pattern(size, 1), 100_000);
    instance.push(hex('8102 6869 8100'));
    expect(payloads.map((p) => p.length)).toEqual([size, 2, 0]);
    expect(same(payloads[0], pattern(size, 1))).toBe(true);
  });

  it('gathers a payload from chunks again when input is pushed while it is filled in place', () => {
    const { instance, payloads } = parser();
    const payload = pattern(size, 2);
    instance.push(header64(size));
    readInto(instance, payload.subarray(0, 100_000), 100_000);
    const tail = new Uint8Array(size - 100_000 + 3);
    tail.set(payload.subarray(100_000));
    tail.set(hex('8101 61'), size - 100_000);
    instance.push(tail);
    expect(payloads.map((p) => p.length)).toEqual([size, 1]);
    expect(same(payloads[0], payload)).toBe(true);
  });

  it('takes a read into a stale target (input pushed meanwhile) as pushed input, in order', () => {
    const { instance, payloads } = parser();
    const payload = pattern(size, 3);
    instance.push(header64(size));
    const stale = instance.inputTarget() as Uint8Array;
    instance.push(payload.subarray(0, 5000)); // arrives another way while the read is pending
    stale.set(payload.subarray(5000, 70_000));
    instance.commit(stale.subarray(0, 65_000));
    readInto(instance, payload.subarray(70_000), 65536);
    expect(payloads).toHaveLength(1);
    expect(same(payloads[0], payload)).toBe(true);
  });

  it('never allocates for a payload over maxPayload: the header fails first', () => {
    const { instance, violations } = parser(1 << 20);
    instance.push(header64((1 << 20) + 1));
    expect(violations).toEqual(['message-too-big']);
    expect(instance.inputTarget()).toBeUndefined();
  });

  it('drops the payload being filled when stopped, and ignores reads into it after', () => {
    const { instance, payloads } = parser();
    instance.push(header64(size));
    const target = instance.inputTarget() as Uint8Array;
    instance.stop();
    instance.commit(target.subarray(0, 1000));
    expect(instance.inputTarget()).toBeUndefined();
    expect(payloads).toEqual([]);
  });

  it('offers no target while paused', () => {
    const { instance } = parser();
    instance.push(header64(size));
    instance.pause();
    expect(instance.inputTarget()).toBeUndefined();
    instance.resume();
    expect(instance.inputTarget()?.length).toBe(size);
  });
});

describe('FrameParser zero-copy input, property', () => {
  /** Unmasked server frames (RFC 6455 §5.2) of the given payload sizes, one message each. */
  function framesOf(sizes: number[]): { bytes: Uint8Array; payloads: Uint8Array[] } {
    const payloads = sizes.map((size, i) => pattern(size, i));
    const parts: Uint8Array[] = [];
    for (const payload of payloads) {
      const n = payload.length;
      const head = n < 126 ? [0x82, n] : n < 0x10000 ? [0x82, 126, n >> 8, n & 0xff] : [...header64(n)];
      parts.push(new Uint8Array(head), payload);
    }
    const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let at = 0;
    for (const part of parts) {
      bytes.set(part, at);
      at += part.length;
    }
    return { bytes, payloads };
  }

  it('delivers the same frames whatever mix of pushed reads, reads into targets and reads into stale targets carries the bytes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 65_536, max: 300_000 })), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 200_000 }), fc.constantFrom('push', 'target', 'stale')), {
          minLength: 1,
          maxLength: 40,
        }),
        (sizes, reads) => {
          const { bytes, payloads } = framesOf(sizes);
          const { instance, payloads: got, violations } = parser();
          let at = 0;
          for (let i = 0; at < bytes.length; i++) {
            const [size, how] = reads[i % reads.length]!;
            const target = how === 'push' ? undefined : instance.inputTarget();
            if (target === undefined) {
              const n = Math.min(size, bytes.length - at);
              instance.push(bytes.slice(at, at + n));
              at += n;
              continue;
            }
            if (how === 'stale') {
              // Input arrives by push() while a read into the target is pending; then the read lands.
              const pushed = Math.min(1 + (size % 1000), bytes.length - at);
              instance.push(bytes.slice(at, at + pushed));
              at += pushed;
            }
            const n = Math.min(size, bytes.length - at, target.length);
            target.set(bytes.subarray(at, at + n));
            instance.commit(target.subarray(0, n));
            at += n;
          }
          return (
            violations.length === 0 && got.length === payloads.length && got.every((p, i) => same(p, payloads[i]!))
          );
        },
      ),
      { numRuns: 200 },
    );
    // Some 200 runs of up to 1.8 MB each: seconds on a loaded machine.
  }, 30_000);
});
