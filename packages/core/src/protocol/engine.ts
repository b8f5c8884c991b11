import { CloseCode } from '../close-codes.js';
import { ProtocolError } from '../errors/protocol-error.js';
import { Fifo } from '../fifo.js';
import { encodeClosePayload, parseClosePayload } from './close-frame.js';
import { FrameParser, type FrameSink } from './frame-parser.js';
import { FrameWriter } from './frame-writer.js';
import type { RandomFill } from './mask-key-pool.js';
import { type AssembledMessageSink, MessageAssembler } from './message-assembler.js';
import type { MessageCodec } from './message-codec.js';
import { MAX_CONTROL_PAYLOAD_BYTES, Opcode } from './opcode.js';
import { DEFAULT_PROTOCOL_LIMITS, type EngineState, type ProtocolHandler, type ProtocolLimits } from './types.js';

/*
 * The client side of RFC 6455 §5–§7 as a sans-I/O engine: bytes in, events out; messages in,
 * bytes out. No socket, no timer.
 *
 * ── Usage (for a binding such as the Node WebSocket class) ────────────────────────────────────
 *
 *   const engine = new ProtocolEngine(
 *     {
 *       write: (chunks) => { for (const c of chunks) socket.write(c); },  // or cork/writev
 *       onText: (text) => …, onBinary: (bytes) => …,
 *       onPing: () => {}, onPong: (payload) => …,                  // pong to a ping is automatic
 *       onClose: (code, reason) => …,   // peer's close; our echo is already written: end the
 *                                       // socket (after a grace period, §7.1.1)
 *       onProtocolError: (error) => …,  // close frame with error.closeCode already written;
 *                                       // end the socket, report close code error.closeCode
 *       onReadPaused: (paused) => paused ? socket.pause() : socket.resume(),   // optional
 *     },
 *     { maxPayload, maxFragments, codec },   // codec: from the negotiated permessage-deflate
 *   );
 *   socket.on('data', (chunk) => engine.receive(chunk));   // any chunking; a Buffer is fine
 *   socket.on('close', () => engine.terminate());          // releases the codec
 *
 * Sending: `sendText(string)` / `sendBinary(bytes)` return the message's payload size in bytes
 * (UTF-8 bytes for text): what WHATWG `bufferedAmount` grows by. Uncompressed messages reach
 * `write()` before the call returns; compressed ones (and anything sent after them) once
 * compression finishes, in send order. So
 *   bufferedAmount = engine.bufferedBytes (accepted, not yet written)
 *                  + bytes handed to write() and not yet flushed by the socket
 * (e.g. socket.writableLength, which counts frame headers too; or count `write()` chunk sizes
 * and subtract in the write callbacks for an exact figure).
 * `write()` is called once per message with all its frames (one per fragment), synchronously
 * from the send call or from the compression's completion; a binding may cork around it.
 *
 * Closing: `close(code?, reason?)` starts the closing handshake (§7.1.2): state becomes
 * 'closing', the close frame is written (after any data still being compressed), further sends
 * are dropped (they return 0), and incoming messages are still delivered until the server's
 * close arrives, which calls `onClose` and makes the state 'closed'. A close code/reason that
 * may not be sent throws the DOMException WHATWG `close()` names. When the server closes first,
 * the engine echoes its status code (§5.5.1) and calls `onClose`; the state is then 'closed'.
 */

/** Options of one engine: the limits plus what the opening handshake negotiated. */
export interface ProtocolEngineOptions extends ProtocolLimits {
  /**
   * The per-message codec of a negotiated extension (permessage-deflate, RFC 7692). With it,
   * RSV1 marks compressed messages both ways; without it RSV1 fails the connection (§5.2).
   * @default undefined (no extension)
   */
  codec?: MessageCodec;
  /**
   * Where masking keys come from (§5.3 requires a strong source of entropy). Only tests should
   * set it. @default crypto.getRandomValues
   */
  randomFill?: RandomFill;
  /**
   * Memory for a payload that arrived in several chunks (copied into it whole, every byte
   * written), and for an outgoing frame too large for the shared slab (every byte written too).
   * A runtime with uninitialised allocation passes it to skip zero-filling (Node:
   * `Buffer.allocUnsafe`). Pass one function for every engine (not a closure per engine): engines
   * with the same one share a frame writer. @default `new Uint8Array(length)`
   */
  allocate?: (length: number) => Uint8Array;
}

