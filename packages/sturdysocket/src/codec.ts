import { SturdySocketError } from '@sturdysocket/core';

/** Data a WebSocket can carry. */
export type WireData = string | ArrayBuffer | ArrayBufferView | Blob;

/**
 * Turns application values into messages and back. `decode` receives what the transport
 * delivered (a string for text; an ArrayBuffer, Buffer or Blob for binary, per `binaryType`).
 */
export interface MessageCodec<Send, Receive> {
  encode(value: Send): WireData;
  decode(data: unknown): Receive;
  /**
   * How `decode` wants binary messages: `connect()` sets the socket's `binaryType` to it unless
   * `reconnect.binaryType` is given. A codec that reads bytes synchronously wants `'arraybuffer'`
   * (a `Blob` can only be read asynchronously).
   * @default undefined (the transport's own default, `'blob'` in browsers)
   */
  readonly binaryType?: 'arraybuffer' | 'blob' | undefined;
}

/** A message that `codec.decode` could not read; reported on `error`, the message skipped. */
export class CodecError extends SturdySocketError {
  static override readonly brand: string = 'CodecError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super('ERR_CODEC', message, options);
  }
}

/**
 * JSON both ways; binary messages are decoded as UTF-8 JSON too. A value JSON cannot represent
 * (`undefined`, a function, a symbol) makes `send()` throw a `TypeError`.
 */
export function jsonCodec<Send = unknown, Receive = unknown>(): MessageCodec<Send, Receive> {
  const decoder = new TextDecoder();
  return {
    binaryType: 'arraybuffer',
    encode: (value) => {
      // JSON.stringify returns undefined for undefined, a function or a symbol: no message at all,
      // which an open WebSocket would send as the text "undefined".
      const text: string | undefined = JSON.stringify(value);
      if (text === undefined) throw new TypeError(`the JSON codec cannot encode ${typeof value}`);
      return text;
    },
    decode: (data) => {
      if (typeof data === 'string') return JSON.parse(data) as Receive;
      if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return JSON.parse(decoder.decode(data)) as Receive;
      throw new TypeError(
        `the JSON codec cannot read ${Object.prototype.toString.call(data)} (set binaryType to 'arraybuffer')`,
      );
    },
  };
}

/** The identity codec: what goes in goes out. */
export function rawCodec(): MessageCodec<WireData, unknown> {
  return { encode: (value) => value, decode: (data) => data };
}
