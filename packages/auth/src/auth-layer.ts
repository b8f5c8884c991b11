import { type CoreReconnectOptions, type OpenGateLayer, openGate } from '@sturdysocket/reconnect';
import type { AuthOptions } from './options.js';
import { type AuthenticatedOptions, withAuth } from './with-auth.js';

/**
 * What `AuthLayer.compose` takes: `connect()`'s reconnect options, its transport and headers, with
 * the open gate as a value (`openGate()`), as `ReconnectingWebSocketCore` takes it.
 */
export interface AuthComposeOptions extends Omit<AuthenticatedOptions, 'auth' | 'beforeFlush' | 'heartbeat'> {
  /** The caller's own open gate; it runs after the auth layer's. @default undefined */
  beforeFlush?: OpenGateLayer | undefined;
}

/**
 * The auth layer as a value, for `connect()`'s `auth` option. `connect()` imports no auth code of
 * its own: an application that never calls `tokenAuth()` ships none of this package.
 */
export interface AuthLayer {
  /** The settings the layer was made with. */
  readonly options: AuthOptions;
  /**
   * Composes options for `ReconnectingWebSocketCore` that authenticate every attempt over
   * `transport` (see `withAuth`); its gate (the `beforeFlush` that checks the protocol and sends
   * the auth message) comes made by `openGate()`. Throws as `withAuth` does: an `AuthError`
   * (`carrier-unavailable`) when the carrier cannot travel over this transport, a `TypeError` for
   * malformed options.
   */
  compose(options: AuthComposeOptions): Omit<CoreReconnectOptions, 'heartbeat'>;
}

/**
 * Makes the auth layer for `connect(url, { auth: tokenAuth({ token, carrier }) })`: a token
 * fetched per attempt, carried by `carrier`, refreshed on expiry and after an auth failure.
 * Nothing is checked until `connect()` composes it with its transport.
 */
export function tokenAuth(options: AuthOptions): AuthLayer {
  return {
    options,
    compose: ({ beforeFlush, ...reconnect }) => {
      if (beforeFlush !== undefined && typeof beforeFlush.open !== 'function') {
        throw new TypeError(
          "beforeFlush takes the open gate: { beforeFlush: openGate(hook) }, openGate from 'sturdysocket'",
        );
      }
      const { heartbeat: _none, ...composed } = withAuth({
        ...reconnect,
        beforeFlush: beforeFlush?.hook,
        auth: options,
      });
      return {
        ...composed,
        beforeFlush: composed.beforeFlush === undefined ? undefined : openGate(composed.beforeFlush),
      };
    },
  };
}
