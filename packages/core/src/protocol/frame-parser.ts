import { CloseCode } from '../close-codes.js';
import { ProtocolError, type ProtocolViolation } from '../errors/protocol-error.js';
import { isControlOpcode, isKnownOpcode, MAX_CONTROL_PAYLOAD_BYTES, Opcode } from './opcode.js';

/**
 * Server frames (RFC 6455 §5.2) parsed by an explicit state machine — one method per state, each
 * returning whether it made progress — so a frame may arrive in any number of chunks and a chunk
 * may hold any number of frames.
 *
 * Every rule that can be judged from a frame header is judged here, before any payload is
 * buffered: masking, reserved bits and opcodes, control-frame rules, fragmentation order, lengths
 * and the limits. Payload rules (UTF-8, close bodies) belong to the engine.
 *
 * Allocation: headers are read byte by byte straight from the chunks (no per-frame allocation).
 * A payload lying whole inside one chunk is delivered as a `subarray` view of it (no copy); a
 * payload split across chunks is copied once into a buffer of exactly its size — or, when the
 * caller can read straight into memory it is given (`inputTarget`/`commit`), not copied at all.
 */

/**
 * Payloads with at least this many bytes still to come are offered as an input target: below it
 * the copy saved is smaller than the reads it would split.
 */
export const DIRECT_INPUT_MIN_BYTES = 65_536; // 64 KiB

/** Receives what the parser finds. */
export interface FrameSink {
  /**
   * One complete frame, already checked against every header rule. `payload` is the sink's to
   * keep. The sink may call `pause()` to stop parsing after this frame, or `stop()`.
   */
  onFrame(fin: boolean, rsv1: boolean, opcode: number, payload: Uint8Array): void;
  /** A header rule was broken; the parser has stopped for good. */
  onViolation(error: ProtocolError): void;
}

export interface FrameParserOptions {
  /** Largest data message in bytes, summed over its fragments (§10.4). */
  readonly maxPayload: number;
  /** Most frames one data message may span. */
  readonly maxFragments: number;
  /** Whether RSV1 may be set on a message's first frame (an extension such as RFC 7692 uses it). */
  readonly allowRsv1: boolean;
  /**
   * Memory for a payload split across chunks, every byte of which the parser then writes. A
   * runtime may skip zero-filling (Node's `Buffer.allocUnsafe`). @default `new Uint8Array(length)`
   */
  readonly allocate?: ((length: number) => Uint8Array) | undefined;
}

const allocateZeroed = (length: number): Uint8Array => new Uint8Array(length);

const GET_INFO = 0;
const GET_LENGTH_16 = 1;
const GET_LENGTH_64 = 2;
const GET_PAYLOAD = 3;

const TWO_TO_THE_32 = 0x1_0000_0000;
const EMPTY = /* @__PURE__ */ new Uint8Array(0);
/** The chunk queue while nothing is buffered, shared by every parser (frozen: `push` replaces it). */
const NO_CHUNKS = /* @__PURE__ */ Object.freeze([]) as readonly Uint8Array[] as Uint8Array[];

export class FrameParser {
  readonly #sink: FrameSink;
  readonly #maxPayload: number;
  readonly #maxFragments: number;
  readonly #allowRsv1: boolean;
  readonly #allocate: (length: number) => Uint8Array;

  // Unparsed input: a queue of chunks from `#head` on, the first one consumed from `#offset`.
  // A head index rather than `shift()` keeps a frame trickling in as 1-byte chunks linear. An
  // idle parser holds no array of its own.
  #chunks: Uint8Array[] = NO_CHUNKS;
  #head = 0;
  #offset = 0;
  #buffered = 0;

  /** The payload being filled in place (see `inputTarget`), and how many of its bytes are in. */
  #direct: Uint8Array | undefined;
  #directFilled = 0;

  #state = GET_INFO;
  #running = false;
  #paused = false;
  #stopped = false;

  // The frame being parsed.
  #fin = false;
  #rsv1 = false;
  #opcode = 0;
  #payloadLength = 0;

  // The data message being assembled (§5.4).
  #inMessage = false;
  #messageBytes = 0;
  #messageFrames = 0;

