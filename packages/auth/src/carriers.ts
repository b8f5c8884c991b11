import { encodeBase64Url, isSafeHeaderValue, isToken } from '@sturdysocket/core';
import { AuthError } from './auth-error.js';

/**
 * How the token reaches the server.
 * - `header`: `Authorization: Bearer <token>` (or a header and scheme you name). Node, Deno, Bun.
 * - `subprotocol`: an extra `Sec-WebSocket-Protocol` entry, `<prefix><base64url(token)>`, offered
 *   beside your real protocols — the one way a browser can send a credential in the handshake
 *   without putting it in the URL. The server must answer with a real protocol, never the token.
 * - `query`: a URL query parameter. Opt-in only: URLs end up in access logs, proxies and
 *   browser history, so the token leaks wherever the URL is recorded.
 * - `message`: the first message after open carries the token; the outbox waits for an ack.
 * - `auto`: `header` where the transport can send headers; elsewhere an error naming the choices.
 */
export type AuthCarrier = 'auto' | 'header' | 'subprotocol' | 'query' | 'message';

/** Header carrier settings. */
export interface HeaderCarrierOptions {
  /** The header to carry the token. @default 'Authorization' */
  name?: string;
  /** The scheme before the token; `''` sends the bare token. @default 'Bearer' */
  scheme?: string;
}

/** Subprotocol carrier settings. */
export interface SubprotocolCarrierOptions {
  /**
   * Put before the base64url token; must consist of RFC 7230 token characters.
   * @default 'base64url.bearer.authorization.k8s.io.' (Kubernetes' convention)
   */
  prefix?: string;
}

/** Query carrier settings. */
export interface QueryCarrierOptions {
  /** The query parameter's name. @default 'access_token' */
  parameter?: string;
}

export const DEFAULT_SUBPROTOCOL_PREFIX = 'base64url.bearer.authorization.k8s.io.';

/** The handshake inputs a carrier may change for one attempt. */
export interface HandshakeInputs {
  url: string;
  protocols: string[];
  headers: Record<string, string>;
  /** Entries of `protocols` that carry the token, for a transport that shows its headers to redact. */
  secretProtocols?: string[];
}

/** Puts the token into an `Authorization`-style header. */
export function carryInHeader(
  inputs: HandshakeInputs,
  token: string,
  options: HeaderCarrierOptions = {},
): HandshakeInputs {
  const name = options.name ?? 'Authorization';
  const scheme = options.scheme ?? 'Bearer';
  if (!isToken(name)) throw new TypeError(`Invalid auth header name ${JSON.stringify(name)}`);
  const value = scheme === '' ? token : `${scheme} ${token}`;
  if (!isSafeHeaderValue(value)) throw new AuthError('invalid-token', 'The token has CR, LF or NUL');
  return { ...inputs, headers: { ...inputs.headers, [name]: value } };
}

/** The subprotocol entry that carries `token`: `<prefix><unpadded base64url of its UTF-8>`. */
export function tokenSubprotocol(token: string, prefix: string = DEFAULT_SUBPROTOCOL_PREFIX): string {
  if (!isToken(prefix)) throw new TypeError(`Invalid subprotocol prefix ${JSON.stringify(prefix)}`);
  return prefix + encodeBase64Url(new TextEncoder().encode(token));
}

/** Adds the token entry after the real protocols (servers pick the first they know). */
export function carryInSubprotocol(
  inputs: HandshakeInputs,
  token: string,
  options: SubprotocolCarrierOptions = {},
): HandshakeInputs {
  const entry = tokenSubprotocol(token, options.prefix);
  return { ...inputs, protocols: [...inputs.protocols, entry], secretProtocols: [entry] };
}

/** Sets the token as a query parameter. Leaks into logs: opt-in only. */
export function carryInQuery(
  inputs: HandshakeInputs,
  token: string,
  options: QueryCarrierOptions = {},
): HandshakeInputs {
  const url = new URL(inputs.url);
  url.searchParams.set(options.parameter ?? 'access_token', token);
  return { ...inputs, url: url.href };
}

/**
 * Whether `hostname` is a loopback address, where `ws:` never leaves the machine: `localhost` and
 * its subdomains, `::1` (bracketed or not, as `URL` writes it), `127.0.0.0/8`.
 */
export function isLoopbackHost(hostname: string): boolean {
  return /^\[?(?:(?:.*\.)?localhost|::1|127(?:\.\d{1,3}){3})\]?$/is.test(hostname);
}

/**
 * Refuses to send a token in the clear: `ws:` to anything but loopback needs
 * `allowInsecureTransport`. Checked on every attempt, because the URL provider may change.
 */
export function assertSecureTransport(url: string, allowInsecureTransport: boolean): void {
  const { protocol, hostname } = new URL(url);
  if (allowInsecureTransport) return;
  if ((protocol === 'ws:' || protocol === 'http:') && !isLoopbackHost(hostname)) {
    throw new AuthError(
      'insecure-transport',
      `Refusing to send a token over ${protocol} to ${hostname}; use wss: or allowInsecureTransport`,
    );
  }
}
