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

/** `error` as the `error` event reports it: a `SturdySocketError` as it is, anything else as a `TransportError`'s cause. */
export function asReportedError(error: unknown): SturdySocketError {
  if (error instanceof SturdySocketError) return error;
  let message = 'The transport reported an error';
  if (error instanceof Error) message = error.message;
  else if (typeof error === 'object' && error !== null) {
    const own = (error as { message?: unknown }).message;
    if (typeof own === 'string' && own !== '') message = own;
  }
  return new TransportError(message, error);
}
