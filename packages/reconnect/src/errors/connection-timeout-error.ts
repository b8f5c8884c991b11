import { SturdySocketError } from '@sturdysocket/core';

/** An attempt did not open (handshake, providers and `beforeFlush` included) within `connectionTimeoutMs`. */
export class ConnectionTimeoutError extends SturdySocketError {
  static override readonly brand: string = 'ConnectionTimeoutError';

  /** The limit that was exceeded, in milliseconds. */
  declare readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super('ERR_RECONNECT_CONNECTION_TIMEOUT', `The connection did not open within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}
