import { describe, expect, it } from 'vitest';
import { isBinaryType, toMessageData, viewOf } from './inbound-data.js';

describe('toMessageData', () => {
  it("gives 'nodebuffer' a Buffer over the same memory", () => {
    const backing = new Uint8Array([0, 1, 2, 3, 4]);
    const view = backing.subarray(1, 4);
    const data = toMessageData(view, 'nodebuffer') as Buffer;
    expect(Buffer.isBuffer(data)).toBe(true);
    expect([...data]).toEqual([1, 2, 3]);
    backing[2] = 9;
    expect(data[1]).toBe(9);
    const buffer = Buffer.from([5]);
    expect(toMessageData(buffer, 'nodebuffer')).toBe(buffer);
  });

  it("gives 'arraybuffer' the view's own buffer when it spans all of it, else a copy", () => {
    const whole = new Uint8Array([1, 2]);
    expect(toMessageData(whole, 'arraybuffer')).toBe(whole.buffer);
    const part = new Uint8Array([1, 2, 3, 4]).subarray(1, 3);
    const copy = toMessageData(part, 'arraybuffer') as ArrayBuffer;
    expect(copy).not.toBe(part.buffer);
    expect([...new Uint8Array(copy)]).toEqual([2, 3]);
  });

  it("gives 'blob' a Blob of the bytes", async () => {
    const blob = toMessageData(new Uint8Array([7, 8]), 'blob') as Blob;
    expect(blob).toBeInstanceOf(Blob);
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([7, 8]);
  });
});

describe('viewOf', () => {
  it('views any ArrayBufferView or ArrayBuffer as bytes without copying', () => {
    const words = new Uint16Array([0x0102, 0x0304]);
    const bytes = viewOf(words);
    expect(bytes.buffer).toBe(words.buffer);
    expect(bytes.byteLength).toBe(4);
    const data = new DataView(new ArrayBuffer(8), 2, 3);
    expect(viewOf(data).byteOffset).toBe(2);
    expect(viewOf(new ArrayBuffer(6)).byteLength).toBe(6);
  });
});

describe('isBinaryType', () => {
  it('knows the three values', () => {
    expect(['blob', 'arraybuffer', 'nodebuffer', 'string', undefined].map(isBinaryType)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
