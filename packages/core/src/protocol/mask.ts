/**
 * Masking (RFC 6455 §5.3): octet i of the payload is XORed with octet i mod 4 of the masking key.
 *
 * Written for speed, by size:
 * - from `SIMD_MASK_THRESHOLD_BYTES` on, with WebAssembly SIMD where the runtime has it
 *   (`simd-mask.ts`), 16 bytes at a time;
 * - otherwise the payload is first copied into the (caller-allocated, 4-byte aligned) target with
 *   a native copy, then XORed 32 bits at a time through an `Int32Array` view, eight words per
 *   loop turn (the unrolled loop runs at about three times the speed of a one-word loop);
 * - the 0–3 trailing bytes, and payloads too short to be worth a view, byte by byte.
 * The source is never written to.
 */
import { SIMD_CHUNK_BYTES, type SimdMasker, simdMasker } from './simd-mask.js';

/** Below this many bytes a plain byte loop beats creating a typed-array view. */
const WORD_MASK_THRESHOLD_BYTES = 32;

/** From this many bytes on, SIMD (with its copies in and out of its memory) beats the word loop. */
export const SIMD_MASK_THRESHOLD_BYTES = 4096;

// A pure call, so that a bundle that never masks drops it (an annotated `new` followed by `[0]` is kept).
const LITTLE_ENDIAN = /* @__PURE__ */ (() => new Uint8Array(new Uint32Array([1]).buffer)[0] === 1)();

/**
 * Copies `source` into `target` at `targetOffset`, XORed with the 4-byte key
 * `key[keyOffset … keyOffset + 3]`. `target` must have room; `source` is left untouched.
 * Fastest when `target.byteOffset + targetOffset` is a multiple of 4 (the frame writer arranges
 * that); otherwise it falls back to the byte loop.
 */
export function mask(
  source: Uint8Array,
  key: Uint8Array,
  keyOffset: number,
  target: Uint8Array,
  targetOffset: number,
): void {
  const length = source.length;
  const k0 = key[keyOffset]!;
  const k1 = key[keyOffset + 1]!;
  const k2 = key[keyOffset + 2]!;
  const k3 = key[keyOffset + 3]!;
  if (length >= SIMD_MASK_THRESHOLD_BYTES) {
    const simd = simdMasker();
    if (simd !== null) {
      maskWithSimd(simd, source, k0 | (k1 << 8) | (k2 << 16) | (k3 << 24), target, targetOffset);
      const done = length & ~15;
      // The 0–15 bytes after the last whole 16: index `done` is a multiple of 4, so key phase 0.
      maskBytes(source.subarray(done), length - done, k0, k1, k2, k3, target, targetOffset + done);
      return;
    }
  }
  const start = target.byteOffset + targetOffset;
  if (length < WORD_MASK_THRESHOLD_BYTES || (start & 3) !== 0) {
    maskBytes(source, length, k0, k1, k2, k3, target, targetOffset);
    return;
  }
  target.set(source, targetOffset);
  const words = length >>> 2;
  const view = new Int32Array(target.buffer, start, words);
  // The key as one word in the platform's byte order, so that byte j of every word meets k[j];
  // a signed 32-bit integer, which V8 keeps unboxed (an unsigned one above 2^31 is a double).
  const keyWord = LITTLE_ENDIAN ? k0 | (k1 << 8) | (k2 << 16) | (k3 << 24) : (k0 << 24) | (k1 << 16) | (k2 << 8) | k3;
  let i = 0;
  for (const end8 = words & ~7; i < end8; i += 8) {
    view[i]! ^= keyWord;
    view[i + 1]! ^= keyWord;
    view[i + 2]! ^= keyWord;
    view[i + 3]! ^= keyWord;
    view[i + 4]! ^= keyWord;
    view[i + 5]! ^= keyWord;
    view[i + 6]! ^= keyWord;
    view[i + 7]! ^= keyWord;
  }
  for (; i < words; i++) view[i]! ^= keyWord;
  for (let b = words << 2; b < length; b++) {
    const t = targetOffset + b;
    target[t]! ^= key[keyOffset + (b & 3)]!;
  }
}

/** The whole 16-byte blocks of `source`, masked through the SIMD module's memory into `target`. */
function maskWithSimd(
  simd: SimdMasker,
  source: Uint8Array,
  keyWord: number,
  target: Uint8Array,
  targetOffset: number,
): void {
  const blocks = source.length & ~15;
  const memory = simd.memory;
  for (let at = 0; at < blocks; at += SIMD_CHUNK_BYTES) {
    const n = Math.min(SIMD_CHUNK_BYTES, blocks - at);
    memory.set(source.subarray(at, at + n));
    simd.mask(n, keyWord);
    target.set(memory.subarray(0, n), targetOffset + at);
  }
}

/** Unmasks (or masks) `data` into a fresh buffer; for tests and debugging tools. */
export function unmask(data: Uint8Array, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  mask(data, key, 0, out, 0);
  return out;
}

function maskBytes(
  source: Uint8Array,
  length: number,
  k0: number,
  k1: number,
  k2: number,
  k3: number,
  target: Uint8Array,
  targetOffset: number,
): void {
  const end4 = length & ~3;
  let i = 0;
  for (; i < end4; i += 4) {
    const t = targetOffset + i;
    target[t] = source[i]! ^ k0;
    target[t + 1] = source[i + 1]! ^ k1;
    target[t + 2] = source[i + 2]! ^ k2;
    target[t + 3] = source[i + 3]! ^ k3;
  }
  const rest = length - end4;
  const t = targetOffset + end4;
  if (rest > 0) target[t] = source[end4]! ^ k0;
  if (rest > 1) target[t + 1] = source[end4 + 1]! ^ k1;
  if (rest > 2) target[t + 2] = source[end4 + 2]! ^ k2;
}
