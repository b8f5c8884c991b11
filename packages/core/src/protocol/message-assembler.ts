import { Opcode } from './opcode.js';
import { decodeUtf8, Utf8Validator } from './utf8-validator.js';

/** Where assembled messages go. */
export interface AssembledMessageSink {
  onText(text: string): void;
  onBinary(data: Uint8Array): void;
  /** The text so far is not UTF-8 (§8.1); the message is abandoned. */
  onInvalidUtf8(): void;
}

/**
 * Puts a data message back together from its fragments (RFC 6455 §5.4), with the payload as
 * received or as inflated.
 * - Text is validated and decoded fragment by fragment (§8.1), so invalid UTF-8 is reported at
 *   the fragment that holds it and a code point may straddle fragments.
 * - Binary from a single frame is delivered as is (a view, no copy); fragments are copied once,
 *   at the end, into a buffer of exactly the message's size.
 */
export class MessageAssembler {
  readonly #sink: AssembledMessageSink;
  /** Made for the first fragmented text message; a whole one is decoded in one call. */
  #utf8: Utf8Validator | undefined;
  #text = false;
  /** The fragments so far of a fragmented message; absent between messages. */
  #binaryParts: Uint8Array[] | undefined;
  #textParts: string[] | undefined;

  constructor(sink: AssembledMessageSink) {
    this.#sink = sink;
  }

  /** A new message begins with a text or binary frame. */
  start(opcode: number): void {
    this.#text = opcode === Opcode.Text;
  }

  /** The message's next bytes; `fin` completes it. */
  append(data: Uint8Array, fin: boolean): void {
    if (this.#text) this.#appendText(data, fin);
    else this.#appendBinary(data, fin);
  }

  /** Drops a message in progress (the connection is closing or failed). */
  reset(): void {
    this.#binaryParts = undefined;
    this.#textParts = undefined;
    this.#utf8?.reset();
  }

  #appendText(data: Uint8Array, fin: boolean): void {
    let text: string | undefined;
    if (fin && this.#utf8 === undefined) text = decodeUtf8(data);
    else {
      this.#utf8 ??= new Utf8Validator();
      text = this.#utf8.decode(data, fin);
    }
    if (text === undefined) {
      this.reset();
      this.#sink.onInvalidUtf8();
      return;
    }
    if (!fin) {
      if (text === '') return;
      this.#textParts ??= [];
      this.#textParts.push(text);
      return;
    }
    const parts = this.#textParts;
    if (parts === undefined) {
      this.#sink.onText(text);
      return;
    }
    parts.push(text);
    this.#textParts = undefined;
    this.#sink.onText(parts.join(''));
  }

  #appendBinary(data: Uint8Array, fin: boolean): void {
    if (!fin) {
      if (data.length === 0) return;
      this.#binaryParts ??= [];
      this.#binaryParts.push(data);
      return;
    }
    const parts = this.#binaryParts;
    if (parts === undefined) {
      this.#sink.onBinary(data);
      return;
    }
    parts.push(data);
    this.#binaryParts = undefined;
    this.#sink.onBinary(concat(parts));
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
