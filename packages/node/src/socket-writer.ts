import type { Socket } from 'node:net';

/** The close and pong opcodes (RFC 6455 §5.5.1, §5.5.3). */
const CLOSE = 0x8;
const PONG = 0xa;

/** Frames up to this size are copied together into one buffer; larger ones are written as they are. */
const COPY_LIMIT = 16 * 1024;

/**
 * The batch as few buffers as possible without copying large frames: each run of small frames
 * becomes one buffer (one copy is far cheaper than a stream write per frame), each large frame
 * stays itself.
 */
function coalesce(chunks: readonly Uint8Array[], bytes: number): Uint8Array[] {
  if (chunks.length === 1) return [chunks[0] as Uint8Array];
  if (bytes <= COPY_LIMIT) return [Buffer.concat(chunks as Uint8Array[], bytes)];
  const pieces: Uint8Array[] = [];
  let run: Uint8Array[] = [];
  let runBytes = 0;
  const endRun = () => {
    if (run.length === 1) pieces.push(run[0] as Uint8Array);
    else if (run.length > 1) pieces.push(Buffer.concat(run, runBytes));
    run = [];
    runBytes = 0;
  };
  for (const chunk of chunks) {
    if (chunk.byteLength > COPY_LIMIT) {
      endRun();
      pieces.push(chunk);
    } else {
      run.push(chunk);
      runBytes += chunk.byteLength;
    }
  }
  endRun();
  return pieces;
}

/**
 * The outbound half of the socket binding. It gathers the frames produced in one tick and hands
 * them to the kernel in one write (small ones copied into one buffer, large ones corked into one
 * `writev`), waits for `drain` when the socket's buffer is full, and keeps `bufferedAmount` exact:
 * the bytes of application data given to `send()` and not yet accepted by the kernel (WHATWG
 * WebSockets, `bufferedAmount`).
 */
export class SocketWriter {
  /** WHATWG `bufferedAmount`: reserved by `send()`, released when the kernel took the frame. */
  bufferedAmount = 0;

  private socket: Socket | undefined;
  /** Frames waiting for the next flush; made when the first arrives (an idle writer holds none). */
  private chunks: Uint8Array[] | undefined;
  private bytes = 0;
  /** Data messages whose frames are among the queued chunks; released with them. */
  private messages = 0;
  /** Payload sizes of accepted messages not yet released, in send order; dropped when all are. */
  private messageSizes: number[] | undefined;
  private messageSizesHead = 0;
  private scheduled = false;
  private waitingForDrain = false;
  private ending = false;
  private destroyAfterEnd = false;
  /** Our FIN is sent: nothing more may be written. */
  private ended = false;
  /** Everything queued, our close frame included, went to the socket before our FIN. */
  get finished(): boolean {
    return this.ended;
  }

  /** Where in `chunks` the pong queued while waiting for 'drain' is; -1 when there is none. */
  private queuedPong = -1;

  /** Our close frame is among the queued chunks: the write that takes them reports it. */
  private closeFrameQueued = false;
  /** Our close frame has been written to the kernel (the write callback of its chunk ran). */
  closeFrameWritten = false;
  /**
   * Called once when `closeFrameWritten` becomes true: the closing handshake's wait for the
   * server's answer starts then (RFC 6455 §7.1.1), not while the frame waits behind data.
   */
  onCloseFrameWritten: (() => void) | undefined;

  /** The scheduled flush: a static function given the writer, where a bound closure would cost each writer one. */
  private static flushScheduled(writer: SocketWriter): void {
    writer.scheduled = false;
    writer.flush();
  }

  attach(socket: Socket): void {
    this.socket = socket;
    if (this.chunks !== undefined) this.schedule();
  }

  /** Counts `byteLength` bytes given to `send()` into `bufferedAmount`. */
  reserve(byteLength: number): void {
    this.bufferedAmount += byteLength;
  }

  /**
   * The engine accepted a data message of `byteLength` payload bytes (its `send…()` return
   * value). Its frames reach `enqueue` in send order — at once, or after a compression — and
   * the bytes leave `bufferedAmount` when the kernel has taken them.
   */
  messageAccepted(byteLength: number): void {
    if (this.messageSizes === undefined) this.messageSizes = [byteLength];
    else this.messageSizes.push(byteLength);
  }

