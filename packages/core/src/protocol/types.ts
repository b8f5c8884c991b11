import type { ProtocolError } from '../errors/protocol-error.js';

// Changes since the first draft of this contract (all additive):
// - `ProtocolHandler.onReadPaused` (optional): parsing pauses while a compressed message is
//   being inflated; a binding may pause its socket meanwhile (backpressure).
// - `ProtocolLimits.maxPausedInputBytes`, and `DEFAULT_PROTOCOL_LIMITS` holding every default.

/**
 * The contract between the sans-I/O protocol engine (RFC 6455 §5–§7) and whatever binds it to
 * a socket. The engine never touches a socket or a timer: bytes go in through
 * `ProtocolEngine.receive()`, events come out through this handler; messages go in through the
 * engine's `send…()` methods, bytes come out through `write()`.
 */
export interface ProtocolHandler {
  /**
   * Bytes to put on the wire, in order. `chunks` may hold a frame header and its payload as
   * separate views so the binding can `writev` them without a copy; the engine never touches
   * a chunk again after handing it over.
   */
  write(chunks: readonly Uint8Array[]): void;
  /** A complete text message, already validated as UTF-8 (§5.6, §8.1). */
  onText(text: string): void;
  /**
   * A complete binary message. The view is the engine's to give away: the handler may keep it
   * (it is not reused), so no copy is needed.
   */
  onBinary(data: Uint8Array): void;
  /** A ping arrived (§5.5.2); the engine has already queued the pong with the same payload. */
  onPing(payload: Uint8Array): void;
  /** A pong arrived (§5.5.3), solicited or not. */
  onPong(payload: Uint8Array): void;
  /**
   * The peer's close frame arrived (§5.5.1, §7.1.5). `code` is 1005 when the frame had no
   * payload. If we had not sent a close frame yet, the engine has queued the echo; the binding
   * should now end the TCP connection once written (§7.1.1: the server closes first, the client
   * waits a bounded time).
   */
  onClose(code: number, reason: string): void;
  /**
   * The peer broke the protocol. The engine has queued a close frame with `error.closeCode`
   * (§7.1.7 "Fail the WebSocket Connection") and ignores all further input; the binding should
   * close the TCP connection after writing it.
   */
  onProtocolError(error: ProtocolError): void;
  /**
   * Optional. `true`: the engine stopped parsing input because a compressed message is being
   * inflated (RFC 7692) and must be delivered before anything after it; input passed to
   * `receive()` meanwhile is buffered (up to `maxPausedInputBytes`). `false`: parsing resumed.
   * A binding that pauses its socket on `true` and resumes it on `false` keeps that buffer small.
   */
  onReadPaused?(paused: boolean): void;
}

/** The limits on what a peer can make the engine hold. Every field has a secure default. */
export interface ProtocolLimits {
  /**
   * Largest message accepted, in bytes, summed over its fragments. Checked from each frame
   * header, before buffering; for a compressed message (RFC 7692) the inflated size is checked
   * too, while inflating, and so is the compressed size. Exceeding it fails the connection with
   * 1009. @default 104857600 (100 MiB)
   */
  maxPayload?: number;
  /** Most frames one fragmented message may span; more fails with 1009. @default 65536 */
  maxFragments?: number;
  /**
   * Most bytes the engine holds unparsed while parsing is paused for a decompression (see
   * `ProtocolHandler.onReadPaused`); more fails the connection with 1009 (`buffer-limit`). Keep
   * it above `maxPayload`: a whole uncompressed frame may be waiting behind the compressed one.
   * @default 134217728 (128 MiB)
   */
  maxPausedInputBytes?: number;
}

/** Every limit's default, in one place. */
export const DEFAULT_PROTOCOL_LIMITS: Readonly<Required<ProtocolLimits>> = /* @__PURE__ */ Object.freeze({
  maxPayload: 104_857_600, // 100 MiB
  maxFragments: 65_536,
  maxPausedInputBytes: 134_217_728, // 128 MiB
});

/** The engine's life, as far as the close handshake goes (RFC 6455 §7). */
export type EngineState =
  /** Frames flow both ways. */
  | 'open'
  /** We sent a close frame and await the peer's (§7.1.2). Data from the peer is still delivered. */
  | 'closing'
  /** Both close frames exchanged, or the connection failed: no more frames in or out. */
  | 'closed';
