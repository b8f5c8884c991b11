import { closeReasonByteLength, isClientCloseCode, MAX_CLOSE_REASON_BYTES } from '@sturdysocket/core';

/**
 * WHATWG WebSockets, `close()` steps 1–2: the code and reason an application may send. Throws an
 * `InvalidAccessError` for a code other than 1000 or 3000–4999, a `SyntaxError` for a reason over
 * 123 UTF-8 bytes, as `WebSocket.close()` does. Unlike it, nothing is converted first: a code must
 * already be an integer (`close(1000.5)` and `close('4000')` throw here, where WebIDL would round
 * and parse them). Core's `checkCloseArguments` does the conversions, for the Node and Deno/Bun
 * sockets; here they would add 138 bytes to the browser bundle for arguments no typed caller passes.
 */
export function checkCloseArguments(code: number | undefined, reason: string | undefined): void {
  if (code !== undefined && !isClientCloseCode(code)) {
    throw new DOMException(`The close code must be 1000 or in 3000–4999, got ${code}`, 'InvalidAccessError');
  }
  if (reason !== undefined && closeReasonByteLength(reason) > MAX_CLOSE_REASON_BYTES) {
    throw new DOMException(`The close reason must be at most ${MAX_CLOSE_REASON_BYTES} UTF-8 bytes`, 'SyntaxError');
  }
}
