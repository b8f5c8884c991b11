import type { OnReadOpts, Socket } from 'node:net';

/** What a socket's input is given to: the handshake's response reader, then the protocol engine. */
export interface InputConsumer {
  /** Bytes read, in memory the consumer may keep. */
  receive(chunk: Uint8Array): void;
  /** Memory the next read may land in directly (zero-copy), when the consumer has some to offer. */
  inputTarget?(): Uint8Array | undefined;
  /** A read that landed in `inputTarget()`'s view: the filled start of that view. */
  commitInput?(bytes: Uint8Array): void;
}

/**
 * Where reads land when the consumer offers no memory of its own. One buffer serves every
 * socket: a read and its callback run back to back on the event loop, and each read is copied
 * out before the next, so an idle connection holds no read buffer at all.
 */
const SCRATCH_BYTES = 64 * 1024;
let scratch: Buffer | undefined;

/**
 * The input whose read callback has just returned (or whose `readOptions()` was just taken):
 * Node asks for the next read's memory right after the callback (and for the first inside
 * `connect()`), with no `this`, so one buffer function serves every socket. Taken by that call;
 * any other call gets the scratch buffer.
 */
let justRead: SocketInput | undefined;

function nextReadBuffer(): Uint8Array {
  const input = justRead;
  justRead = undefined;
  return input === undefined ? scratchBuffer() : input.nextBuffer();
}

function scratchBuffer(): Buffer {
  scratch ??= Buffer.allocUnsafe(SCRATCH_BYTES);
  return scratch;
}

/**
 * The inbound half of the socket binding: it hands what the socket reads to the current
 * consumer, in order.
 *
 * A socket made with `readOptions()` (Node's `onread`; TCP, or TLS made directly over TCP)
 * reads into memory chosen per read: while a large payload arrives, the engine's own buffer for
 * it (see `ProtocolEngine.inputTarget`), so a 1 MiB message is never copied; otherwise the shared
 * scratch buffer, copied out into a chunk of exactly the bytes read. Any other socket (a proxy
 * tunnel, TLS over one, a `createConnection` hook's) is read through its `data` events with
 * `listen()`.
 */
export class SocketInput {
  #consumer: InputConsumer | undefined;
  /** Input that arrived while there was no consumer, delivered to the next one. */
  #pending: Uint8Array[] | undefined;
  /** The consumer's memory the pending read lands in, when it is not the scratch buffer. */
  #target: Uint8Array | undefined;

  /** The consumer of what is read from now on; `undefined` holds input until the next one. */
  setConsumer(consumer: InputConsumer | undefined): void {
    this.#consumer = consumer;
    const pending = this.#pending;
    if (consumer === undefined || pending === undefined) return;
    this.#pending = undefined;
    for (const chunk of pending) consumer.receive(chunk);
  }

  /**
   * `net.connect()`'s `onread` option: this input reads for the socket. The buffer function is
   * shared (see `justRead`); the callback is bound to this input (a bound function is the
   * smallest thing that can tell sockets apart).
   */
  readOptions(): OnReadOpts {
    // Node asks for the first read's memory inside `connect()`, which the caller calls next.
    justRead = this;
    return { buffer: nextReadBuffer, callback: this.#onRead.bind(this) };
  }

  /** Reads `socket` through its `data` events (for a socket made without `readOptions()`). */
  listen(socket: Socket): void {
    socket.on('data', (chunk: Buffer) => this.#deliver(chunk));
  }

  /** Memory for the next read (called by `nextReadBuffer` only). */
  nextBuffer(): Uint8Array {
    const target = this.#consumer?.inputTarget?.();
    this.#target = target;
    return target ?? scratchBuffer();
  }

  // Anything but `false` keeps reading.
  #onRead(length: number, buffer: Uint8Array): true {
    try {
      this.#take(length, buffer);
    } finally {
      justRead = this;
    }
    return true;
  }

  #take(length: number, buffer: Uint8Array): void {
    const target = this.#target;
    this.#target = undefined;
    const consumer = this.#consumer;
    if (buffer === target && consumer?.commitInput !== undefined) {
      consumer.commitInput(target.subarray(0, length));
    } else {
      // A copy: the scratch buffer is overwritten by the next read (and a target whose consumer
      // has gone is no one's to hand on).
      this.#deliver(Buffer.from(buffer.subarray(0, length)));
    }
  }

  #deliver(chunk: Uint8Array): void {
    const consumer = this.#consumer;
    if (consumer !== undefined) consumer.receive(chunk);
    else if (this.#pending === undefined) this.#pending = [chunk];
    else this.#pending.push(chunk);
  }
}