  constructor(sink: FrameSink, options: FrameParserOptions) {
    this.#sink = sink;
    this.#maxPayload = options.maxPayload;
    this.#maxFragments = options.maxFragments;
    this.#allowRsv1 = options.allowRsv1;
    this.#allocate = options.allocate ?? allocateZeroed;
  }

  /** Bytes received but not yet parsed. */
  get bufferedBytes(): number {
    return this.#buffered;
  }

  /** Whether parsing is paused (input is still accepted and buffered). */
  get paused(): boolean {
    return this.#paused;
  }

  /** Whether the parser has stopped for good (a violation, or the sink said so). */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Feeds bytes. The parser keeps a reference to `chunk` and never writes to it. */
  push(chunk: Uint8Array): void {
    if (this.#stopped || chunk.length === 0) return;
    const direct = this.#direct;
    if (direct !== undefined) {
      // Input arriving this way while a read may still be pending into the payload's buffer: the
      // payload goes back to being gathered from chunks, so that read cannot land on these bytes.
      this.#direct = undefined;
      if (this.#directFilled > 0) {
        this.#append(direct.subarray(0, this.#directFilled));
        this.#buffered += this.#directFilled;
      }
    }
    this.#append(chunk);
    this.#buffered += chunk.length;
    this.#run();
  }

  /**
   * Zero-copy input. While a payload with at least `DIRECT_INPUT_MIN_BYTES` still to come is
   * arriving, the rest of the buffer that payload will be delivered in (allocated now, at its
   * exact size, holding the bytes already received). A caller that can have its reads land in
   * memory it chooses (Node's `onread`) reads into this view and hands the filled part to
   * `commit()`, which saves the copy `push()` would make. `undefined` otherwise; then `push()`.
   */
  inputTarget(): Uint8Array | undefined {
    if (this.#stopped || this.#paused || this.#state !== GET_PAYLOAD) return undefined;
    let direct = this.#direct;
    if (direct === undefined) {
      // Every buffered byte belongs to this payload: it is not complete, or it would be delivered.
      if (this.#payloadLength - this.#buffered < DIRECT_INPUT_MIN_BYTES) return undefined;
      direct = this.#allocate(this.#payloadLength);
      this.#directFilled = this.#buffered;
      if (this.#buffered > 0) this.#consumeInto(direct, this.#buffered);
      this.#direct = direct;
    }
    return direct.subarray(this.#directFilled);
  }

  /**
   * Input that was read into a view `inputTarget()` returned: `bytes` is the filled start of
   * that view. Taken in place when it continues the payload; a read into a target gone stale
   * (input came by `push()` meanwhile, or the parser stopped) is taken as `push()` takes input.
   */
  commit(bytes: Uint8Array): void {
    const direct = this.#direct;
    if (
      direct !== undefined &&
      bytes.buffer === direct.buffer &&
      bytes.byteOffset === direct.byteOffset + this.#directFilled &&
      bytes.length <= direct.length - this.#directFilled
    ) {
      this.#directFilled += bytes.length;
      this.#run();
    } else {
      this.push(bytes);
    }
  }

  /** Stops parsing after the current frame until `resume()`; input keeps being buffered. */
  pause(): void {
    this.#paused = true;
  }

  /** Parses what was buffered while paused. */
  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#run();
  }

  /** Stops for good and drops buffered input. */
  stop(): void {
    this.#stopped = true;
    this.#direct = undefined;
    this.#chunks = NO_CHUNKS;
    this.#head = 0;
    this.#offset = 0;
    this.#buffered = 0;
  }

  #run(): void {
    if (this.#running) return; // A sink calling back into us: the outer loop carries on.
    this.#running = true;
    try {
      let progressed = true;
      while (progressed && !this.#paused && !this.#stopped) {
        switch (this.#state) {
          case GET_INFO:
            progressed = this.#getInfo();
            break;
          case GET_LENGTH_16:
            progressed = this.#getLength16();
            break;
          case GET_LENGTH_64:
            progressed = this.#getLength64();
            break;
          default:
            progressed = this.#getPayload();
        }
      }
    } finally {
      this.#running = false;
    }
  }

  /** The first two bytes: FIN, RSV1–3, opcode, MASK, 7-bit length (§5.2). */
  #getInfo(): boolean {
    if (this.#buffered < 2) return false;
    let b0: number;
    let b1: number;
    const chunk = this.#chunks[this.#head]!;
    const offset = this.#offset;
    if (chunk.length - offset > 2) {
      // Both bytes in the first chunk, with more after them (the usual case): read in place.
      b0 = chunk[offset]!;
      b1 = chunk[offset + 1]!;
      this.#offset = offset + 2;
      this.#buffered -= 2;
    } else {
      b0 = this.#readByte();
      b1 = this.#readByte();
    }
    const opcode = b0 & 0x0f;
    const fin = (b0 & 0x80) !== 0;
    const rsv1 = (b0 & 0x40) !== 0;
    const control = isControlOpcode(opcode);

    // §5.2: "RSV1, RSV2, RSV3: … MUST be 0 unless an extension is negotiated that defines
    // meanings for non-zero values." RFC 7692 §6.1 gives RSV1 to a message's first frame only.
    if ((b0 & 0x30) !== 0) return this.#fail('reserved-bits', 'RSV2 or RSV3 is set');
    if (rsv1) {
      if (!this.#allowRsv1) return this.#fail('reserved-bits', 'RSV1 is set but no extension uses it');
      if (control) return this.#fail('reserved-bits', 'RSV1 is set on a control frame');
      if (opcode === Opcode.Continuation) return this.#fail('reserved-bits', 'RSV1 is set on a continuation frame');
    }
    // §5.2: an unknown opcode fails the connection.
    if (!isKnownOpcode(opcode)) return this.#fail('reserved-opcode', `The reserved opcode 0x${opcode.toString(16)}`);
    if (control) {
      // §5.5: "All control frames MUST have a payload length of 125 bytes or less and MUST NOT
      // be fragmented."
      if (!fin) return this.#fail('fragmented-control-frame', 'A control frame has FIN clear');
      if ((b1 & 0x7f) > MAX_CONTROL_PAYLOAD_BYTES) {
        return this.#fail('control-frame-too-long', 'A control frame is longer than 125 bytes');
      }
    } else if (opcode === Opcode.Continuation) {
      // §5.4: a continuation belongs to a message started by a text or binary frame.
      if (!this.#inMessage) return this.#fail('unexpected-continuation', 'A continuation frame without a message');
    } else if (this.#inMessage) {
      // §5.4: fragments of one message are not interleaved with another message's.
      return this.#fail('expected-continuation', 'A new data frame inside a fragmented message');
    }
    // §5.1: "A client MUST close a connection if it detects a masked frame."
    if ((b1 & 0x80) !== 0) return this.#fail('masked-frame', 'The server masked a frame');

    this.#fin = fin;
    this.#rsv1 = rsv1;
    this.#opcode = opcode;
    const length = b1 & 0x7f;
    if (length === 126) this.#state = GET_LENGTH_16;
    else if (length === 127) this.#state = GET_LENGTH_64;
    else return this.#haveLength(length);
    return true;
  }

  /** A 16-bit extended payload length (§5.2). */
  #getLength16(): boolean {
    if (this.#buffered < 2) return false;
    const length = (this.#readByte() << 8) | this.#readByte();
    // §5.2: "the minimal number of bytes MUST be used to encode the length".
    if (length < 126) return this.#fail('invalid-length', 'A 16-bit length encodes less than 126');
    return this.#haveLength(length);
  }

  /** A 64-bit extended payload length (§5.2). */
  #getLength64(): boolean {
    if (this.#buffered < 8) return false;
    const high = this.#readUint32();
    const low = this.#readUint32();
    // §5.2: "the most significant bit MUST be 0".
    if (high >= 0x80000000) return this.#fail('invalid-length', 'The 64-bit length has its high bit set');
    const length = high * TWO_TO_THE_32 + low;
    if (length > Number.MAX_SAFE_INTEGER) {
      return this.#fail('message-too-big', 'The 64-bit length exceeds 2^53 − 1', CloseCode.MessageTooBig);
    }
    if (length < 0x10000) return this.#fail('invalid-length', 'A 64-bit length encodes less than 65536');
    return this.#haveLength(length);
  }

  /** The length is known: enforce the limits before buffering a byte of payload (§10.4). */
  #haveLength(length: number): boolean {
    this.#payloadLength = length;
    if (!isControlOpcode(this.#opcode)) {
      const messageBytes = this.#messageBytes + length;
      if (messageBytes > this.#maxPayload) {
        return this.#fail(
          'message-too-big',
          `A message exceeds maxPayload (${this.#maxPayload} bytes)`,
          CloseCode.MessageTooBig,
        );
      }
      if (this.#messageFrames + 1 > this.#maxFragments) {
        return this.#fail(
          'too-many-fragments',
          `A message spans more than maxFragments (${this.#maxFragments}) frames`,
          CloseCode.MessageTooBig,
        );
      }
      this.#messageBytes = messageBytes;
      this.#messageFrames++;
      this.#inMessage = !this.#fin;
      if (this.#fin) {
        this.#messageBytes = 0;
        this.#messageFrames = 0;
      }
    }
    this.#state = GET_PAYLOAD;
    return true;
  }

  /** The payload: delivered once it is all here. */
  #getPayload(): boolean {
    const length = this.#payloadLength;
    let payload = this.#direct;
    if (payload !== undefined) {
      if (this.#directFilled < length) return false;
      this.#direct = undefined;
    } else {
      if (this.#buffered < length) return false;
      payload = length === 0 ? EMPTY : this.#consume(length);
    }
    this.#state = GET_INFO;
    this.#sink.onFrame(this.#fin, this.#rsv1, this.#opcode, payload);
    return true;
  }

  #fail(violation: ProtocolViolation, message: string, closeCode: number = CloseCode.ProtocolError): false {
    this.stop();
    this.#sink.onViolation(new ProtocolError(violation, message, { closeCode }));
    return false;
  }

  /** Queues a chunk (the shared empty list is replaced by a list of its own first). */
  #append(chunk: Uint8Array): void {
    if (this.#chunks === NO_CHUNKS) this.#chunks = [chunk];
    else this.#chunks.push(chunk);
  }

  #readByte(): number {
    const chunk = this.#chunks[this.#head]!;
    const byte = chunk[this.#offset++]!;
    this.#buffered--;
    if (this.#offset === chunk.length) this.#dropFirst();
    return byte;
  }

  /** The first chunk is used up. */
  #dropFirst(): void {
    this.#offset = 0;
    this.#head++;
    if (this.#head === this.#chunks.length) {
      this.#chunks = NO_CHUNKS;
      this.#head = 0;
    } else if (this.#head >= 1024) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    } else {
      this.#chunks[this.#head - 1] = EMPTY; // Let the chunk be collected.
    }
  }

  #readUint32(): number {
    return this.#readByte() * 0x1000000 + ((this.#readByte() << 16) | (this.#readByte() << 8) | this.#readByte());
  }

  /** `length` bytes (≤ buffered): a view when they lie in one chunk, else one exact copy. */
  #consume(length: number): Uint8Array {
    const first = this.#chunks[this.#head]!;
    const available = first.length - this.#offset;
    if (available >= length) {
      this.#buffered -= length;
      const view = first.subarray(this.#offset, this.#offset + length);
      if (available === length) this.#dropFirst();
      else this.#offset += length;
      return view;
    }
    const out = this.#allocate(length);
    this.#consumeInto(out, length);
    return out;
  }

  /** Copies the next `length` buffered bytes (≤ buffered) to the start of `out`, consuming them. */
  #consumeInto(out: Uint8Array, length: number): void {
    this.#buffered -= length;
    let written = 0;
    while (written < length) {
      const chunk = this.#chunks[this.#head]!;
      const take = Math.min(chunk.length - this.#offset, length - written);
      out.set(
        this.#offset === 0 && take === chunk.length ? chunk : chunk.subarray(this.#offset, this.#offset + take),
        written,
      );
      written += take;
      this.#offset += take;
      if (this.#offset === chunk.length) this.#dropFirst();
    }
  }
}
