import { SturdySocketError } from '@sturdysocket/core';

/** No pong (nor any other traffic) arrived within `heartbeat.timeoutMs` of a ping: the peer is presumed dead. */
export class HeartbeatTimeoutError extends SturdySocketError {
  static override readonly brand: string = 'HeartbeatTimeoutError';

  /** The pong deadline that passed, in milliseconds. */
  declare readonly timeoutMs: number;
  /** The close code the socket was closed with (`heartbeat.closeCode`). */
  declare readonly closeCode: number;

  constructor(timeoutMs: number, closeCode: number) {
    super('ERR_RECONNECT_HEARTBEAT_TIMEOUT', `No pong within ${timeoutMs} ms; the connection is presumed dead`);
    this.timeoutMs = timeoutMs;
    this.closeCode = closeCode;
  }
}
