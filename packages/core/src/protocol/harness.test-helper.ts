// Test support for the protocol engine's suites (not part of the public API): hex fixtures, a
// recording handler, a reference decoder for client frames, and a server-frame builder.
import type { ProtocolError } from '../errors/protocol-error.js';
import type { ProtocolHandler } from './types.js';

/** Bytes from a hex string; spaces and newlines are ignored. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new Error(`bad hex: ${text}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** A hex string (lower case, no spaces) from bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export type RecordedEvent =
  | readonly ['text', string]
  | readonly ['binary', string]
  | readonly ['ping', string]
  | readonly ['pong', string]
  | readonly ['close', number, string]
  | readonly ['error', string, number]
  | readonly ['paused', boolean];

/** A `ProtocolHandler` that records everything, with binary payloads as hex. */
export class Recorder implements ProtocolHandler {
  readonly events: RecordedEvent[] = [];
  readonly writes: (readonly Uint8Array[])[] = [];
  readonly errors: ProtocolError[] = [];
  readonly binaries: Uint8Array[] = [];

  write(chunks: readonly Uint8Array[]): void {
    this.writes.push(chunks);
  }
  onText(text: string): void {
    this.events.push(['text', text]);
  }
  onBinary(data: Uint8Array): void {
    this.binaries.push(data);
    this.events.push(['binary', toHex(data)]);
  }
  onPing(payload: Uint8Array): void {
    this.events.push(['ping', toHex(payload)]);
  }
  onPong(payload: Uint8Array): void {
    this.events.push(['pong', toHex(payload)]);
  }
  onClose(code: number, reason: string): void {
    this.events.push(['close', code, reason]);
  }
  onProtocolError(error: ProtocolError): void {
    this.errors.push(error);
    this.events.push(['error', error.violation, error.closeCode]);
  }
  onReadPaused(paused: boolean): void {
    this.events.push(['paused', paused]);
  }

  /** Every frame written so far, decoded by the reference decoder. */
  sentFrames(): ClientFrame[] {
    return decodeClientFrames(concatBytes(this.writes.flat()));
  }
}

export interface ClientFrame {
  readonly fin: boolean;
  readonly rsv1: boolean;
  readonly opcode: number;
  readonly masked: boolean;
  readonly key: Uint8Array;
  /** Unmasked. */
  readonly payload: Uint8Array;
}

/** A deliberately plain, byte-at-a-time decoder of (masked) client frames, independent of the parser. */
export function decodeClientFrames(bytes: Uint8Array): ClientFrame[] {
  const frames: ClientFrame[] = [];
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i++]!;
    const b1 = bytes[i++]!;
    let length = b1 & 0x7f;
    if (length === 126) {
      length = bytes[i]! * 256 + bytes[i + 1]!;
      i += 2;
    } else if (length === 127) {
      length = 0;
      for (let k = 0; k < 8; k++) length = length * 256 + bytes[i + k]!;
      i += 8;
    }
    const masked = (b1 & 0x80) !== 0;
    const key = masked ? bytes.slice(i, i + 4) : new Uint8Array(4);
    if (masked) i += 4;
    const payload = new Uint8Array(length);
    for (let k = 0; k < length; k++) payload[k] = bytes[i + k]! ^ key[k % 4]!;
    i += length;
    if (i > bytes.length) throw new Error('truncated client frame');
    frames.push({ fin: (b0 & 0x80) !== 0, rsv1: (b0 & 0x40) !== 0, opcode: b0 & 0x0f, masked, key, payload });
  }
  return frames;
}

/** An unmasked server frame with the minimal length encoding. */
export function serverFrame(
  opcode: number,
  payload: Uint8Array | string = new Uint8Array(0),
  { fin = true, rsv1 = false }: { fin?: boolean; rsv1?: boolean } = {},
): Uint8Array {
  const data = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  const length = data.length;
  const header: number[] = [(fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode];
  if (length < 126) header.push(length);
  else if (length < 0x10000) header.push(126, length >> 8, length & 0xff);
  else {
    header.push(127);
    for (let k = 7; k >= 0; k--) header.push(Math.floor(length / 2 ** (8 * k)) & 0xff);
  }
  return concatBytes([Uint8Array.from(header), data]);
}

/** Splits `bytes` at the given cut points (sorted, deduplicated, within range). */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => Math.max(0, Math.min(bytes.length, cut))))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    if (point > start) chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

/** A RandomFill that repeats `key` — deterministic masking keys for byte-exact fixtures. */
export function repeatingKey(key: Uint8Array): (array: Uint8Array) => Uint8Array {
  return (array) => {
    for (let i = 0; i < array.length; i++) array[i] = key[i % key.length]!;
    return array;
  };
}

/** Byte equality without a deep-equal over every element (fast for megabytes). */
export function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
