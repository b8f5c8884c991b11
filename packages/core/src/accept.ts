import { encodeBase64 } from './base64.js';
import { WEBSOCKET_GUID } from './constants.js';
import { isValidKey } from './key.js';

const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * RFC 6455 §4.2.2 step 5.4 (and §1.3): base64(SHA-1(key + GUID)). WebCrypto, so it runs on every
 * runtime. Throws a `TypeError` for a key that is not base64 of 16 bytes.
 */
export async function computeAccept(key: string): Promise<string> {
  if (!isValidKey(key)) throw new TypeError('Sec-WebSocket-Key must be base64 of 16 bytes');
  const digest = await crypto.subtle.digest('SHA-1', encoder.encode(key + WEBSOCKET_GUID));
  return encodeBase64(new Uint8Array(digest));
}

/**
 * RFC 6455 §4.1, client step 4 of validating the response: the accept value must be exactly
 * the hash of the key we sent. Compared in constant time. A malformed key or accept value is
 * `false`, never an exception.
 */
export async function verifyAccept(key: string, accept: string): Promise<boolean> {
  if (typeof key !== 'string' || typeof accept !== 'string' || !isValidKey(key)) return false;
  const expected = await computeAccept(key);
  return constantTimeEqual(expected, accept);
}

/** Compares two strings without an early exit on the first differing character. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
