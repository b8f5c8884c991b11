import { constants, createDeflateRaw, createInflateRaw, type DeflateRaw, type InflateRaw } from 'node:zlib';
import {
  CloseCode,
  DEFLATE_TRAILER,
  type MessageCodec,
  type PermessageDeflateConfig,
  ProtocolError,
  stripDeflateTrailer,
} from '@sturdysocket/core';
import { sharedZlibLimiter, type ZlibJobLimiter } from './zlib-job-limiter.js';

/**
 * permessage-deflate (RFC 7692) on `node:zlib`: raw DEFLATE streams, flushed with Z_SYNC_FLUSH
 * at every message end, their context kept or reset between messages as negotiated.
 *
 * - Compress (§7.2.1): write the message, sync-flush, drop the trailing `00 00 FF FF`; reset the
 *   compressor afterwards under `client_no_context_takeover`.
 * - Decompress (§7.2.2): write each frame's payload, append `00 00 FF FF` after the last, flush;
 *   reset the decompressor afterwards under `server_no_context_takeover`. The output is counted
 *   as it is produced and the inflater destroyed the moment it exceeds the cap, so a bomb never
 *   holds more than the cap plus one 16 KiB zlib chunk.
 * - Every job goes through a process-wide `ZlibJobLimiter`.
 */
export class NodeDeflateCodec implements MessageCodec {
  readonly thresholdBytes: number;
  readonly #config: PermessageDeflateConfig;
  readonly #limiter: ZlibJobLimiter;
  #deflate: DeflateRaw | undefined;
  #inflate: InflateRaw | undefined;
  #abortDeflate: ((error: Error) => void) | undefined;
  #abortInflate: ((error: Error) => void) | undefined;
  #disposed = false;

  constructor(config: PermessageDeflateConfig, limiter: ZlibJobLimiter = sharedZlibLimiter()) {
    this.#config = config;
    this.#limiter = limiter;
    // zlib cannot compress with an 8-bit window (it silently uses 9, which a peer that imposed 8
    // may not inflate). RFC 7692 lets us send every message uncompressed instead.
    this.thresholdBytes = config.clientMaxWindowBits === 8 ? Number.POSITIVE_INFINITY : config.thresholdBytes;
  }

  compress(data: Uint8Array, fin: boolean): Promise<Uint8Array> {
    return this.#limiter.run(() => this.#compressNow(data, fin));
  }

  decompress(data: Uint8Array, fin: boolean, maxOutputBytes: number): Promise<Uint8Array> {
    return this.#limiter.run(() => this.#decompressNow(data, fin, maxOutputBytes));
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const error = new Error('The permessage-deflate codec was disposed');
    this.#abortDeflate?.(error);
    this.#abortInflate?.(error);
    this.#deflate?.close();
    this.#inflate?.close();
    this.#deflate = undefined;
    this.#inflate = undefined;
  }

  #compressNow(data: Uint8Array, fin: boolean): Promise<Uint8Array> {
    return new Promise<Uint8Array>((resolve, reject) => {
      if (this.#disposed) {
        reject(new Error('The permessage-deflate codec was disposed'));
        return;
      }
      if (this.#deflate === undefined) {
        this.#deflate = createDeflateRaw({ level: this.#config.level, windowBits: this.#config.clientMaxWindowBits });
      }
      const deflate = this.#deflate;
      const chunks: Buffer[] = [];
      let length = 0;
      const onData = (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
      };
      const settle = () => {
        deflate.off('data', onData);
        deflate.off('error', onError);
        this.#abortDeflate = undefined;
      };
      const onError = (error: Error) => {
        settle();
        if (this.#deflate === deflate) this.#deflate = undefined;
        deflate.destroy();
        reject(error);
      };
      this.#abortDeflate = (error) => {
        settle();
        reject(error);
      };
      deflate.on('data', onData);
      deflate.on('error', onError);
      deflate.write(data);
      deflate.flush(constants.Z_SYNC_FLUSH, () => {
        if (this.#abortDeflate === undefined) return; // aborted meanwhile
        settle();
        let out: Uint8Array = joinChunks(chunks, length);
        if (fin) {
          out = stripDeflateTrailer(out);
          // RFC 7692 §7.1.1.2: without context takeover, every message starts a fresh window.
          if (this.#config.clientNoContextTakeover) deflate.reset();
        }
        resolve(out);
      });
    });
  }

  #decompressNow(data: Uint8Array, fin: boolean, maxOutputBytes: number): Promise<Uint8Array> {
    return new Promise<Uint8Array>((resolve, reject) => {
      if (this.#disposed) {
        reject(new Error('The permessage-deflate codec was disposed'));
        return;
      }
      if (this.#inflate === undefined) {
        // A larger window than the peer's is always safe; 9 covers zlib peers that turned a
        // negotiated 8 into 9.
        this.#inflate = createInflateRaw({ windowBits: Math.max(9, this.#config.serverMaxWindowBits) });
      }
      const inflate = this.#inflate;
      const chunks: Buffer[] = [];
      let length = 0;
      const settle = () => {
        inflate.off('data', onData);
        inflate.off('error', onError);
        this.#abortInflate = undefined;
      };
      const discard = () => {
        if (this.#inflate === inflate) this.#inflate = undefined;
        inflate.destroy();
      };
      const onData = (chunk: Buffer) => {
        length += chunk.length;
        if (length > maxOutputBytes) {
          // §10.4 / RFC 7692 §8.1: stop inflating now; the context is useless after this.
          settle();
          discard();
          chunks.length = 0;
          reject(
            new ProtocolError('message-too-big', `A compressed message inflates beyond ${maxOutputBytes} more bytes`, {
              closeCode: CloseCode.MessageTooBig,
            }),
          );
          return;
        }
        chunks.push(chunk);
      };
      const onError = (error: Error) => {
        settle();
        discard();
        reject(error);
      };
      this.#abortInflate = (error) => {
        settle();
        reject(error);
      };
      inflate.on('data', onData);
      inflate.on('error', onError);
      inflate.write(data);
      // RFC 7692 §7.2.2: append 00 00 FF FF to the message's payload before inflating its end.
      if (fin) inflate.write(DEFLATE_TRAILER);
      inflate.flush(constants.Z_SYNC_FLUSH, () => {
        if (this.#abortInflate === undefined) return; // aborted or failed meanwhile
        settle();
        // RFC 7692 §7.1.1.1: the server starts every message afresh, so may we.
        if (fin && this.#config.serverNoContextTakeover) inflate.reset();
        resolve(joinChunks(chunks, length));
      });
    });
  }
}

/**
 * zlib's output as one buffer: the chunk itself when there is one (the usual case for a message
 * under zlib's 16 KiB chunk size; zlib never writes into output it has handed out), else a copy.
 */
function joinChunks(chunks: Buffer[], length: number): Buffer {
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
}
