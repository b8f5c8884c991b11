import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameWriter } from './frame-writer.js';
import { decodeClientFrames, hex, repeatingKey, sameBytes, toHex } from './harness.test-helper.js';
import { Opcode } from './opcode.js';

const helloKey = repeatingKey(hex('37 fa 21 3d'));

describe('FrameWriter (RFC 6455 §5.2, §5.3)', () => {
  it('writes the masked "Hello" of §5.7 byte for byte', () => {
    const frame = new FrameWriter({ randomFill: helloKey }).frame(Opcode.Text, new TextEncoder().encode('Hello'), true);
    expect(toHex(frame)).toBe('818537fa213d7f9f4d5158');
  });

  it('sets RSV1 and clears FIN when asked', () => {
    const frame = new FrameWriter({ randomFill: helloKey }).frame(Opcode.Binary, new Uint8Array(0), false, true);
    expect(toHex(frame)).toBe('428037fa213d');
  });

  it.each([
    [0, '8280'],
    [125, '82fd'],
    [126, '82fe007e'],
    [65535, '82feffff'],
    [65536, '82ff0000000000010000'],
    [1 << 20, '82ff0000000000100000'],
  ])('encodes a %i-byte payload with the minimal length form', (length, header) => {
    const payload = new Uint8Array(length).fill(7);
    const frame = new FrameWriter({ randomFill: helloKey }).frame(Opcode.Binary, payload, true);
    expect(toHex(frame.subarray(0, header.length / 2))).toBe(header);
    expect(frame.length).toBe(header.length / 2 + 4 + length);
    const [decoded] = decodeClientFrames(frame);
    expect(sameBytes(decoded?.payload, payload)).toBe(true);
    expect(payload.every((byte) => byte === 7)).toBe(true); // the caller's buffer is not masked in place
  });

  it('sets the MASK bit and draws a fresh key for every frame', () => {
    const writer = new FrameWriter();
    const keys = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const [frame] = decodeClientFrames(writer.frame(Opcode.Ping, new Uint8Array(0), true));
      expect(frame?.masked).toBe(true);
      keys.add(toHex(frame!.key));
    }
    // 2000 draws from 2^32 keys: a repeat is a ~0.05 % event; many repeats mean a reused key.
    expect(keys.size).toBeGreaterThan(1995);
  });

  it('draws randomness in batches (one CSPRNG call per 1,024 frames)', () => {
    let calls = 0;
    const writer = new FrameWriter({
      randomFill: (array) => {
        calls++;
        return globalThis.crypto.getRandomValues(array);
      },
    });
    for (let i = 0; i < 1025; i++) writer.frame(Opcode.Ping, new Uint8Array(0), true);
    expect(calls).toBe(2);
  });

  it('fragments a message: opcode then continuations, FIN on the last, RSV1 on the first only', () => {
    const frames = new FrameWriter().fragments(Opcode.Text, new TextEncoder().encode('abcdefg'), 3, true);
    const decoded = frames.flatMap((frame) => decodeClientFrames(frame));
    expect(decoded.map((f) => [f.opcode, f.fin, f.rsv1, new TextDecoder().decode(f.payload)])).toEqual([
      [Opcode.Text, false, true, 'abc'],
      [Opcode.Continuation, false, false, 'def'],
      [Opcode.Continuation, true, false, 'g'],
    ]);
    expect(() => new FrameWriter().fragments(Opcode.Text, new Uint8Array(4), 0)).toThrow(RangeError);
  });

  it('round-trips any payload through the reference decoder, and frames never share bytes', () => {
    const writer = new FrameWriter();
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 70_000 }), { minLength: 1, maxLength: 4 }), (payloads) => {
        const frames = payloads.map((payload) => writer.frame(Opcode.Binary, payload, true));
        const snapshots = frames.map((frame) => toHex(frame));
        frames.forEach((frame, i) => {
          expect(sameBytes(decodeClientFrames(frame)[0]?.payload, payloads[i])).toBe(true);
          expect(toHex(frame)).toBe(snapshots[i]); // later frames did not overwrite earlier ones
        });
      }),
      { numRuns: 30 },
    );
  });

  it('takes memory for large frames from the allocator given, aligning the payload wherever it starts', () => {
    for (const skew of [0, 1, 2, 3]) {
      const given: Uint8Array[] = [];
      const writer = new FrameWriter({
        allocate: (length) => {
          // Memory that starts `skew` bytes into its buffer, and is not zero-filled.
          const memory = new Uint8Array(length + skew).fill(0xee).subarray(skew);
          given.push(memory);
          return memory;
        },
      });
      const payload = new Uint8Array(20_000).map((_, i) => i & 0xff);
      const frame = writer.frame(Opcode.Binary, payload, true);
      expect(given).toHaveLength(1);
      expect(frame.buffer).toBe(given[0]!.buffer);
      expect((frame.byteOffset + 8) % 4).toBe(0); // the payload, after a 4-byte header and key
      const [decoded] = decodeClientFrames(frame);
      expect(decoded!.payload).toEqual(payload);
      // Small frames still come from the shared slab, not the allocator.
      writer.frame(Opcode.Text, new Uint8Array(10), true);
      expect(given).toHaveLength(1);
    }
  });
});
