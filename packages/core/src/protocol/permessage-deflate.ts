import type { ExtensionOffer, ExtensionParam } from '../extensions.js';

/**
 * permessage-deflate (RFC 7692): the offer a client makes, the strict judgement of the server's
 * answer, and the agreed configuration a runtime codec is built from. Runtime-free: the codec
 * itself (zlib, CompressionStream…) lives in a runtime package and implements `MessageCodec`.
 */

/** The extension token (RFC 7692 §7). */
export const PERMESSAGE_DEFLATE = 'permessage-deflate';

/**
 * The empty uncompressed block a sync flush ends with (RFC 7692 §7.2.1): the sender removes it
 * from each compressed message, the receiver appends it before inflating (§7.2.2).
 */
export const DEFLATE_TRAILER: Uint8Array = /* @__PURE__ */ Uint8Array.of(0x00, 0x00, 0xff, 0xff);

/** What the client offers and how it compresses. */
export interface PermessageDeflateOptions {
  /**
   * Offer `client_no_context_takeover` (§7.1.1.2): we reset our compressor after every message,
   * trading compression ratio for memory that is free between messages. `false` (explicitly) also
   * refuses a server that imposes it; left undefined, a server may still impose it.
   * @default undefined (not offered; accepted if the server asks)
   */
  clientNoContextTakeover?: boolean;
  /**
   * Offer `server_no_context_takeover` (§7.1.1.1): ask the server to reset its compressor after
   * every message, so our decompressor needs no memory between messages.
   * @default false
   */
  serverNoContextTakeover?: boolean;
  /**
   * `client_max_window_bits` (§7.1.2.2): `true` offers the bare parameter (the server may pick
   * our LZ77 window, 8–15); a number also caps it ourselves; `false` leaves it out.
   * @default true
   */
  clientMaxWindowBits?: number | boolean;
  /**
   * `server_max_window_bits` (§7.1.2.1): the largest LZ77 window (8–15, as a power of two) the
   * server may compress with, which bounds our decompressor's memory. The server must answer
   * with it. @default undefined (not offered: the server may use up to 15)
   */
  serverMaxWindowBits?: number;
  /**
   * Messages smaller than this many bytes are sent uncompressed (RSV1 clear, which RFC 7692
   * allows at any time): below about 1 KiB deflate costs more than it saves.
   * @default 1024
   */
  thresholdBytes?: number;
  /** Compression level, 0 (store) to 9 (best). @default 6 */
  level?: number;
}

/** Every default of `PermessageDeflateOptions`, in one place. */
export const DEFAULT_PERMESSAGE_DEFLATE_OPTIONS = /* @__PURE__ */ Object.freeze({
  serverNoContextTakeover: false,
  clientMaxWindowBits: true,
  thresholdBytes: 1024,
  level: 6,
} as const);

/** What both sides agreed (the server's answer applied to our offer). */
export interface PermessageDeflateConfig {
  /** We must reset our compressor after each message. */
  readonly clientNoContextTakeover: boolean;
  /** The server resets its compressor after each message: we may reset our decompressor. */
  readonly serverNoContextTakeover: boolean;
  /** Our compressor's window, 8–15. */
  readonly clientMaxWindowBits: number;
  /** The server's compressor's window, 8–15: our decompressor needs at least this much. */
  readonly serverMaxWindowBits: number;
  /** From the options: messages below it are sent uncompressed. */
  readonly thresholdBytes: number;
  /** From the options: the compression level. */
  readonly level: number;
}

const MIN_WINDOW_BITS = 8;
const MAX_WINDOW_BITS = 15;

function isWindowBits(value: number): boolean {
  return Number.isInteger(value) && value >= MIN_WINDOW_BITS && value <= MAX_WINDOW_BITS;
}

/**
 * The client's permessage-deflate offer (RFC 7692 §5, §7.1). `accept()` throws, naming the rule,
 * when the server's answer breaks one; the handshake then fails with `bad-extension-params`.
 * @throws {RangeError} for options out of range.
 */
