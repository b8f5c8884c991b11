import { SturdySocketError, type SturdySocketErrorOptions } from './sturdy-socket-error.js';

/**
 * Why an opening handshake failed. Stable strings: the reconnect and auth layers decide on them.
 * - `http-status`: the server answered with a status other than 101 (see `status`).
 * - `redirect`: a 3xx answer while redirects are not followed (or their limit was reached).
 * - `missing-upgrade` / `missing-connection`: `Upgrade: websocket` or `Connection: upgrade` absent
 *   or wrong (RFC 6455 §4.1, client step 2 and 3 of validating the response).
 * - `missing-accept` / `bad-accept`: `Sec-WebSocket-Accept` absent, or not the hash of our key.
 * - `unrequested-protocol` / `missing-protocol`: the server chose a subprotocol we did not offer,
 *   or chose none where the caller requires one.
 * - `unrequested-extension` / `bad-extension-params`: an extension we did not offer, or
 *   parameters outside what we offered.
 * - `timeout`, `response-too-large`, `malformed-response`, `network`, `tls`, `aborted`,
 *   `insecure-redirect`, `proxy-refused`, `proxy-auth`, `proxy-status`: transport failures
 *   reported by runtime packages.
 */
export type HandshakeFailureReason =
  | 'http-status'
  | 'redirect'
  | 'missing-upgrade'
  | 'missing-connection'
  | 'missing-accept'
  | 'bad-accept'
  | 'unrequested-protocol'
  | 'missing-protocol'
  | 'unrequested-extension'
  | 'bad-extension-params'
  | 'timeout'
  | 'response-too-large'
  | 'malformed-response'
  | 'network'
  | 'tls'
  | 'aborted'
  | 'insecure-redirect'
  | 'proxy-refused'
  | 'proxy-auth'
  | 'proxy-status';

export interface HandshakeErrorOptions extends SturdySocketErrorOptions {
  /** The HTTP status of the response, when one was received. */
  status?: number;
  /** The response headers (names lower-cased), when a response was received. */
  headers?: Readonly<Record<string, string>>;
}

/** The opening handshake failed; `reason` says which rule. The connection never opened. */
export class HandshakeError extends SturdySocketError {
  static override readonly brand: string = 'HandshakeError';

  /** Which rule failed. */
  declare readonly reason: HandshakeFailureReason;
  /** The HTTP status received, if any. Absent where the runtime hides it (browsers). */
  declare readonly status: number | undefined;
  /** The response headers received (lower-cased names), if any. */
  declare readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(reason: HandshakeFailureReason, message: string, options: HandshakeErrorOptions = {}) {
    super('ERR_WS_HANDSHAKE', message, options);
    this.reason = reason;
    this.status = options.status;
    this.headers = options.headers;
  }
}
