import {
  HandshakeError,
  type HandshakeRequest,
  type HeadersInput,
  headerEntries,
  parseWebSocketUrl,
  secretHeaderNames,
} from '@sturdysocket/core';

/** The statuses that say "ask there instead" (RFC 9110 §15.4); 300, 304 and 305 are not followed. */
const FOLLOWED_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface RedirectPolicy {
  readonly followRedirects: boolean;
  readonly maxRedirects: number;
  readonly allowInsecureRedirect: boolean;
}

/** Where a hop comes from: the URL that redirected, and its status. */
export interface RedirectHop {
  readonly from: URL;
  readonly status: number;
}

/** Builds the request for the next hop: a fresh key; credentials dropped when `stripCredentials`. */
export type HopRequestFactory = (url: URL, stripCredentials: boolean, hop: RedirectHop) => HandshakeRequest;

/**
 * Decides what to do with a `redirect` failure: returns the next hop's request, or throws —
 * the original error when redirects are not followed (or the status is not one to follow),
 * `redirect` past `maxRedirects` or for an unusable `Location`, `insecure-redirect` for wss→ws
 * unless allowed. Credentials (`Authorization`, `Cookie`, `Proxy-Authorization` and the secret
 * headers) never follow a redirect to another origin or from wss: to ws:.
 */
export function followRedirect(
  previous: HandshakeRequest,
  error: HandshakeError,
  redirectsSoFar: number,
  policy: RedirectPolicy,
  nextRequest: HopRequestFactory,
): HandshakeRequest {
  const status = error.status ?? 0;
  if (!policy.followRedirects || !FOLLOWED_STATUSES.has(status)) throw error;
  const details = { status, ...(error.headers === undefined ? {} : { headers: error.headers }) };
  if (redirectsSoFar >= policy.maxRedirects) {
    throw new HandshakeError('redirect', `More than maxRedirects (${policy.maxRedirects}) redirects`, details);
  }
  let target: URL;
  try {
    const location = new URL(error.headers?.location ?? '', previous.url);
    location.hash = '';
    target = parseWebSocketUrl(location);
  } catch (cause) {
    throw new HandshakeError('redirect', `The redirect's Location is not a usable WebSocket URL`, {
      ...details,
      cause,
    });
  }
  const downgrade = previous.secure && target.protocol === 'ws:';
  if (downgrade && !policy.allowInsecureRedirect) {
    throw new HandshakeError(
      'insecure-redirect',
      'The server redirected from wss: to ws: (set allowInsecureRedirect to follow it)',
      details,
    );
  }
  const crossOrigin = target.origin !== previous.url.origin;
  return nextRequest(target, crossOrigin || downgrade, { from: previous.url, status });
}

/** `headers` without credentials: the default secret headers and `secretHeaders`. */
export function withoutCredentials(
  headers: HeadersInput | undefined,
  secretHeaders: readonly string[],
): Array<[string, string]> {
  const secret = secretHeaderNames(secretHeaders);
  return headerEntries(headers).filter(([name]) => !secret.has(name.toLowerCase()));
}
