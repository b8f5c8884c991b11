/**
 * UTF-8 validation of text messages (RFC 6455 §5.6, §8.1: "When an endpoint is to interpret a
 * byte stream as UTF-8 but finds that the byte stream is not, in fact, a valid UTF-8 stream, that
 * endpoint MUST _Fail the WebSocket Connection_"), with RFC 3629's rules: no overlong forms, no
 * surrogates (U+D800–U+DFFF), nothing above U+10FFFF.
 *
 * The work is done by a fatal `TextDecoder` (native and the fastest built-in), fed one fragment
 * at a time with `{ stream: true }` so a code point may straddle fragments. Two guarantees on top
 * of it:
 * - a sequence still incomplete when the message ends fails (the final call flushes);
 * - failure is immediate: the 1–3 bytes a streaming decoder holds back at a fragment's end are
 *   checked here to be the start of some valid sequence, so a fragment ending in, say, `F4 90`
 *   (which can only encode > U+10FFFF) fails now, whatever the runtime's decoder does.
 */
export class Utf8Validator {
  /** The streaming decoder, made for the first fragmented text message (most never are). */
  #decoder: TextDecoder | undefined;
  #streaming = false;

  /**
   * Decodes one fragment of a text message. Returns the text it completes, or `undefined` when
   * the bytes are not valid UTF-8 (so far). After `undefined` the validator must be `reset()`.
   * @param fin Whether this is the message's last fragment: a trailing incomplete sequence fails.
   */
  decode(bytes: Uint8Array, fin: boolean): string | undefined {
    try {
      if (fin) {
        if (!this.#streaming) return oneShotDecoder().decode(bytes);
        const text = (this.#decoder as TextDecoder).decode(bytes);
        this.#streaming = false;
        return text;
      }
      if (!isValidTail(bytes)) return undefined;
      this.#streaming = true;
      this.#decoder ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
      return this.#decoder.decode(bytes, { stream: true });
    } catch {
      return undefined;
    }
  }

  /** Forgets a partial sequence held from an unfinished message. */
  reset(): void {
    if (!this.#streaming) return;
    this.#streaming = false;
    try {
      this.#decoder?.decode();
    } catch {
      // The held bytes were incomplete; discarding them is the point.
    }
  }
}

let oneShot: TextDecoder | undefined;

/** A fatal decoder for whole byte strings, shared process-wide (a non-streaming call keeps no state). */
function oneShotDecoder(): TextDecoder {
  oneShot ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  return oneShot;
}

/** Decodes a complete UTF-8 byte string, or returns `undefined` if it is not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return oneShotDecoder().decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Whether the incomplete sequence (if any) at the end of `bytes` can still become a valid code
 * point. Looks at the last three bytes at most; complete sequences are the decoder's business.
 */
export function isValidTail(bytes: Uint8Array): boolean {
  const length = bytes.length;
  // Find the lead byte of the last sequence within the last 3 bytes.
  for (let back = 1; back <= 3 && back <= length; back++) {
    const byte = bytes[length - back]!;
    if (byte < 0x80) return true; // ASCII: nothing pending.
    if (byte >= 0xc0) {
      const needed = byte < 0xe0 ? 2 : byte < 0xf0 ? 3 : 4;
      if (back >= needed) return true; // The sequence is complete.
      return isValidPrefix(byte, back >= 2 ? bytes[length - back + 1]! : -1);
    }
    // A continuation byte: keep looking for the lead.
  }
  return true;
}

/** RFC 3629 §4: the second byte's range depends on the lead byte. `second` is -1 when absent. */
function isValidPrefix(lead: number, second: number): boolean {
  if (lead < 0xc2 || lead > 0xf4) return false; // C0, C1: overlong; F5–FF: never valid.
  if (second === -1) return true;
  if (lead === 0xe0) return second >= 0xa0 && second <= 0xbf; // overlong 3-byte forms
  if (lead === 0xed) return second >= 0x80 && second <= 0x9f; // surrogates D800–DFFF
  if (lead === 0xf0) return second >= 0x90 && second <= 0xbf; // overlong 4-byte forms
  if (lead === 0xf4) return second >= 0x80 && second <= 0x8f; // above U+10FFFF
  return second >= 0x80 && second <= 0xbf;
}