export function createPermessageDeflateOffer(
  options: PermessageDeflateOptions = {},
): ExtensionOffer<PermessageDeflateConfig> {
  const serverNoContextTakeover =
    options.serverNoContextTakeover ?? DEFAULT_PERMESSAGE_DEFLATE_OPTIONS.serverNoContextTakeover;
  const clientMaxWindowBits = options.clientMaxWindowBits ?? DEFAULT_PERMESSAGE_DEFLATE_OPTIONS.clientMaxWindowBits;
  const thresholdBytes = options.thresholdBytes ?? DEFAULT_PERMESSAGE_DEFLATE_OPTIONS.thresholdBytes;
  const level = options.level ?? DEFAULT_PERMESSAGE_DEFLATE_OPTIONS.level;
  const { serverMaxWindowBits, clientNoContextTakeover } = options;

  if (typeof clientMaxWindowBits === 'number' && !isWindowBits(clientMaxWindowBits)) {
    throw new RangeError(`clientMaxWindowBits must be an integer from 8 to 15, got ${clientMaxWindowBits}`);
  }
  if (serverMaxWindowBits !== undefined && !isWindowBits(serverMaxWindowBits)) {
    throw new RangeError(`serverMaxWindowBits must be an integer from 8 to 15, got ${serverMaxWindowBits}`);
  }
  if (!(thresholdBytes >= 0)) throw new RangeError(`thresholdBytes must be ≥ 0, got ${thresholdBytes}`);
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new RangeError(`level must be an integer from 0 to 9, got ${level}`);
  }

  // §7.1: the offer's parameters.
  const params: string[] = [PERMESSAGE_DEFLATE];
  if (clientNoContextTakeover === true) params.push('client_no_context_takeover');
  if (serverNoContextTakeover) params.push('server_no_context_takeover');
  if (serverMaxWindowBits !== undefined) params.push(`server_max_window_bits=${serverMaxWindowBits}`);
  if (clientMaxWindowBits === true) params.push('client_max_window_bits');
  else if (typeof clientMaxWindowBits === 'number') params.push(`client_max_window_bits=${clientMaxWindowBits}`);

  return {
    name: PERMESSAGE_DEFLATE,
    offer: params.join('; '),
    accept(answer: readonly ExtensionParam[]): PermessageDeflateConfig {
      const seen = new Map<string, string | true>();
      for (const [name, value] of answer) {
        // §7: "a server MUST NOT accept … an offer that has … the same name more than once";
        // the same holds for its answer.
        if (seen.has(name)) throw new Error(`the parameter ${name} appears twice`);
        seen.set(name, value);
      }

      let agreedClientNoContextTakeover = clientNoContextTakeover === true;
      let agreedServerNoContextTakeover = false;
      let agreedServerBits = MAX_WINDOW_BITS;
      let agreedClientBits = typeof clientMaxWindowBits === 'number' ? clientMaxWindowBits : MAX_WINDOW_BITS;

      for (const [name, value] of seen) {
        switch (name) {
          case 'server_no_context_takeover':
            // §7.1.1.1: the server may declare it whether or not we asked.
            if (value !== true) throw new Error('server_no_context_takeover takes no value');
            agreedServerNoContextTakeover = true;
            break;
          case 'client_no_context_takeover':
            // §7.1.1.2: the server may impose it — unless we said we would not accept that.
            if (value !== true) throw new Error('client_no_context_takeover takes no value');
            if (clientNoContextTakeover === false) {
              throw new Error('client_no_context_takeover was imposed but is not allowed by the options');
            }
            agreedClientNoContextTakeover = true;
            break;
          case 'server_max_window_bits': {
            // §7.1.2.1: a value 8–15, not above what we offered.
            const bits = parseWindowBits(name, value);
            if (serverMaxWindowBits !== undefined && bits > serverMaxWindowBits) {
              throw new Error(`server_max_window_bits=${bits} exceeds the offered ${serverMaxWindowBits}`);
            }
            agreedServerBits = bits;
            break;
          }
          case 'client_max_window_bits': {
            // §7.1.2.2: only in answer to our offer of it, with a value not above ours.
            if (clientMaxWindowBits === false) throw new Error('client_max_window_bits was not offered');
            const bits = parseWindowBits(name, value);
            if (typeof clientMaxWindowBits === 'number' && bits > clientMaxWindowBits) {
              throw new Error(`client_max_window_bits=${bits} exceeds the offered ${clientMaxWindowBits}`);
            }
            agreedClientBits = bits;
            break;
          }
          default:
            throw new Error(`the parameter ${name} is not defined by permessage-deflate`);
        }
      }
      // §7.1.2.1: "If a server accepts an offer with server_max_window_bits, it MUST include
      // the server_max_window_bits extension parameter in the response".
      if (serverMaxWindowBits !== undefined && !seen.has('server_max_window_bits')) {
        throw new Error('server_max_window_bits was offered but the answer lacks it');
      }
      return {
        clientNoContextTakeover: agreedClientNoContextTakeover,
        serverNoContextTakeover: agreedServerNoContextTakeover,
        clientMaxWindowBits: agreedClientBits,
        serverMaxWindowBits: agreedServerBits,
        thresholdBytes,
        level,
      };
    },
  };
}

/** §7.1.2: `1*DIGIT` without leading zeros, 8–15. */
function parseWindowBits(name: string, value: string | true): number {
  if (value === true || !/^[1-9][0-9]?$/.test(value) || !isWindowBits(Number(value))) {
    throw new Error(
      `${name} must be a number from 8 to 15, got ${value === true ? 'no value' : JSON.stringify(value)}`,
    );
  }
  return Number(value);
}

/** Removes the trailing `00 00 FF FF` a sync flush leaves (§7.2.1), if present. */
export function stripDeflateTrailer(compressed: Uint8Array): Uint8Array {
  const n = compressed.length;
  if (
    n >= 4 &&
    compressed[n - 4] === 0x00 &&
    compressed[n - 3] === 0x00 &&
    compressed[n - 2] === 0xff &&
    compressed[n - 1] === 0xff
  ) {
    return compressed.subarray(0, n - 4);
  }
  return compressed;
}
