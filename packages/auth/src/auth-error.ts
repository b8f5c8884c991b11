import { SturdySocketError, type SturdySocketErrorOptions } from '@sturdysocket/core';

/**
 * Why authentication failed. Stable strings.
 * - `provider-failed`: the token provider threw or rejected.
 * - `invalid-token`: the provider returned something that is not a non-empty string, or a token
 *   that cannot travel by the chosen carrier.
 * - `rejected`: the server refused a fresh token (a second consecutive auth failure).
 * - `forbidden`: the server answered HTTP 403.
 * - `insecure-transport`: a token would be sent over `ws:` to a host that is not loopback.
 * - `carrier-unavailable`: the chosen carrier cannot work on this runtime (e.g. `header` in a browser).
 * - `token-echoed`: the server echoed the token subprotocol entry instead of a real protocol.
 * - `ack-timeout` / `nack`: the first-message carrier got no acknowledgement in time, or a refusal.
 */
export type AuthFailureReason =
  | 'provider-failed'
  | 'invalid-token'
  | 'rejected'
  | 'forbidden'
  | 'insecure-transport'
  | 'carrier-unavailable'
  | 'token-echoed'
  | 'ack-timeout'
  | 'nack';

/** Authentication failed. The message never contains the token. */
export class AuthError extends SturdySocketError {
  static override readonly brand: string = 'AuthError';

  /** Which rule failed. */
  declare readonly reason: AuthFailureReason;

  constructor(reason: AuthFailureReason, message: string, options: SturdySocketErrorOptions = {}) {
    super('ERR_WS_AUTH', message, options);
    this.reason = reason;
  }
}