  /**
   * The engine's `ProtocolHandler.write`: one call per message (all its frames) or control
   * frame. A data message starts with a frame whose opcode has bit 3 clear (RFC 6455 §5.2:
   * 0x1 text, 0x2 binary; control opcodes are 0x8–0xF).
   */
  enqueue(chunks: readonly Uint8Array[]): void {
    if (this.ended) return;
    const first = chunks[0];
    if (first !== undefined && first.byteLength > 0) {
      const opcode = (first[0] as number) & 0x0f;
      if ((opcode & 0x08) === 0) this.messages++;
      else if (opcode === CLOSE) this.closeFrameQueued = true;
      else if (opcode === PONG && this.waitingForDrain && chunks.length === 1) {
        // A server that pings without reading our pongs would make us hold a pong per ping, without
        // end. RFC 6455 §5.5.3 lets us answer only the most recent ping: while the socket is full,
        // one pong waits, the newest.
        if (this.queuedPong !== -1 && this.chunks !== undefined) {
          this.bytes += first.byteLength - (this.chunks[this.queuedPong] as Uint8Array).byteLength;
          this.chunks[this.queuedPong] = first;
          return;
        }
        this.queuedPong = this.chunks?.length ?? 0;
      }
    }
    for (const chunk of chunks) {
      if (chunk.byteLength === 0) continue;
      if (this.chunks === undefined) this.chunks = [chunk];
      else this.chunks.push(chunk);
      this.bytes += chunk.byteLength;
    }
    this.schedule();
  }

  /** Takes the sizes of the next `count` messages off the queue. */
  private release(count: number): void {
    const sizes = this.messageSizes;
    if (sizes === undefined) return;
    let bytes = 0;
    for (let i = 0; i < count; i++) bytes += sizes[this.messageSizesHead + i] ?? 0;
    this.messageSizesHead += count;
    if (this.messageSizesHead >= sizes.length) {
      this.messageSizes = undefined;
      this.messageSizesHead = 0;
    } else if (this.messageSizesHead > 1024 && this.messageSizesHead * 2 > sizes.length) {
      sizes.splice(0, this.messageSizesHead);
      this.messageSizesHead = 0;
    }
    this.bufferedAmount -= bytes;
  }

  /**
   * Half-closes the socket (our FIN) once everything queued is written; with `destroy`, closes
   * it fully once the FIN is out instead of waiting for the peer's.
   */
  endAfterFlush(destroy = false): void {
    if (this.ended) return;
    this.ending = true;
    this.destroyAfterEnd ||= destroy;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.socket === undefined) return;
    this.scheduled = true;
    process.nextTick(SocketWriter.flushScheduled, this);
  }

  /** The callback of the write that holds our close frame, and the `messages` data messages before it. */
  private closeFrameCallback(socket: Socket, messages: number): (error?: Error | null) => void {
    this.closeFrameQueued = false;
    return (error) => {
      if (error || socket.destroyed) return;
      if (messages !== 0) this.release(messages);
      this.closeFrameWritten = true;
      this.onCloseFrameWritten?.();
    };
  }

  private flush(): void {
    const socket = this.socket;
    if (socket === undefined || socket.destroyed || this.waitingForDrain) return;
    const chunks = this.chunks;
    if (chunks !== undefined) {
      const bytes = this.bytes;
      const messages = this.messages;
      this.chunks = undefined;
      this.bytes = 0;
      this.messages = 0;
      this.queuedPong = -1;
      // The callback runs once the kernel has the bytes. An error, or a socket destroyed meanwhile
      // (Node then calls back without an error for a write libuv still held), keeps them counted:
      // WHATWG's bufferedAmount never falls for data that may not have been sent.
      // Only the write that holds our close frame (once per connection) says when it is done:
      // ordinary data frames keep the callback they had.
      const written = this.closeFrameQueued
        ? this.closeFrameCallback(socket, messages)
        : messages === 0
          ? undefined
          : (error?: Error | null) => {
              if (!error && !socket.destroyed) this.release(messages);
            };
      const pieces = coalesce(chunks, bytes);
      let flowing: boolean;
      if (pieces.length === 1) {
        flowing = socket.write(pieces[0] as Uint8Array, written);
      } else {
        socket.cork();
        const last = pieces.length - 1;
        for (let i = 0; i < last; i++) socket.write(pieces[i] as Uint8Array);
        flowing = socket.write(pieces[last] as Uint8Array, written);
        socket.uncork();
      }
      // Backpressure: hold later frames (and the FIN) in our queue until the kernel catches up.
      // 'drain' follows only a write that returned false, so a listener is needed only then.
      if (!flowing) {
        this.waitingForDrain = true;
        socket.once('drain', () => {
          this.waitingForDrain = false;
          this.flush();
        });
        return;
      }
    }
    if (this.ending && this.chunks === undefined) {
      this.ending = false;
      this.ended = true;
      if (this.destroyAfterEnd) socket.end(() => socket.destroy());
      else socket.end();
    }
  }
}
