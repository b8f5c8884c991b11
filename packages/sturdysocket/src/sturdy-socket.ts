import { invokeSafely } from '@sturdysocket/core';
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
 * reported on `error` as a `CodecError` and skipped. The reconnect loop underneath is `raw`, for
 * raw messages and the transport; code that expects the WHATWG interface wants
 * `ReconnectingWebSocket`.
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
    if (event === 'message') return this.#onMessage(listener as (message: Receive) => void);
    const off = this.raw.on(event as never, listener as never);
    if (event !== 'error') return off;
    // Decode failures are this layer's; the raw socket reports the rest. Wrapped, so that one
    // function subscribed twice is two subscriptions here too, as it is on the raw socket.
    const onError = (error: unknown): void => (listener as (error: unknown) => void)(error);
    this.#errorListeners.add(onError);
    return () => {
      this.#errorListeners.delete(onError);
      off();
    };
  }

  /** One raw subscription, while there are `message` listeners, decodes each message once for all. */
  #onMessage(subscriber: (message: Receive) => void): () => void {
    // Wrapped, so that one function subscribed twice is two subscriptions (see `on()`).
    const listener = (message: Receive): void => subscriber(message);
    this.#messageListeners.add(listener);
    this.#unsubscribeRawMessages ??= this.raw.on('message', (data: unknown) => {
      let message: Receive;
      try {
        message = this.#codec.decode(data);
      } catch (cause) {
        const error = new CodecError('A message could not be decoded; it was skipped', { cause });
        dispatch(this.#errorListeners, error);
        return;
      }
      dispatch(this.#messageListeners, message);
    });
    return () => {
      this.#messageListeners.delete(listener);
      if (this.#messageListeners.size > 0) return;
      this.#unsubscribeRawMessages?.();
      this.#unsubscribeRawMessages = undefined;
    };
  }
}

/**
 * Calls each of `listeners` with `value` as DOM dispatch does: those added meanwhile wait for the
 * next value, those removed meanwhile are skipped. Each in its own guard, as the raw socket's: one
 * that throws is reported, and the others still get the value.
 */
function dispatch<T>(listeners: Set<(value: T) => void>, value: T): void {
  for (const listener of [...listeners]) if (listeners.has(listener)) invokeSafely(() => listener(value));
}
