import { decodeBase64, encodeBase64 } from './base64.js';

/** RFC 6455 §4.1: the key is a nonce of 16 random bytes. */
export const KEY_BYTES = 16;

/**
 * Generates a `Sec-WebSocket-Key`: 16 bytes from the platform CSPRNG, base64-encoded
 * (RFC 6455 §4.1, client requirement 7). A fresh nonce per call; never reuse one.
 */
export function generateKey(): string {
  return encodeBase64(crypto.getRandomValues(new Uint8Array(KEY_BYTES)));
}

/** Whether `key` is canonical base64 of exactly 16 bytes, as §4.1 requires. */
export function isValidKey(key: string): boolean {
  return decodeBase64(key)?.length === KEY_BYTES;
}
