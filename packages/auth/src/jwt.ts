/**
 * Reads the `exp` claim of a JWT (RFC 7519 §4.1.4) without verifying anything: the client only
 * needs to know when to fetch a new token, the server does the checking. Returns the expiry in
 * milliseconds since the epoch, or `undefined` for an opaque token or a JWT without `exp`.
 */
export function readJwtExpiryMs(token: string): number | undefined {
  const parts = token.split('.');
  const payload = parts[1] as string;
  // The payload is unpadded base64url (RFC 7515 §2), which nothing but its alphabet may hold.
  if (parts.length !== 3 || !/^[\w-]*$/.test(payload)) return undefined;
  try {
    // `atob` reads base64url once `-` and `_` are back to `+` and `/`, and needs no padding. Its
    // binary string is not decoded as UTF-8: a multi-byte sequence holds only bytes above 0x7F,
    // so it stays inside its JSON string, and `exp` reads the same.
    const claims: { exp?: unknown } | null = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    const exp = claims?.exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
