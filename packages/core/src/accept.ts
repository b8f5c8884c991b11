import { encodeBase64 } from './base64.js';
import { WEBSOCKET_GUID } from './constants.js';
import { isValidKey } from './key.js';

const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * A SHA-1 implementation: the 20-byte digest of `data`, synchronously or not. A runtime that has
 * a synchronous one (Node's `createHash('sha1')`) passes it to skip WebCrypto's asynchronous
 * round trip (on Node, a job on the thread pool per connection).
 */
export type Sha1 = (data: Uint8Array) => Uint8Array | ArrayBuffer | Promise<Uint8Array | ArrayBuffer>;

/** WebCrypto's SHA-1: on every runtime, asynchronous. */
const webCryptoSha1: Sha1 = (data) => crypto.subtle.digest('SHA-1', data as Uint8Array<ArrayBuffer>);

function acceptOf(digest: Uint8Array | ArrayBuffer): string {
  return encodeBase64(digest instanceof Uint8Array ? digest : new Uint8Array(digest));
}

/**
 * RFC 6455 §4.2.2 step 5.4 (and §1.3): base64(SHA-1(key + GUID)). WebCrypto unless `sha1` is
 * given, so it runs on every runtime. Throws a `TypeError` for a key that is not base64 of 16
 * bytes.
 */
export async function computeAccept(key: string, sha1: Sha1 = webCryptoSha1): Promise<string> {
  if (!isValidKey(key)) throw new TypeError('Sec-WebSocket-Key must be base64 of 16 bytes');
  return acceptOf(await sha1(encoder.encode(key + WEBSOCKET_GUID)));
}

/** `computeAccept` for a key already checked; synchronous when `sha1` is. */
function acceptOfValidKey(key: string, sha1: Sha1): string | Promise<string> {
  const digest = sha1(encoder.encode(key + WEBSOCKET_GUID));
  return digest instanceof Uint8Array || digest instanceof ArrayBuffer
    ? acceptOf(digest)
    : Promise.resolve(digest).then(acceptOf);
}

/**
 * RFC 6455 §4.1, client step 4 of validating the response: the accept value must be exactly
 * the hash of the key we sent. Compared in constant time. A malformed key or accept value is
 * `false`, never an exception.
 * @param sha1 The SHA-1 to use. @default WebCrypto's
 */
export async function verifyAccept(key: string, accept: string, sha1?: Sha1): Promise<boolean> {
  if (typeof key !== 'string' || typeof accept !== 'string' || !isValidKey(key)) return false;
  return constantTimeEqual(await acceptOfValidKey(key, sha1 ?? webCryptoSha1), accept);
}

/** Compares two strings without an early exit on the first differing character. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
