/** WHATWG `BinaryType`, plus Node's `'nodebuffer'` (not in WHATWG). */
export type BinaryType = 'blob' | 'arraybuffer' | 'nodebuffer';

export function isBinaryType(value: unknown): value is BinaryType {
  return value === 'blob' || value === 'arraybuffer' || value === 'nodebuffer';
}

/**
 * WHATWG WebSockets, "a WebSocket message has been received", step 3: binary data becomes a Blob
 * or an ArrayBuffer as `binaryType` says. `'nodebuffer'` is a `Buffer` view of the engine's
 * bytes, no copy; `'arraybuffer'` copies only when the view does not own its whole buffer.
 */
export function toMessageData(data: Uint8Array, binaryType: BinaryType): Blob | ArrayBuffer | Buffer {
  switch (binaryType) {
    case 'nodebuffer':
      // The engine's views of socket chunks are Buffers already.
      return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    case 'arraybuffer':
      // An empty payload is the engine's one shared empty view: each message gets its own buffer.
      if (data.byteLength === 0) return new ArrayBuffer(0);
      if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer) {
        return data.buffer;
      }
      return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
    default:
      return new Blob([data as Uint8Array<ArrayBuffer>]);
  }
}

/**
 * WebIDL conversion of `send()`'s argument to the bytes to frame, without copying: a view over
 * the caller's memory (the engine masks into a fresh frame, so the caller's bytes are never
 * written).
 */
export function viewOf(data: ArrayBuffer | ArrayBufferView | SharedArrayBuffer): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** A copy of `bytes` that owns its memory (`Buffer#slice` would only make another view). */
export function copyOf(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}
