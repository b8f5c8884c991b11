import { CloseCode, MAX_TIMER_DELAY_MS } from '@sturdysocket/core';
import type { RetainedNodeWebSocketOptions } from './options.js';
import type { SocketWriter } from './socket-writer.js';

/** The two limits on the closing handshake (see `NodeWebSocketOptions`). */
export type CloseLimits = Pick<RetainedNodeWebSocketOptions, 'closeFlushTimeoutMs' | 'closeTimeoutMs'>;

/** What the closing handshake needs of its connection when a limit runs out. */
export interface ClosingConnection {
  /** The connection's writer, if one has been made: read when a limit runs out, not before. */
  readonly writer: SocketWriter | undefined;
  /** Drops the TCP connection at once. */
  destroy(): void;
}

/** What the `error` and `close` events report (WHATWG "When the WebSocket connection is closed", steps 2–3). */
export interface ClosedReport {
  /** The connection was failed (RFC 6455 §7.1.7): `error` is fired with `failure`. */
  readonly failed: boolean;
  readonly failure: unknown;
  readonly wasClean: boolean;
  readonly code: number;
  readonly reason: string;
  /** The code this client put in its close frame, if it sent one with a code. */
  readonly sentCode: number | undefined;
}

/**
 * What closing or failing one connection leaves behind — the close frames sent and received, a
 * failure — and the timer that keeps the closing handshake from lasting for ever (RFC 6455 §7).
 * Made by the first close, failure or close frame: an open, idle connection has none. The
 * `WebSocket` enacts the steps that change its own state; this holds what they decided.
 */
export class ClosingHandshake {
  /** Set when this client failed the connection (RFC 6455 §7.1.7); reported on `error`. */
  failure?: unknown;
  /** The close frame received from the server (§7.1.5), if any. */
  receivedClose?: { code: number; reason: string };
  /** The code this client put in its close frame; `null` for a close frame without a code. */
  sentCloseCode?: number | null;
  /** A close limit ran out before our close frame was written: the close cannot be clean. */
  closeFrameUnsent = false;

  /**
   * First the wait for our close frame to be written (`closeFlushTimeoutMs`), then the wait for
   * the server's answer (`closeTimeoutMs`).
   */
  private timer: NodeJS.Timeout | undefined;
  private readonly limits: CloseLimits;
  private readonly connection: ClosingConnection;

  constructor(limits: CloseLimits, connection: ClosingConnection) {
    this.limits = limits;
    this.connection = connection;
  }

  /**
   * Our close frame is queued (sent, echoed, or failing): RFC 6455 §7.1.1 and §5.5.1 have us wait
   * for the server's answer *after sending* it, so `closeTimeoutMs` starts once the frame has been
   * written to the kernel. Until then it may wait behind data `send()` accepted, which the server
   * may be reading slowly; `closeFlushTimeoutMs` bounds that wait, so a server that never reads
   * cannot hold the socket for ever.
   */
  awaitCloseFrameWritten(writer: SocketWriter): void {
    if (this.timer !== undefined || writer.closeFrameWritten) {
      this.armCloseTimer();
      return;
    }
    writer.onCloseFrameWritten = () => {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.armCloseTimer();
    };
    this.timer = this.destroyAfter(this.limits.closeFlushTimeoutMs);
  }

  /** Starts the wait for the server's close frame and TCP close (`closeTimeoutMs`), unless one runs. */
  armCloseTimer(): void {
    this.timer ??= this.destroyAfter(this.limits.closeTimeoutMs);
  }

  /** The connection is closed: no limit is left to run out. */
  stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  /** A timer that destroys the socket after `ms` milliseconds; none for `0` or `Infinity` (no limit). */
  private destroyAfter(ms: number): NodeJS.Timeout | undefined {
    if (ms === 0 || ms === Number.POSITIVE_INFINITY) return undefined;
    // Node fires a timer longer than 2^31 - 1 ms after 1 ms (with a warning): clamp it instead.
    return setTimeout(
      () => {
        // Whichever limit ran out (also `closeTimeoutMs`, armed early by a FIN that came while
        // input was held), a close frame of ours still queued was never sent.
        if (this.connection.writer?.closeFrameWritten !== true) this.closeFrameUnsent = true;
        this.connection.destroy();
      },
      Math.min(ms, MAX_TIMER_DELAY_MS),
    );
  }

  /**
   * §7.1.4: both close frames exchanged — theirs received, ours written out (`writer` finished) —
   * and nothing failed. A reset after that is how the server closed TCP, not a failure:
   * Autobahn|Python aborts the connection (SO_LINGER 0) as soon as it reads the client's close
   * frame, and ws and undici report that as a clean close without an error too.
   */
  isComplete(writer: SocketWriter | undefined): boolean {
    return this.failure === undefined && this.receivedClose !== undefined && writer?.finished === true;
  }
}

/** What `error` and `close` report of a connection with the given closing handshake, if it had one. */
export function reportClosed(closing: ClosingHandshake | undefined): ClosedReport {
  // §7.1.4: closed cleanly when both close frames were exchanged and nothing failed. §7.1.5: the
  // code is the one in the close frame *received* — also when the transport failed after it (a
  // server that resets the connection after its close frame); 1006 only when none arrived,
  // whatever this client sent. (A failure of ours stops parsing, so no frame follows it.)
  const failed = closing?.failure !== undefined;
  const received = closing?.receivedClose;
  // §7.1.4 needs both close frames exchanged: one of ours still queued when a close limit ran
  // out was never sent, even if the server's had arrived.
  const wasClean =
    !failed && received !== undefined && closing?.sentCloseCode !== undefined && !closing.closeFrameUnsent;
  return {
    failed,
    failure: closing?.failure,
    wasClean,
    code: received?.code ?? CloseCode.AbnormalClosure,
    reason: received?.reason ?? '',
    sentCode: closing?.sentCloseCode ?? undefined,
  };
}
