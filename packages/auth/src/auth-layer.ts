import type { ReconnectOptions } from '@sturdysocket/reconnect';
import type { AuthOptions } from './options.js';
import { type AuthenticatedOptions, withAuth } from './with-auth.js';

/**
 * The auth layer as a value, for `connect()`'s `auth` option. `connect()` imports no auth code of
 * its own: an application that never calls `tokenAuth()` ships none of this package.
 */
export interface AuthLayer {
  /** The settings the layer was made with. */
  readonly options: AuthOptions;
  /**
   * Composes reconnect options that authenticate every attempt over `transport` (see `withAuth`).
   * Throws as `withAuth` does: an `AuthError` (`carrier-unavailable`) when the carrier cannot
   * travel over this transport, a `TypeError` for malformed options.
   */
  compose(options: Omit<AuthenticatedOptions, 'auth'>): ReconnectOptions;
}

/**
 * Makes the auth layer for `connect(url, { auth: tokenAuth({ token, carrier }) })`: a token
 * fetched per attempt, carried by `carrier`, refreshed on expiry and after an auth failure.
 * Nothing is checked until `connect()` composes it with its transport.
 */
export function tokenAuth(options: AuthOptions): AuthLayer {
  return { options, compose: (reconnect) => withAuth({ ...reconnect, auth: options }) };
}
