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
  // An `Error`, or an `ErrorEvent`-like object, says what went wrong; a bare `Event` does not.
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return new TransportError(
    typeof message === 'string' && message !== '' ? message : 'The transport reported an error',
    error,
  );
}
