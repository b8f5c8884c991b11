// Test support for the permessage-deflate suites: a recording handler, client-frame decoding and
// server-frame building (independent of the engine's own parser and writer).
import type { ProtocolError, ProtocolHandler } from '@sturdysocket/core';

export interface WireFrame {
  readonly fin: boolean;
  readonly rsv1: boolean;
  readonly opcode: number;
  readonly masked: boolean;
  readonly payload: Buffer;
}

/** Decodes (and unmasks) a run of client frames. */
export function decodeFrames(bytes: Uint8Array): WireFrame[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const frames: WireFrame[] = [];
  let i = 0;
  while (i < buf.length) {
    const b0 = buf[i]!;
    const b1 = buf[i + 1]!;
    i += 2;
    let length = b1 & 0x7f;
    if (length === 126) {
      length = buf.readUInt16BE(i);
      i += 2;
    } else if (length === 127) {
      length = Number(buf.readBigUInt64BE(i));
      i += 8;
    }
    const masked = (b1 & 0x80) !== 0;
    const key = masked ? buf.subarray(i, i + 4) : Buffer.alloc(4);
    if (masked) i += 4;
    const payload = Buffer.alloc(length);
    for (let k = 0; k < length; k++) payload[k] = buf[i + k]! ^ key[k % 4]!;
    i += length;
    frames.push({ fin: (b0 & 0x80) !== 0, rsv1: (b0 & 0x40) !== 0, opcode: b0 & 0x0f, masked, payload });
  }
  return frames;
}

/** An unmasked server frame. */
export function serverFrame(
  opcode: number,
  payload: Uint8Array,
  { fin = true, rsv1 = false }: { fin?: boolean; rsv1?: boolean } = {},
): Buffer {
  const length = payload.length;
  let header: Buffer;
  if (length < 126) header = Buffer.from([0, length]);
  else if (length < 0x10000) {
    header = Buffer.alloc(4);
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  header[0] = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode;
  return Buffer.concat([header, payload]);
}

/** Client frames re-encoded as the server would send them (unmasked), keeping FIN/RSV1/opcode. */
export function asServerFrames(clientBytes: Uint8Array): Buffer {
  return Buffer.concat(decodeFrames(clientBytes).map((f) => serverFrame(f.opcode, f.payload, f)));
}

export type Event =
  | readonly ['text', string]
  | readonly ['binary', Buffer]
  | readonly ['close', number, string]
  | readonly ['error', string, number];

export class Recorder implements ProtocolHandler {
  readonly events: Event[] = [];
  readonly written: Uint8Array[] = [];
  readonly errors: ProtocolError[] = [];
  #waiters: (() => void)[] = [];

  write(chunks: readonly Uint8Array[]): void {
    this.written.push(...chunks);
  }
  onText(text: string): void {
    this.#push(['text', text]);
  }
  onBinary(data: Uint8Array): void {
    this.#push(['binary', Buffer.from(data)]);
  }
  onPing(): void {}
  onPong(): void {}
  onClose(code: number, reason: string): void {
    this.#push(['close', code, reason]);
  }
  onProtocolError(error: ProtocolError): void {
    this.errors.push(error);
    this.#push(['error', error.violation, error.closeCode]);
  }

  /** Everything written so far as one buffer; clears it. */
  takeWritten(): Buffer {
    const out = Buffer.concat(this.written);
    this.written.length = 0;
    return out;
  }

  /** Resolves once `count` events have been recorded. */
  async until(count: number, timeoutMs = 5000): Promise<Event[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count) {
      if (Date.now() > deadline) throw new Error(`timed out with ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.events;
  }

  #push(event: Event): void {
    this.events.push(event);
    for (const waiter of this.#waiters.splice(0)) waiter();
  }
}
