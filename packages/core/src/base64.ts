// Base64 without Buffer, so the same code runs in Node, Deno, Bun, browsers and workers.

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i] as number);
  return btoa(binary);
}

/**
 * Decodes canonical, padded base64. Returns `undefined` for anything else (missing or extra
 * padding, white space, URL-safe letters, non-zero trailing bits), never throws.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!STRICT_BASE64.test(text)) return undefined;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  // Canonical form only: the same bytes must encode back to the same text.
  return encodeBase64(bytes) === text ? bytes : undefined;
}

/** Unpadded base64url (RFC 4648 §5), as used for tokens in subprotocol entries. */
export function encodeBase64Url(bytes: Uint8Array): string {
  return encodeBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
