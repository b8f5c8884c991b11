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
 * One zlib stream and the job it is doing: its listeners are attached once, when the stream is
 * made, and hand its output to the job in progress (a listener added and removed per message
 * cost a stream `resume()` each time). A stream runs one job at a time: the codec's callers
 * never overlap two compressions, or two decompressions, of one connection.
 */
class ZlibJob {
  readonly stream: DeflateRaw | InflateRaw;
  #chunks: Buffer[] = [];
  #length = 0;
  /** Output beyond this fails the job (a decompression bomb); `Infinity` for compression. */
  #maxOutputBytes = Number.POSITIVE_INFINITY;
  #resolve: ((output: Buffer) => void) | undefined;
  #reject: ((error: Error) => void) | undefined;
  /** Called when the stream is no longer usable (failed, or its output exceeded the cap). */
  readonly #onBroken: () => void;

  constructor(stream: DeflateRaw | InflateRaw, onBroken: () => void) {
    this.stream = stream;
    this.#onBroken = onBroken;
    stream.on('data', (chunk: Buffer) => this.#onData(chunk));
    stream.on('error', (error: Error) => this.#fail(error));
  }

  /**
   * Writes `data` (then `trailer`, if any), sync-flushes, and resolves with all the output.
   * `afterFlush` runs before the promise resolves (to reset the stream between messages).
   */
  run(
    data: Uint8Array,
    trailer: Uint8Array | undefined,
    maxOutputBytes: number,
    afterFlush: () => void,
  ): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
      this.#maxOutputBytes = maxOutputBytes;
      const stream = this.stream;
      stream.write(data);
      if (trailer !== undefined) stream.write(trailer);
      stream.flush(constants.Z_SYNC_FLUSH, () => {
        const done = this.#resolve;
        if (done === undefined) return; // failed or aborted meanwhile
        const output = joinChunks(this.#chunks, this.#length);
        this.#settle();
        afterFlush();
        done(output);
      });
    });
  }

  /** Rejects the job in progress, if any, with `error` (the stream stays usable). */
  abort(error: Error): void {
    const reject = this.#reject;
    this.#settle();
    reject?.(error);
  }

  #onData(chunk: Buffer): void {
    if (this.#resolve === undefined) return;
    this.#length += chunk.length;
    if (this.#length > this.#maxOutputBytes) {
      // §10.4 / RFC 7692 §8.1: stop inflating now; the context is useless after this.
      this.#fail(
        new ProtocolError(
          'message-too-big',
          `A compressed message inflates beyond ${this.#maxOutputBytes} more bytes`,
          {
            closeCode: CloseCode.MessageTooBig,
          },
        ),
      );
      return;
    }
    this.#chunks.push(chunk);
  }

  #fail(error: Error): void {
    this.#onBroken();
    this.stream.destroy();
    this.abort(error);
  }

  #settle(): void {
    this.#resolve = undefined;
    this.#reject = undefined;
    this.#chunks = [];
    this.#length = 0;
  }
}

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
  #deflate: ZlibJob | undefined;
  #inflate: ZlibJob | undefined;
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
    for (const job of [this.#deflate, this.#inflate]) {
      job?.abort(error);
      job?.stream.close();
    }
    this.#deflate = undefined;
    this.#inflate = undefined;
  }

  /** The compressor, made on first use; forgotten when it breaks, so the next message makes another. */
  #deflateJob(): ZlibJob {
    if (this.#deflate !== undefined) return this.#deflate;
    const { level, clientMaxWindowBits } = this.#config;
    const job = new ZlibJob(createDeflateRaw({ level, windowBits: clientMaxWindowBits }), () => {
      if (this.#deflate === job) this.#deflate = undefined;
    });
    this.#deflate = job;
    return job;
  }

  /** The decompressor, made on first use; forgotten when it breaks. */
  #inflateJob(): ZlibJob {
    if (this.#inflate !== undefined) return this.#inflate;
    // A larger window than the peer's is always safe; 9 covers zlib peers that turned a
    // negotiated 8 into 9.
    const job = new ZlibJob(createInflateRaw({ windowBits: Math.max(9, this.#config.serverMaxWindowBits) }), () => {
      if (this.#inflate === job) this.#inflate = undefined;
    });
    this.#inflate = job;
    return job;
  }

  async #compressNow(data: Uint8Array, fin: boolean): Promise<Uint8Array> {
    if (this.#disposed) throw new Error('The permessage-deflate codec was disposed');
    const config = this.#config;
    const job = this.#deflateJob();
    const output = await job.run(data, undefined, Number.POSITIVE_INFINITY, () => {
      // RFC 7692 §7.1.1.2: without context takeover, every message starts a fresh window.
      if (fin && config.clientNoContextTakeover) job.stream.reset();
    });
    return fin ? stripDeflateTrailer(output) : output;
  }

  #decompressNow(data: Uint8Array, fin: boolean, maxOutputBytes: number): Promise<Uint8Array> {
    if (this.#disposed) return Promise.reject(new Error('The permessage-deflate codec was disposed'));
    const config = this.#config;
    const job = this.#inflateJob();
    // RFC 7692 §7.2.2: append 00 00 FF FF to the message's payload before inflating its end.
    return job.run(data, fin ? DEFLATE_TRAILER : undefined, maxOutputBytes, () => {
      // RFC 7692 §7.1.1.1: the server starts every message afresh, so may we.
      if (fin && config.serverNoContextTakeover) job.stream.reset();
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
