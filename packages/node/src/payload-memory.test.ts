import { describe, expect, it } from 'vitest';
import { allocatePayload, heapAnchor } from './payload-memory.js';

describe('allocatePayload', () => {
  it('returns a Buffer of exactly the length asked for', () => {
    for (const length of [0, 1, 125, 65_535, 65_536, 1024 * 1024]) {
      const payload = allocatePayload(length);
      expect(Buffer.isBuffer(payload)).toBe(true);
      expect(payload.length).toBe(length);
    }
  });

  it('gives each large payload memory of its own', () => {
    const first = allocatePayload(100_000);
    const second = allocatePayload(100_000);
    expect(first.buffer).not.toBe(second.buffer);
  });

  it('replaces the heap anchor after every large payload, and only then', () => {
    allocatePayload(64 * 1024);
    const anchor = heapAnchor();
    expect(anchor).toBeInstanceOf(Buffer);
    allocatePayload(64 * 1024 - 1);
    allocatePayload(125);
    expect(heapAnchor()).toBe(anchor);
    allocatePayload(1024 * 1024);
    expect(heapAnchor()).not.toBe(anchor);
    // Its own block, not a slice of Node's shared pool that other buffers would keep alive.
    expect(heapAnchor()!.byteOffset).toBe(0);
    expect(heapAnchor()!.buffer.byteLength).toBe(heapAnchor()!.length);
  });
});
