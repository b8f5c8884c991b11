import { mask } from './mask.js';
import { MaskKeyPool, type RandomFill } from './mask-key-pool.js';
import { Opcode } from './opcode.js';

/**
 * Client frames (RFC 6455 §5.2), masked with a fresh key each (§5.3, §6.1 "the client MUST mask
 * all frames that it sends to the server").
 *
 * Every frame is one buffer — header, key and masked payload — whatever its size, so a binding
 * writes one chunk per frame and a message never costs more than one allocation. Frames up to
 * `SLAB_FRAME_MAX_BYTES` are carved out of a slab shared by every writer in the process (in the
 * manner of Node's `Buffer` pool): no allocation at all for small messages, and no memory held by
 * a connection that is idle (a slab per writer was most of an idle connection's footprint). The
 * slab is allocated on the first small frame, never at import. A frame handed out is never
 * written again, so the binding may keep it as long as it likes, and writers sharing a slab never
 * overlap. The payload inside each frame starts on a 4-byte boundary so masking runs word by word.
 */

const SLAB_BYTES = 65_536; // 64 KiB
const SLAB_FRAME_MAX_BYTES = 8192; // 8 KiB
const TWO_TO_THE_32 = 0x1_0000_0000;

/** The header length (including the 4-byte masking key) of a client frame with `payloadLength`. */
export function clientHeaderLength(payloadLength: number): number {
  // §5.2: 7-bit length, or 126 + 16-bit, or 127 + 64-bit; then the 32-bit masking key.
  return payloadLength < 126 ? 6 : payloadLength < 0x10000 ? 8 : 14;
}

/**
 * The keys of every writer that uses the platform CSPRNG: one pool for the process, as for the
 * slab. Each key is still used once; a pool per writer made every connection draw 4 KiB of
 * randomness (about 16 µs on Node) to send as little as its close frame.
 */
let sharedKeys: MaskKeyPool | undefined;

/** The process-wide slab small frames are carved from; replaced, never reused, when full. */
let slab: Uint8Array | undefined;
let slabOffset = 0;

/** How a `FrameWriter` gets its keys and its memory. */
export interface FrameWriterOptions {
  /** Where masking keys come from; only tests should set it. @default crypto.getRandomValues */
  randomFill?: RandomFill | undefined;
  /**
   * Memory for a frame too large for the shared slab; every byte of it is written, so a runtime
   * may hand out uninitialised memory (Node: `Buffer.allocUnsafe`). @default `new Uint8Array(length)`
   */
  allocate?: ((length: number) => Uint8Array) | undefined;
}

const allocateZeroed = (length: number): Uint8Array => new Uint8Array(length);

export class FrameWriter {
  readonly #keys: MaskKeyPool;
  readonly #allocateLarge: (length: number) => Uint8Array;

  constructor(options: FrameWriterOptions = {}) {
    if (options.randomFill === undefined) {
      sharedKeys ??= new MaskKeyPool();
      this.#keys = sharedKeys;
    } else this.#keys = new MaskKeyPool(options.randomFill);
    this.#allocateLarge = options.allocate ?? allocateZeroed;
  }

  /**
   * One masked frame. `payload` is copied (masked) into the frame and never modified.
   * @param rsv1 The per-message-compressed bit (RFC 7692 §6); only for a message's first frame.
   */
  frame(opcode: number, payload: Uint8Array, fin: boolean, rsv1 = false): Uint8Array {
    const length = payload.length;
    const headerLength = clientHeaderLength(length);
    const frame = this.#allocate(headerLength, length);
    frame[0] = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode;
    if (length < 126) {
      frame[1] = 0x80 | length;
    } else if (length < 0x10000) {
      frame[1] = 0x80 | 126;
      frame[2] = length >>> 8;
      frame[3] = length & 0xff;
    } else {
      // §5.2: the most significant bit of the 64-bit length MUST be 0; lengths here are far below.
      frame[1] = 0x80 | 127;
      const high = Math.floor(length / TWO_TO_THE_32);
      const low = length >>> 0;
      frame[2] = high >>> 24;
      frame[3] = (high >>> 16) & 0xff;
      frame[4] = (high >>> 8) & 0xff;
      frame[5] = high & 0xff;
      frame[6] = low >>> 24;
      frame[7] = (low >>> 16) & 0xff;
      frame[8] = (low >>> 8) & 0xff;
      frame[9] = low & 0xff;
    }
    const keyOffset = this.#keys.next();
    const pool = this.#keys.pool;
    const keyAt = headerLength - 4;
    frame[keyAt] = pool[keyOffset]!;
    frame[keyAt + 1] = pool[keyOffset + 1]!;
    frame[keyAt + 2] = pool[keyOffset + 2]!;
    frame[keyAt + 3] = pool[keyOffset + 3]!;
    if (length > 0) mask(payload, pool, keyOffset, frame, headerLength);
    return frame;
  }

  /**
   * A message split into frames of at most `fragmentBytes` payload each (§5.4): the first frame
   * carries `opcode` (and `rsv1`), the rest are continuations, the last has FIN set.
   */
  fragments(opcode: number, payload: Uint8Array, fragmentBytes: number, rsv1 = false): Uint8Array[] {
    if (!(fragmentBytes >= 1) || !Number.isInteger(fragmentBytes)) {
      throw new RangeError(`fragmentBytes must be a positive integer, got ${fragmentBytes}`);
    }
    if (payload.length <= fragmentBytes) return [this.frame(opcode, payload, true, rsv1)];
    const frames: Uint8Array[] = [];
    for (let offset = 0; offset < payload.length; offset += fragmentBytes) {
      const end = Math.min(offset + fragmentBytes, payload.length);
      frames.push(
        this.frame(
          offset === 0 ? opcode : Opcode.Continuation,
          payload.subarray(offset, end),
          end === payload.length,
          offset === 0 && rsv1,
        ),
      );
    }
    return frames;
  }

  /** A frame's worth of memory whose payload (after `headerLength` bytes) is 4-byte aligned. */
  #allocate(headerLength: number, payloadLength: number): Uint8Array {
    const size = headerLength + payloadLength;
    if (size > SLAB_FRAME_MAX_BYTES) {
      // Three spare bytes: wherever the allocator's memory starts, the payload can be aligned.
      const memory = this.#allocateLarge(size + 3);
      const shift = (4 - ((memory.byteOffset + headerLength) & 3)) & 3;
      return memory.subarray(shift, shift + size);
    }
    const pad = (4 - (headerLength & 3)) & 3;
    if (slab === undefined || slabOffset + pad + size > SLAB_BYTES) {
      slab = new Uint8Array(SLAB_BYTES);
      slabOffset = 0;
    }
    const start = slabOffset + pad;
    slabOffset = (start + size + 3) & ~3;
    return slab.subarray(start, start + size);
  }
}
