import { encodeBase64 } from './base64.js';

/** RFC 6455 §4.1: the key is a nonce of 16 random bytes. */
export const KEY_BYTES = 16;

/** Keys drawn from one CSPRNG call: `getRandomValues` costs a native call however few bytes it fills. */
const KEYS_PER_POOL = 256;
let pool: Uint8Array | undefined;
/** Where the next key starts in `pool`; the first call fills the pool whatever this says. */
let offset = 0;

/**
 * Generates a `Sec-WebSocket-Key`: 16 bytes from the platform CSPRNG, base64-encoded
 * (RFC 6455 §4.1, client requirement 7). A fresh nonce per call; never reuse one. The bytes come
 * from a pool that one `getRandomValues` call fills for 256 keys; each byte serves one key.
 */
export function generateKey(): string {
  if (pool === undefined || offset === pool.length) {
    pool ??= new Uint8Array(KEYS_PER_POOL * KEY_BYTES);
    crypto.getRandomValues(pool);
    offset = 0;
  }
  const key = encodeBase64(pool.subarray(offset, offset + KEY_BYTES));
  offset += KEY_BYTES;
  return key;
}

/**
 * Canonical base64 of 16 bytes: 21 characters, a 22nd that carries 2 bits and four zero bits
 * (so one of A, Q, g, w), and `==`.
 */
const CANONICAL_KEY = /^[A-Za-z0-9+/]{21}[AQgw]==$/;

/** Whether `key` is canonical base64 of exactly 16 bytes, as §4.1 requires. */
export function isValidKey(key: string): boolean {
  return CANONICAL_KEY.test(key);
}
