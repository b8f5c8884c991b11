// The public surface of @sturdysocket/auth, listed by hand.
export { AuthError, type AuthFailureReason } from './auth-error.js';
export { type AuthComposeOptions, type AuthLayer, tokenAuth } from './auth-layer.js';
export {
  type AuthCarrier,
  assertSecureTransport,
  carryInHeader,
  carryInQuery,
  carryInSubprotocol,
  DEFAULT_SUBPROTOCOL_PREFIX,
  type HandshakeInputs,
  type HeaderCarrierOptions,
  isLoopbackHost,
  type QueryCarrierOptions,
  type SubprotocolCarrierOptions,
  tokenSubprotocol,
} from './carriers.js';
export { readJwtExpiryMs } from './jwt.js';
export {
  type AuthClock,
  type AuthEvent,
  type AuthMessageData,
  type AuthOptions,
  DEFAULT_AUTH_OPTIONS,
  type MessageCarrierOptions,
  systemAuthClock,
} from './options.js';
export {
  type IssuedToken,
  type TokenClock,
  type TokenProvider,
  TokenSource,
  type TokenSourceOptions,
} from './token-source.js';
export { type AuthenticatedOptions, resolveCarrier, withAuth } from './with-auth.js';