/** Per-message send options. */
export interface SendOptions {
  /**
   * Whether to compress this message when a codec is negotiated and the message reaches its
   * threshold. @default true
   */
  compress?: boolean;
  /**
   * Split the message into frames of at most this many payload bytes (§5.4); for a compressed
   * message, of compressed bytes. @default Infinity (one frame)
   */
  fragmentBytes?: number;
}

/** A message waiting for compression, or behind one (data frames never reorder). */
interface PendingMessage {
  readonly opcode: number;
  /** The payload: the caller's bytes (copied), then the compressed bytes once ready. */
  payload: Uint8Array;
  /** Bytes counted in `bufferedBytes`. */
  readonly size: number;
  /** Whether the payload still has to be compressed. */
  compress: boolean;
  rsv1: boolean;
  readonly fragmentBytes: number;
}

const EMPTY = /* @__PURE__ */ new Uint8Array(0);
const TEXT_SCRATCH_BYTES = 65_536; // 64 KiB

// Shared by every engine in the process, allocated on first use: a text message is encoded into
// the scratch and masked out of it within one synchronous call, so no engine needs its own (64 KiB
// each was paid by every connection that ever sent text).
let textScratch: Uint8Array | undefined;
let sharedEncoder: TextEncoder | undefined;
function encoder(): TextEncoder {
  sharedEncoder ??= new TextEncoder();
  return sharedEncoder;
}

// A writer keeps no state of its own (its keys and slab are process-wide), so every engine that
// masks with the platform CSPRNG and allocates alike shares one.
let sharedWriters: Map<((length: number) => Uint8Array) | undefined, FrameWriter> | undefined;
function sharedWriter(allocate: ((length: number) => Uint8Array) | undefined): FrameWriter {
  sharedWriters ??= new Map();
  let writer = sharedWriters.get(allocate);
  if (writer === undefined) {
    writer = new FrameWriter({ allocate });
    sharedWriters.set(allocate, writer);
  }
  return writer;
}

/** The engine's private callbacks, for `EngineSink` (made by the first engine, not at import). */
interface SinkCalls {
  onText(engine: ProtocolEngine, text: string): void;
  onBinary(engine: ProtocolEngine, data: Uint8Array): void;
  onInvalidUtf8(engine: ProtocolEngine): void;
  onFrame(engine: ProtocolEngine, fin: boolean, rsv1: boolean, opcode: number, payload: Uint8Array): void;
  onViolation(engine: ProtocolEngine, error: ProtocolError): void;
}
let sinkCalls: SinkCalls | undefined;

/**
 * Where the parser and the assembler report to: one object per engine whose methods live on the
 * prototype, where closures would cost each connection five functions.
 */
