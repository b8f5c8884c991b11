/**
 * A per-message transform negotiated by an extension (RFC 7692's permessage-deflate is the one in
 * use). The engine stays runtime-free: it sets and checks RSV1, orders messages and enforces the
 * limits; the codec, supplied by a runtime package, only turns bytes into bytes.
 *
 * Contract:
 * - The engine calls `compress` for one message at a time and never calls it again before the
 *   previous promise settled; the same holds for `decompress`. Compression and decompression may
 *   run concurrently with each other.
 * - `compress(data, true)` returns the whole message's compressed payload, ready to frame (for
 *   permessage-deflate: with the trailing `00 00 FF FF` removed, RFC 7692 §7.2.1). The engine
 *   passes `fin = true` only; a streaming codec may accept `false` for a partial message.
 * - `decompress(data, fin, maxOutputBytes)` is fed each frame's payload of a compressed message in
 *   order; at `fin` the codec completes the message (permessage-deflate appends `00 00 FF FF`,
 *   §7.2.2). It must stop as soon as its output would exceed `maxOutputBytes` and reject with a
 *   `ProtocolError('message-too-big', …, { closeCode: 1009 })`, so a decompression bomb never
 *   occupies more than the limit. Any other rejection fails the connection with 1007
 *   (`inflate-failed`).
 * - Context takeover (RFC 7692 §7.1.1) is the codec's business: at the end of each message (`fin`)
 *   it resets its compressor or decompressor when the negotiated parameters say so.
 * - `dispose()` is called once when the engine closes or fails; pending promises may then settle
 *   either way — the engine ignores them.
 */
export interface MessageCodec {
  /**
   * Messages with fewer payload bytes than this are sent uncompressed (RSV1 clear): for small
   * messages the deflate overhead outweighs the gain.
   */
  readonly thresholdBytes: number;
  compress(data: Uint8Array, fin: boolean): Promise<Uint8Array>;
  decompress(data: Uint8Array, fin: boolean, maxOutputBytes: number): Promise<Uint8Array>;
  dispose(): void;
}
