import { SturdySocketError } from '@sturdysocket/core';

/** The `beforeFlush` hook rejected, so the attempt failed after the transport opened. */
export class OpenGateError extends SturdySocketError {
  static override readonly brand: string = 'OpenGateError';

  /** The close code the socket was closed with (`ReconnectCloseCode.OpenGateFailed`). */
  declare readonly closeCode: number;

  constructor(closeCode: number, cause: unknown) {
    super(
      'ERR_RECONNECT_OPEN_GATE',
      `beforeFlush rejected: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
    this.closeCode = closeCode;
  }
}