class EngineSink implements FrameSink, AssembledMessageSink {
  readonly #engine: ProtocolEngine;
  constructor(engine: ProtocolEngine) {
    this.#engine = engine;
  }
  onText(text: string): void {
    sinkCalls!.onText(this.#engine, text);
  }
  onBinary(data: Uint8Array): void {
    sinkCalls!.onBinary(this.#engine, data);
  }
  onInvalidUtf8(): void {
    sinkCalls!.onInvalidUtf8(this.#engine);
  }
  onFrame(fin: boolean, rsv1: boolean, opcode: number, payload: Uint8Array): void {
    sinkCalls!.onFrame(this.#engine, fin, rsv1, opcode, payload);
  }
  onViolation(error: ProtocolError): void {
    sinkCalls!.onViolation(this.#engine, error);
  }
}

export class ProtocolEngine {
  // A private static method, called by the first constructor, rather than a static block: a
  // class with a static block cannot be dropped by a bundler when unused.
  static #sinkCalls(): SinkCalls {
    return {
      onText: (engine, text) => engine.#handler.onText(text),
      onBinary: (engine, data) => engine.#handler.onBinary(data),
      // §8.1: text must be valid UTF-8; checked fragment by fragment, so a bad byte fails now.
      onInvalidUtf8: (engine) =>
        engine.#failConnection(
          new ProtocolError('invalid-utf8', 'A text message is not valid UTF-8', {
            closeCode: CloseCode.InvalidPayload,
          }),
        ),
      onFrame: (engine, fin, rsv1, opcode, payload) => engine.#onFrame(fin, rsv1, opcode, payload),
      onViolation: (engine, error) => engine.#failConnection(error),
    };
  }

  readonly #handler: ProtocolHandler;
  readonly #codec: MessageCodec | undefined;
  readonly #writer: FrameWriter;
  readonly #parser: FrameParser;
  readonly #maxPayload: number;
  readonly #maxPausedInputBytes: number;
  readonly #sink: EngineSink;
  /** Made for the first data frame: an engine that has received no message holds none. */
  #assembler: MessageAssembler | undefined;

  #state: EngineState = 'open';
  /** Our close frame is queued or written. */
  #closeSent = false;
  /** Our close frame is on its way to the socket: no frame may follow it (§5.5.1). */
  #closeWritten = false;
  #closePayload: Uint8Array | undefined;

  // The incoming data message being assembled.
  #messageCompressed = false;
  #inflatedBytes = 0;
  #readPaused = false;

  // Outgoing messages waiting for a compression (§5.4: data frames are never reordered); absent,
  // rather than empty, while none waits.
  #queue: Fifo<PendingMessage> | undefined;
  #queuedBytes = 0;
  #compressing = false;
  #codecDisposed = false;

  constructor(handler: ProtocolHandler, options: ProtocolEngineOptions = {}) {
    this.#handler = handler;
    this.#codec = options.codec;
    this.#maxPayload = options.maxPayload ?? DEFAULT_PROTOCOL_LIMITS.maxPayload;
    this.#maxPausedInputBytes = options.maxPausedInputBytes ?? DEFAULT_PROTOCOL_LIMITS.maxPausedInputBytes;
    this.#writer =
      options.randomFill === undefined
        ? sharedWriter(options.allocate)
        : new FrameWriter({ randomFill: options.randomFill, allocate: options.allocate });
    sinkCalls ??= ProtocolEngine.#sinkCalls();
    this.#sink = new EngineSink(this);
    this.#parser = new FrameParser(this.#sink, {
      maxPayload: this.#maxPayload,
      maxFragments: options.maxFragments ?? DEFAULT_PROTOCOL_LIMITS.maxFragments,
      allowRsv1: this.#codec !== undefined,
      allocate: options.allocate,
    });
  }

  /** Where the closing handshake stands. */
  get state(): EngineState {
    return this.#state;
  }

  /** Payload bytes of messages accepted by `send…()` but not yet handed to `write()`. */
  get bufferedBytes(): number {
    return this.#queuedBytes;
  }

  /** Whether we have sent (or queued) our close frame. */
  get closeSent(): boolean {
    return this.#closeSent;
  }

  // ── Receiving ───────────────────────────────────────────────────────────────────────────────

  /**
   * Zero-copy input (see `FrameParser.inputTarget`): while a large payload is arriving, the memory
   * the next bytes read from the connection may be written into directly; report them with
   * `commitInput()`. `undefined` when input must go through `receive()`.
   */
  inputTarget(): Uint8Array | undefined {
    return this.#state === 'closed' ? undefined : this.#parser.inputTarget();
  }

  /** Bytes read from the connection into `inputTarget()`'s view: the filled start of that view. */
  commitInput(bytes: Uint8Array): void {
    if (this.#state === 'closed') return;
    this.#parser.commit(bytes);
    this.#checkPausedInput();
  }

  /** Feeds bytes read from the connection, in order, in chunks of any size. */
  receive(chunk: Uint8Array): void {
    if (this.#state === 'closed') return;
    this.#parser.push(chunk);
    this.#checkPausedInput();
  }

  /** Input held while a message inflates is bounded (§10.4: limits on what a peer makes us hold). */
  #checkPausedInput(): void {
    if (this.#parser.paused && this.#parser.bufferedBytes > this.#maxPausedInputBytes) {
      this.#failConnection(
        new ProtocolError(
          'buffer-limit',
          `More than maxPausedInputBytes (${this.#maxPausedInputBytes}) arrived during a decompression`,
          { closeCode: CloseCode.MessageTooBig },
        ),
      );
    }
  }

  #onFrame(fin: boolean, rsv1: boolean, opcode: number, payload: Uint8Array): void {
    if (opcode >= Opcode.Close) {
      this.#onControlFrame(opcode, payload);
      return;
    }
    this.#assembler ??= new MessageAssembler(this.#sink);
    if (opcode !== Opcode.Continuation) {
      this.#assembler.start(opcode);
      this.#messageCompressed = rsv1;
    }
    if (this.#messageCompressed) this.#inflate(payload, fin);
    else this.#assembler.append(payload, fin);
  }

  /**
   * One frame of a compressed message (RFC 7692 §6.2). Parsing pauses until it is inflated, so
   * messages — and the control frames between them, which wait in the buffer too — keep their
   * order.
   */
  #inflate(payload: Uint8Array, fin: boolean): void {
    const codec = this.#codec!;
    this.#parser.pause();
    if (!this.#readPaused) {
      this.#readPaused = true;
      this.#handler.onReadPaused?.(true);
    }
    codec.decompress(payload, fin, this.#maxPayload - this.#inflatedBytes).then(
      (data) => {
        if (this.#parser.stopped) return;
        this.#inflatedBytes += data.length;
        // §10.4 and RFC 7692 §8.1: maxPayload bounds the inflated message. The codec stops at
        // the limit itself; this catches one that does not.
        if (this.#inflatedBytes > this.#maxPayload) {
          this.#failConnection(tooBig(this.#maxPayload));
          return;
        }
        if (fin) this.#inflatedBytes = 0;
        try {
          this.#assembler?.append(data, fin);
        } finally {
          if (!this.#parser.stopped) {
            this.#parser.resume();
            if (!this.#parser.paused && this.#readPaused) {
              this.#readPaused = false;
              this.#handler.onReadPaused?.(false);
            }
          }
        }
      },
      (cause: unknown) => {
        if (this.#parser.stopped) return;
        this.#failConnection(
          cause instanceof ProtocolError
            ? cause
            : new ProtocolError('inflate-failed', 'A compressed message could not be inflated', {
                closeCode: CloseCode.InvalidPayload,
                cause,
              }),
        );
      },
    );
  }

  #onControlFrame(opcode: number, payload: Uint8Array): void {
    if (opcode === Opcode.Ping) {
      // §5.5.2: "Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in response"
      // with "identical Application data" (§5.5.3) — unless it already sent a Close frame.
      if (!this.#closeWritten) this.#handler.write([this.#writer.frame(Opcode.Pong, payload, true)]);
      this.#handler.onPing(payload);
      return;
    }
    if (opcode === Opcode.Pong) {
      // §5.5.3: an unsolicited pong is allowed; it needs no response.
      this.#handler.onPong(payload);
      return;
    }
    this.#onCloseFrame(payload);
  }

  /** §5.5.1, §7.1.5: the peer's close frame. */
  #onCloseFrame(payload: Uint8Array): void {
    const close = parseClosePayload(payload);
    if (close instanceof ProtocolError) {
      this.#failConnection(close);
      return;
    }
    // §1.4: "after receiving a control frame indicating the connection should be closed, a peer
    // discards any further data received."
    this.#parser.stop();
    this.#resetMessage();
    if (!this.#closeWritten) {
      // §5.5.1: "it MUST send a Close frame in response … typically echoing the status code it
      // received." A close we had queued behind a compression goes out now, in its place; so
      // does nothing else still waiting.
      const echo =
        this.#closePayload ?? encodeClosePayload(close.code === CloseCode.NoStatusReceived ? undefined : close.code);
      this.#dropQueue();
      this.#writeClose(echo);
    }
    this.#closeSent = true;
    this.#becomeClosed();
    this.#handler.onClose(close.code, close.reason);
  }

