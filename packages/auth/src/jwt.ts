/**
 * Reads the `exp` claim of a JWT (RFC 7519 §4.1.4) without verifying anything: the client only
 * needs to know when to fetch a new token, the server does the checking. Returns the expiry in
 * milliseconds since the epoch, or `undefined` for an opaque token or a JWT without `exp`.
 */
export function readJwtExpiryMs(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const payload = decodeBase64UrlText(parts[1] as string);
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(payload);
    if (typeof claims !== 'object' || claims === null) return undefined;
    const exp = (claims as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function decodeBase64UrlText(segment: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(segment)) return undefined;
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  try {
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
