import { SturdySocketError } from '@sturdysocket/core';

/**
 * The transport reported an `error` event without a typed error (a browser's bare `Event`, or an
 * error the reconnect layer does not recognise). The original is the `cause`.
 */
export class TransportError extends SturdySocketError {
  static override readonly brand: string = 'TransportError';

  constructor(message: string, cause: unknown) {
    super('ERR_RECONNECT_TRANSPORT', message, { cause });
  }
}