  // ── Sending ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Sends a text message. Returns its size in UTF-8 bytes, or 0 if the engine is no longer open
   * (after `close()`, the peer's close or a failure the message is dropped, as WHATWG `send()`
   * does).
   */
  sendText(text: string, options?: SendOptions): number {
    if (this.#state !== 'open') return 0;
    if (this.#queue === undefined && text.length * 3 <= TEXT_SCRATCH_BYTES) {
      // Encode into scratch memory and frame from there: one allocation per message.
      textScratch ??= new Uint8Array(TEXT_SCRATCH_BYTES);
      const scratch = textScratch;
      const { written } = encoder().encodeInto(text, scratch);
      if (this.#canSendNow(written, options)) {
        this.#writeMessage(Opcode.Text, scratch.subarray(0, written), false, options?.fragmentBytes);
        return written;
      }
      return this.#sendMessage(Opcode.Text, scratch.slice(0, written), false, options);
    }
    return this.#sendMessage(Opcode.Text, encoder().encode(text), false, options);
  }

  /**
   * Sends a binary message. Returns its size in bytes, or 0 if the engine is no longer open.
   * `data` is never modified; it is copied if the message has to wait.
   */
  sendBinary(data: Uint8Array, options?: SendOptions): number {
    if (this.#state !== 'open') return 0;
    return this.#sendMessage(Opcode.Binary, data, true, options);
  }

  /**
   * Sends a ping (§5.5.2) with at most 125 bytes of payload. Control frames go out at once, ahead
   * of messages still being compressed. Ignored once our close frame is written.
   * @throws {RangeError} for a payload over 125 bytes.
   */
  ping(payload: Uint8Array | string = EMPTY): void {
    this.#sendControl(Opcode.Ping, payload);
  }

  /** Sends an unsolicited pong (§5.5.3: a unidirectional heartbeat). Like `ping()` otherwise. */
  pong(payload: Uint8Array | string = EMPTY): void {
    this.#sendControl(Opcode.Pong, payload);
  }

  /**
   * Starts the closing handshake (§7.1.2): sends a close frame — after any message still being
   * compressed — and moves to 'closing'. Ignored unless the state is 'open'.
   * @param code Any code allowed on the wire (§7.4); omitted, the frame has no body (the peer
   *   sees 1005). The WHATWG rule (1000 or 3000–4999 from applications) is the binding's.
   * @throws {DOMException} `InvalidAccessError` for a code that may not be sent or a reason
   *   without a code; `SyntaxError` for a reason over 123 UTF-8 bytes.
   */
  close(code?: number, reason?: string): void {
    const payload = encodeClosePayload(code, reason);
    if (this.#state !== 'open') return;
    this.#state = 'closing';
    this.#closeSent = true;
    if (this.#queue === undefined) this.#writeClose(payload);
    else this.#closePayload = payload;
  }

  /**
   * The connection is gone (the socket closed, with or without a closing handshake): stop,
   * drop whatever waits, release the codec. No further output.
   */
  terminate(): void {
    this.#parser.stop();
    this.#dropQueue();
    this.#closeWritten = true;
    this.#becomeClosed();
  }

  #canSendNow(size: number, options: SendOptions | undefined): boolean {
    return (
      this.#queue === undefined &&
      (this.#codec === undefined || options?.compress === false || size < this.#codec.thresholdBytes)
    );
  }

  #sendMessage(opcode: number, data: Uint8Array, mayBeBorrowed: boolean, options: SendOptions | undefined): number {
    const size = data.length;
    if (this.#canSendNow(size, options)) {
      this.#writeMessage(opcode, data, false, options?.fragmentBytes);
      return size;
    }
    const compress = this.#codec !== undefined && options?.compress !== false && size >= this.#codec.thresholdBytes;
    this.#queue ??= new Fifo();
    this.#queue.push({
      opcode,
      // The caller may reuse its buffer once we return; the message waits, so it gets a copy.
      // (Not `data.slice()`: on a Node Buffer that is a view.)
      payload: mayBeBorrowed ? new Uint8Array(data) : data,
      size,
      compress,
      rsv1: false,
      fragmentBytes: options?.fragmentBytes ?? Number.POSITIVE_INFINITY,
    });
    this.#queuedBytes += size;
    this.#flushQueue();
    return size;
  }

  /** Writes what can be written from the head of the queue; starts the next compression. */
  #flushQueue(): void {
    while (this.#queue !== undefined) {
      const head = this.#queue.peek()!;
      if (head.compress) {
        if (!this.#compressing) this.#compress(head);
        return;
      }
      this.#queue.shift();
      if (this.#queue.length === 0) this.#queue = undefined;
      this.#queuedBytes -= head.size;
      this.#writeMessage(head.opcode, head.payload, head.rsv1, head.fragmentBytes);
    }
    if (this.#closePayload !== undefined && !this.#closeWritten) {
      const payload = this.#closePayload;
      this.#closePayload = undefined;
      this.#writeClose(payload);
    }
  }

  /** RFC 7692 §7.2.1: compress, then frame with RSV1 set on the first frame (§6). */
  #compress(message: PendingMessage): void {
    this.#compressing = true;
    this.#codec!.compress(message.payload, true).then(
      (compressed) => {
        this.#compressing = false;
        if (this.#queue?.peek() !== message) return; // Dropped by a close or a failure meanwhile.
        message.payload = compressed;
        message.compress = false;
        message.rsv1 = true;
        this.#flushQueue();
      },
      (cause: unknown) => {
        this.#compressing = false;
        if (this.#queue?.peek() !== message) return;
        this.#failConnection(
          new ProtocolError('deflate-failed', 'A message could not be compressed', {
            closeCode: CloseCode.InternalError,
            cause,
          }),
        );
      },
    );
  }

  #writeMessage(opcode: number, payload: Uint8Array, rsv1: boolean, fragmentBytes: number | undefined): void {
    if (fragmentBytes === undefined || fragmentBytes === Number.POSITIVE_INFINITY || payload.length <= fragmentBytes) {
      this.#handler.write([this.#writer.frame(opcode, payload, true, rsv1)]);
    } else {
      this.#handler.write(this.#writer.fragments(opcode, payload, fragmentBytes, rsv1));
    }
  }

