import type {
  CloseInfo,
  ConnectingInfo,
  DropInfo,
  FailureInfo,
  OpenInfo,
  ReconnectingInfo,
  ReconnectLoop,
  ReconnectState,
  SendReceipt,
  SendStatus,
  StateChange,
} from '@sturdysocket/reconnect';
import { CodecError, type MessageCodec } from './codec.js';

/** The events of a `SturdySocket`, with decoded messages. */
export interface SturdySocketEvents<Receive> {
  connecting: (info: ConnectingInfo) => void;
  open: (info: OpenInfo) => void;
  message: (message: Receive) => void;
  close: (info: CloseInfo) => void;
  reconnecting: (info: ReconnectingInfo) => void;
  error: (error: unknown) => void;
  state: (change: StateChange) => void;
  failure: (info: FailureInfo) => void;
  drop: (info: DropInfo) => void;
  pong: (rttMs: number) => void;
}

/**
 * What `connect()` returns: the reconnecting socket with typed messages. `send(value)` encodes
 * with the codec and reports what happened (`'sent'`, `'queued'`, `'dropped'`); `message`
 * listeners and `for await` receive decoded values. A message the codec cannot decode is
 * reported on `error` as a `CodecError` and skipped. The WebSocket-compatible socket underneath
 * is `raw`, for code that expects the WHATWG interface.
 */
export class SturdySocket<Send = unknown, Receive = unknown> {
  /**
   * The reconnect loop underneath (`ReconnectLoop`): raw messages, `readyState`, `bufferedAmount`,
   * the current `transport`, and every event through `on()`. It has no `addEventListener` or
   * `on…` handlers; `ReconnectingWebSocket` is the drop-in for `WebSocket`.
   */
  readonly raw: ReconnectLoop;
  readonly #codec: MessageCodec<Send, Receive>;
  readonly #errorListeners = new Set<(error: unknown) => void>();
  readonly #messageListeners = new Set<(message: Receive) => void>();
  #unsubscribeRawMessages: (() => void) | undefined;

  constructor(raw: ReconnectLoop, codec: MessageCodec<Send, Receive>) {
    this.raw = raw;
    this.#codec = codec;
  }

  /** `connecting`, `open`, `closing`, `waiting` (between attempts) or `closed` (only after `close()` or a stop). */
  get state(): ReconnectState {
    return this.raw.state;
  }

  /** The URL of the current or last connection. */
  get url(): string {
    return this.raw.url;
  }

  /** The subprotocol the server chose for the current connection (`''` if none). */
  get protocol(): string {
    return this.raw.protocol;
  }

  /** Messages waiting in the outbox. */
  get queuedMessages(): number {
    return this.raw.queuedMessages;
  }

  /** Encodes and sends `value` now if open, else queues it (see the outbox options). */
  send(value: Send): SendStatus {
    return this.raw.send(this.#codec.encode(value));
  }

  /** As `send`, with a `delivered` promise that settles when the message reaches the transport. */
  sendWithReceipt(value: Send): SendReceipt {
    return this.raw.sendWithReceipt(this.#codec.encode(value));
  }

  /** Closes for good (from any state); only this ends the loop. */
  close(code?: number, reason?: string): void {
    this.raw.close(code, reason);
  }

  /** Drops the current connection (if any) and connects again at once. */
  reconnect(code?: number, reason?: string): void {
    this.raw.reconnect(code, reason);
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends keyof SturdySocketEvents<Receive>>(event: E, listener: SturdySocketEvents<Receive>[E]): () => void {
    if (event === 'error') {
      // Decode failures are this layer's; the raw socket reports the rest.
      const onError = listener as (error: unknown) => void;
      this.#errorListeners.add(onError);
      const off = this.raw.on('error', onError);
      return () => {
        this.#errorListeners.delete(onError);
        off();
      };
    }
    if (event !== 'message') return this.raw.on(event as never, listener as never);
    // One raw subscription decodes each message once for every listener.
    const onMessage = listener as (message: Receive) => void;
    this.#messageListeners.add(onMessage);
    this.#unsubscribeRawMessages ??= this.raw.on('message', (data: unknown) => {
      const decoded = this.#decode(data);
      if (!decoded.ok) return;
      for (const each of [...this.#messageListeners]) each(decoded.value);
    });
    return () => {
      this.#messageListeners.delete(onMessage);
      if (this.#messageListeners.size === 0) {
        this.#unsubscribeRawMessages?.();
        this.#unsubscribeRawMessages = undefined;
      }
    };
  }

  #decode(data: unknown): { ok: true; value: Receive } | { ok: false } {
    try {
      return { ok: true, value: this.#codec.decode(data) };
    } catch (cause) {
      const error = new CodecError('A message could not be decoded; it was skipped', { cause });
      for (const listener of this.#errorListeners) listener(error);
      return { ok: false };
    }
  }
}