  #sendControl(opcode: number, payload: Uint8Array | string): void {
    const bytes = typeof payload === 'string' ? encoder().encode(payload) : payload;
    // §5.5: control frames carry at most 125 bytes.
    if (bytes.length > MAX_CONTROL_PAYLOAD_BYTES) {
      throw new RangeError(`A control frame's payload may not exceed 125 bytes, got ${bytes.length}`);
    }
    if (this.#closeWritten || this.#state === 'closed') return;
    this.#handler.write([this.#writer.frame(opcode, bytes, true)]);
  }

  #writeClose(payload: Uint8Array): void {
    this.#closeWritten = true;
    this.#handler.write([this.#writer.frame(Opcode.Close, payload, true)]);
  }

  // ── Closing and failing ─────────────────────────────────────────────────────────────────────

  /**
   * §7.1.7 "Fail the WebSocket Connection": send a close frame with the error's status code
   * (unless ours is already out), stop reading, report once.
   */
  #failConnection(error: ProtocolError): void {
    if (this.#state === 'closed') return;
    this.#parser.stop();
    this.#resetMessage();
    this.#dropQueue();
    if (!this.#closeWritten) this.#writeClose(encodeClosePayload(error.closeCode));
    this.#closeSent = true;
    this.#handler.onProtocolError(error);
    this.#becomeClosed();
  }

  #becomeClosed(): void {
    this.#state = 'closed';
    this.#closePayload = undefined;
    if (!this.#codecDisposed) {
      this.#codecDisposed = true;
      this.#codec?.dispose();
    }
  }

  #dropQueue(): void {
    this.#queue = undefined;
    this.#queuedBytes = 0;
  }

  #resetMessage(): void {
    this.#assembler?.reset();
    this.#inflatedBytes = 0;
  }
}

function tooBig(maxPayload: number): ProtocolError {
  return new ProtocolError('message-too-big', `A message inflates beyond maxPayload (${maxPayload} bytes)`, {
    closeCode: CloseCode.MessageTooBig,
  });
}
