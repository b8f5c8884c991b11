import {
  CloseCode,
  closeReasonByteLength,
  isClientCloseCode,
  MAX_CLOSE_REASON_BYTES,
  SturdySocketError,
} from '@sturdysocket/core';
import EventEmitter from 'eventemitter3';
import { describeFailure, type FailureClose, failureFromClose } from './attempt-failure.js';
import { computeBackoffDelay } from './backoff.js';
import {
  type AttemptFailure,
  type AttemptFailureKind,
  defaultClassifier,
  normaliseDecision,
  type RetryContext,
} from './classifier.js';
import { ConnectionTimeoutError } from './errors/connection-timeout-error.js';
import { HeartbeatTimeoutError } from './errors/heartbeat-timeout-error.js';
import { OpenGateError } from './errors/open-gate-error.js';
import { ProviderError, type ProviderName } from './errors/provider-error.js';
import { ReconnectStoppedError } from './errors/reconnect-stopped-error.js';
import { TransportError } from './errors/transport-error.js';
import { type CloseInfo, invokeSafely, type ReconnectEventMap } from './events.js';
import type { Heartbeat } from './heartbeat.js';
import { startConnectionHeartbeat } from './heartbeat.js';
import type { LifecycleSignal } from './lifecycle.js';
import { createMessageIterator } from './message-iterator.js';
import { matches, OpenGate } from './open-gate.js';
import {
  type Provider,
  ReconnectCloseCode,
  type ReconnectOptions,
  type ResolvedReconnectOptions,
  resolveReconnectOptions,
} from './options.js';
import type { MessageData } from './outbox.js';
import { OutboxDispatcher, SENT, type SendReceipt, type SendStatus } from './outbox-dispatcher.js';
import { assertTransition, type ReconnectState, readyStateOf } from './state-machine.js';
import {
  abandonSocket,
  errorOfEvent,
  isThenable,
  listenForProtocolPongs,
  type TransportEvent,
  type WebSocketConstructorLike,
  type WebSocketLike,
} from './transport.js';
import { WebSocketEventTarget } from './websocket-event-target.js';

/** The URL argument: a value or a provider re-run on every attempt. */
export type UrlProvider = Provider<string | URL>;
/** The protocols argument: a value or a provider re-run on every attempt. */
export type ProtocolsProvider = Provider<string | readonly string[] | undefined>;

/** One connection attempt and, once it opens, its connection. */
interface Attempt {
  readonly number: number;
  readonly controller: AbortController;
  /** The connection timeout until open; after an `error` on an open connection, the wait for its `close`. */
  timer: unknown;
  url: string;
  socket: WebSocketLike | undefined;
  transportOpen: boolean;
  openedAt: number | undefined;
  error: unknown;
  errorReported: boolean;
  gate: OpenGate | undefined;
  heartbeat: Heartbeat | undefined;
  consumesPongs: boolean;
}

interface AbandonHow {
  readonly closeCode?: number;
  readonly closeReason?: string;
  readonly terminate?: boolean;
}

/**
 * A WebSocket that reconnects: the WHATWG `WebSocket` API (drop-in for it, reconnecting-websocket
 * and partysocket), over any WebSocket-shaped transport, plus typed lifecycle events, a bounded
 * outbox, dead-peer detection and a classifier that decides after every failure.
 *
 * `new ReconnectingWebSocket(url, protocols?, options?)`: `url` and `protocols` may be functions,
 * re-run (and awaited) on every attempt. The first attempt starts in a microtask, so listeners
 * added right after construction see it. See the package README for the state machine.
 */
export class ReconnectingWebSocket extends WebSocketEventTarget {
  readonly #options: ResolvedReconnectOptions;
  readonly #WebSocket: WebSocketConstructorLike | undefined;
  readonly #url: UrlProvider;
  readonly #protocols: ProtocolsProvider;
  readonly #emitter = new EventEmitter<ReconnectEventMap>();
  readonly #registrations: Registration[] = [];
  readonly #outbox: OutboxDispatcher;
  #state: ReconnectState = 'closed';
  #attempt: Attempt | undefined;
  #failures = 0;
  #outageStartedAt: number | undefined;
  #lastFailure: AttemptFailure | undefined;
  #waitTimer: unknown;
  #closeTimer: unknown;
  #paused = false;
  #unsubscribeLifecycle: (() => void) | undefined;
  #lastUrl = '';
  #binaryType: string | undefined;
  /** Bumped by every change a user callback could make mid-dispatch; callers compare it after emitting. */
  #epoch = 0;

  constructor(url: UrlProvider, protocols?: ProtocolsProvider, options?: ReconnectOptions) {
    super();
    this.#options = resolveReconnectOptions(options);
    if (this.#options.factory === undefined) {
      const native = this.#options.WebSocket ?? (globalThis as { WebSocket?: unknown }).WebSocket;
      if (typeof native !== 'function') {
        throw new TypeError(
          'ReconnectingWebSocket: this environment has no global WebSocket; pass options.WebSocket ' +
            "(e.g. `WebSocket` from '@sturdysocket/node' or 'ws') or options.factory",
        );
      }
      this.#WebSocket = native as WebSocketConstructorLike;
    }
    if (typeof url !== 'string' && typeof url !== 'function' && !(typeof url === 'object' && url !== null)) {
      throw new TypeError('ReconnectingWebSocket: url must be a string, a URL or a function returning one');
    }
    this.#url = url;
    this.#protocols = protocols;
    if (typeof url !== 'function') this.#lastUrl = String(url);
    this.#binaryType = this.#options.binaryType;
    this.#outbox = new OutboxDispatcher(this.#options.outbox, this.#options.clock, (data, reason) =>
      this.#emit('drop', { data, reason }),
    );
    if (!this.#options.startClosed) this.#startLoop(true);
  }

  // ── WebSocket API ────────────────────────────────────────────────────────────────────────────

  /** `CONNECTING` while connecting or waiting, `OPEN`, `CLOSING` after `close()`, `CLOSED` when the loop ended. */
  get readyState(): 0 | 1 | 2 | 3 {
    return readyStateOf(this.#state);
  }

  /** The URL of the current or last attempt (the provider's last answer). */
  get url(): string {
    return this.#lastUrl;
  }

  /** The subprotocol of the open connection; '' otherwise. */
  get protocol(): string {
    return this.#openSocket()?.protocol ?? '';
  }

  /** The extensions of the open connection; '' otherwise. */
  get extensions(): string {
    return this.#openSocket()?.extensions ?? '';
  }

  /** The transport's unsent bytes plus the bytes waiting in the outbox. */
  get bufferedAmount(): number {
    const socket = this.#attempt?.socket;
    let transport = 0;
    try {
      transport = socket?.bufferedAmount ?? 0;
    } catch {
      transport = 0;
    }
    return transport + this.#outbox.bytes;
  }

  /** Applied to every socket; reads the current socket's value when never set. */
  get binaryType(): string {
    return this.#binaryType ?? this.#attempt?.socket?.binaryType ?? 'blob';
  }

  set binaryType(value: string) {
    this.#binaryType = value;
    const socket = this.#attempt?.socket;
    if (socket) {
      try {
        socket.binaryType = value;
      } catch {
        // The transport refused the value; it keeps its own.
      }
    }
  }

  /**
   * Sends `data` if the connection is open, else queues it in the outbox (bounded, see
   * `outbox` options). Returns what happened; a dropped message also emits `drop`. Throws
   * `OutboxFullError` when the outbox is full and `outbox.overflow` is `reject`.
   */
  send(data: MessageData): SendStatus {
    return this.#send(data).status;
  }

  /** As `send()`, with a `delivered` promise for code that wants to await the flush. */
  sendWithReceipt(data: MessageData): SendReceipt {
    return this.#send(data);
  }

  /**
   * Ends the loop, from any state: the attempt, its socket and every timer are disposed of; an
   * open connection gets a closing handshake (bounded by `closeTimeoutMs`); queued messages are
   * dropped (`drop` events, reason `closed`). `reconnect()` starts it again. Throws as
   * `WebSocket.close()` does for a code other than 1000 or 3000–4999, or a reason over 123 bytes.
   */
  close(code?: number, reason?: string): void {
    checkCloseArguments(code, reason);
    const state = this.#state;
    if (state === 'closed' || state === 'closing') return;
    this.#epoch++;
    const attempt = this.#attempt;
    const socket = attempt?.socket;
    if (state === 'open' && attempt !== undefined && socket !== undefined) {
      this.#setState('closing');
      attempt.heartbeat?.stop();
      try {
        socket.close(code ?? CloseCode.Normal, reason);
      } catch {
        // Already closing: its close event still comes, or the timer below ends the wait.
      }
      this.#closeTimer = this.#options.clock.setTimeout(() => {
        this.#closeTimer = undefined;
        if (this.#attempt === attempt)
          this.#finishUserClose(attempt, { code: 1006, reason: '', wasClean: false }, true);
      }, this.#options.closeTimeoutMs);
      return;
    }
    if (attempt !== undefined) {
      this.#abandon(attempt, { terminate: true });
      this.#attempt = undefined;
    }
    this.#enterClosed({
      code: code ?? CloseCode.Normal,
      reason: reason ?? '',
      wasClean: socket === undefined,
      willReconnect: false,
      failure: undefined,
    });
  }

  /**
   * Forces a fresh attempt now, from any state (also `closed`, which restarts the loop): an open
   * connection is closed with `code` (default 1000) and `reason` (default 'reconnect'), a running
   * attempt or wait is abandoned, and the failure count resets.
   */
  reconnect(code?: number, reason?: string): void {
    checkCloseArguments(code, reason);
    const wasClosed = this.#state === 'closed';
    const epoch = ++this.#epoch;
    this.#clearTimer('wait');
    this.#clearTimer('close');
    this.#failures = 0;
    this.#outageStartedAt = undefined;
    this.#lastFailure = undefined;
    const attempt = this.#attempt;
    if (attempt !== undefined) {
      this.#attempt = undefined;
      this.#abandon(attempt, { closeCode: code ?? CloseCode.Normal, closeReason: reason ?? 'reconnect' });
      if (attempt.openedAt !== undefined) {
        this.#emitClose({
          code: code ?? CloseCode.Normal,
          reason: reason ?? 'reconnect',
          wasClean: true,
          willReconnect: true,
          failure: undefined,
        });
        if (epoch !== this.#epoch) return;
      }
    }
    if (wasClosed) this.#startLoop(false);
    else this.#beginAttempt();
  }

  // ── Beyond WebSocket ─────────────────────────────────────────────────────────────────────────

  /** The state machine's state. */
  get state(): ReconnectState {
    return this.#state;
  }

  /** Consecutive failed attempts in the current outage (reconnecting-websocket's `retryCount`). */
  get retryCount(): number {
    return this.#failures;
  }

  /** Messages waiting in the outbox. */
  get queuedMessages(): number {
    return this.#outbox.size;
  }

  /** The underlying transport of the current attempt, if one exists (for capabilities and diagnostics). */
  get transport(): WebSocketLike | undefined {
    return this.#attempt?.socket;
  }

  /** Subscribes to a typed lifecycle event; returns the unsubscribe function. */
  on<E extends keyof ReconnectEventMap>(event: E, listener: ReconnectEventMap[E]): () => void {
    return this.#subscribe(event, listener, false);
  }

  /** As `on()`, for the next occurrence only. */
  once<E extends keyof ReconnectEventMap>(event: E, listener: ReconnectEventMap[E]): () => void {
    return this.#subscribe(event, listener, true);
  }

  /** Removes a listener added with `on()` or `once()`. */
  off<E extends keyof ReconnectEventMap>(event: E, listener: ReconnectEventMap[E]): void {
    const registration = this.#registrations.find((entry) => entry.event === event && entry.listener === listener);
    if (registration) this.#unsubscribe(registration);
  }

  /**
   * Each listener runs in its own guard, so one that throws (reported as the platform reports
   * uncaught errors) neither skips the listeners after it nor disturbs the socket's state.
   */
  #subscribe(event: keyof ReconnectEventMap, listener: unknown, once: boolean): () => void {
    const registration: Registration = {
      event,
      listener,
      guarded: (...args: unknown[]) => {
        if (once) this.#unsubscribe(registration);
        invokeSafely(() => (listener as (...rest: unknown[]) => void)(...args));
      },
    };
    this.#registrations.push(registration);
    this.#emitter.on(event, registration.guarded as never);
    return () => this.#unsubscribe(registration);
  }

  #unsubscribe(registration: Registration): void {
    const index = this.#registrations.indexOf(registration);
    if (index === -1) return;
    this.#registrations.splice(index, 1);
    this.#emitter.off(registration.event, registration.guarded as never);
  }

  /** How many listeners are registered, through `on()` and `addEventListener()` together. */
  listenerCount(event?: keyof ReconnectEventMap): number {
    if (event !== undefined) return this.#emitter.listenerCount(event) + this.eventListenerCount(event);
    let total = this.eventListenerCount();
    for (const name of this.#emitter.eventNames()) total += this.#emitter.listenerCount(name);
    return total;
  }

  /** `for await (const data of socket)`: every message from now until the loop ends. */
  // biome-ignore lint/suspicious/noExplicitAny: message data as the transport delivers it.
  [Symbol.asyncIterator](): AsyncIterableIterator<any> {
    return createMessageIterator((push, end) => {
      if (this.#state === 'closed') {
        end();
        return () => undefined;
      }
      const offMessage = this.on('message', push);
      const offState = this.on('state', ({ to }) => {
        if (to === 'closed') end();
      });
      return () => {
        offMessage();
        offState();
      };
    });
  }

  // ── The loop ─────────────────────────────────────────────────────────────────────────────────

  /** Starts the loop: from the constructor (`deferred`), or from `reconnect()` (`forced`: even offline). */
  #startLoop(deferred: boolean): void {
    const lifecycle = this.#options.lifecycle;
    if (lifecycle !== undefined && this.#unsubscribeLifecycle === undefined) {
      this.#unsubscribeLifecycle = lifecycle.subscribe((signal) => this.#onLifecycle(signal));
    }
    this.#paused = lifecycle?.online === false;
    if (this.#paused && deferred) {
      this.#setState('waiting');
      return;
    }
    if (!deferred) {
      this.#beginAttempt();
      return;
    }
    // Start in a microtask so listeners added right after `new` see the first attempt.
    this.#setState('connecting');
    const epoch = this.#epoch;
    queueMicrotask(() => {
      if (this.#epoch === epoch && this.#state === 'connecting' && this.#attempt === undefined) this.#beginAttempt();
    });
  }

  #beginAttempt(): void {
    this.#clearTimer('wait');
    const attempt: Attempt = {
      number: this.#failures + 1,
      controller: new AbortController(),
      timer: undefined,
      url: this.#lastUrl,
      socket: undefined,
      transportOpen: false,
      openedAt: undefined,
      error: undefined,
      errorReported: false,
      gate: undefined,
      heartbeat: undefined,
      consumesPongs: false,
    };
    this.#attempt = attempt;
    this.#setState('connecting');
    // A `state` listener may have called close() or reconnect() already.
    if (this.#attempt !== attempt) return;
    const timeoutMs = this.#options.connectionTimeoutMs;
    if (timeoutMs > 0) {
      attempt.timer = this.#options.clock.setTimeout(() => {
        attempt.timer = undefined;
        this.#failAttempt(
          attempt,
          this.#failure(attempt, 'connection-timeout', new ConnectionTimeoutError(timeoutMs)),
          {
            terminate: true,
          },
        );
      }, timeoutMs);
    }
    this.#emit('connecting', { attempt: attempt.number });
    if (this.#attempt === attempt) void this.#prepare(attempt);
  }

  /** Runs the providers and the factory, then attaches to the socket (RFC 6455 §4.1 starts there). */
  async #prepare(attempt: Attempt): Promise<void> {
    const resolved: { url: string; protocols: string[] | undefined; transportOptions: unknown } = {
      url: '',
      protocols: undefined,
      transportOptions: undefined,
    };
    const steps: Array<[ProviderName, () => Promise<void>]> = [
      [
        'url',
        async () => {
          resolved.url = String(await provide(this.#url));
        },
      ],
      [
        'protocols',
        async () => {
          resolved.protocols = normaliseProtocols(await provide(this.#protocols));
        },
      ],
      [
        'transportOptions',
        async () => {
          resolved.transportOptions = await provide(this.#options.transportOptions);
        },
      ],
    ];
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (error) {
        this.#failAttempt(attempt, this.#failure(attempt, 'provider', new ProviderError(name, error)), {});
        return;
      }
      if (this.#attempt !== attempt) return;
    }
    const url = resolved.url;
    attempt.url = url;
    this.#lastUrl = url;
    let socket: WebSocketLike;
    const factory = this.#options.factory;
    try {
      if (factory !== undefined) {
        const made = factory(url, resolved.protocols, {
          attempt: attempt.number,
          transportOptions: resolved.transportOptions,
          signal: attempt.controller.signal,
        });
        socket = isThenable(made) ? await made : made;
      } else {
        const Constructor = this.#WebSocket as new (...args: unknown[]) => WebSocketLike;
        socket =
          resolved.transportOptions === undefined
            ? new Constructor(url, resolved.protocols)
            : new Constructor(url, resolved.protocols, resolved.transportOptions);
      }
    } catch (error) {
      const failure =
        factory !== undefined
          ? this.#failure(attempt, 'provider', new ProviderError('factory', error))
          : this.#failure(attempt, 'transport', error);
      this.#failAttempt(attempt, failure, {});
      return;
    }
    if (this.#attempt !== attempt) {
      abandonSocket(socket, undefined, undefined, true);
      return;
    }
    this.#attach(attempt, socket);
  }

  #attach(attempt: Attempt, socket: WebSocketLike): void {
    attempt.socket = socket;
    const current = (): boolean => this.#attempt === attempt && attempt.socket === socket;
    if (this.#binaryType !== undefined) {
      try {
        socket.binaryType = this.#binaryType;
      } catch {
        // Keep the transport's own.
      }
    }
    // Listeners stay on an abandoned socket (guarded by `current`): a transport such as `ws`
    // throws on an `error` event nobody listens to, and an abandoned socket may still emit one.
    socket.addEventListener('open', () => {
      if (current() && !attempt.transportOpen) this.#onTransportOpen(attempt, socket);
    });
    socket.addEventListener('message', (event: TransportEvent) => {
      if (current()) this.#onTransportMessage(attempt, event.data);
    });
    socket.addEventListener('error', (event: TransportEvent) => {
      if (current()) this.#onTransportError(attempt, event);
    });
    socket.addEventListener('close', (event: TransportEvent) => {
      if (current()) this.#onTransportClose(attempt, event);
    });
    listenForProtocolPongs(socket, () => {
      if (current()) attempt.heartbeat?.pong();
    });
    if (socket.readyState === 1) {
      queueMicrotask(() => {
        if (current() && !attempt.transportOpen) this.#onTransportOpen(attempt, socket);
      });
    }
  }

  #onTransportOpen(attempt: Attempt, socket: WebSocketLike): void {
    attempt.transportOpen = true;
    const beforeFlush = this.#options.beforeFlush;
    if (beforeFlush === undefined) {
      this.#markOpen(attempt, socket);
      return;
    }
    const gate = new OpenGate(socket, attempt.number, attempt.url, attempt.controller.signal);
    attempt.gate = gate;
    const onRejected = (error: unknown): void => {
      if (this.#attempt !== attempt || this.#state !== 'connecting') return;
      const code = ReconnectCloseCode.OpenGateFailed;
      const failure = this.#failure(attempt, 'open-gate', new OpenGateError(code, error), { code });
      this.#failAttempt(attempt, failure, { closeCode: code, closeReason: 'beforeFlush rejected' });
    };
    let result: void | Promise<void>;
    try {
      result = beforeFlush(gate.context);
    } catch (error) {
      onRejected(error);
      return;
    }
    Promise.resolve(result).then(() => {
      if (this.#attempt === attempt && this.#state === 'connecting') this.#markOpen(attempt, socket);
    }, onRejected);
  }

  #markOpen(attempt: Attempt, socket: WebSocketLike): void {
    this.#clearAttemptTimer(attempt);
    attempt.openedAt = this.#options.clock.now();
    const held = attempt.gate?.end(new Error('beforeFlush has finished')) ?? [];
    attempt.gate = undefined;
    this.#setState('open');
    this.#startHeartbeat(attempt, socket);
    const flushed = this.#outbox.flush(socket);
    const epoch = this.#epoch;
    this.dispatchWebSocketEvent({ type: 'open' }, this.#options.clock.now());
    this.#emit('open', {
      attempt: attempt.number,
      url: attempt.url,
      protocol: socket.protocol ?? '',
      extensions: socket.extensions ?? '',
      flushed,
    });
    for (const data of held) {
      if (this.#epoch !== epoch || this.#attempt !== attempt) return;
      this.#deliver(attempt, data);
    }
  }

  // biome-ignore lint/suspicious/noExplicitAny: message data as the transport delivers it.
  #onTransportMessage(attempt: Attempt, data: any): void {
    if (attempt.gate !== undefined) {
      attempt.gate.offer(data);
      return;
    }
    if (attempt.openedAt === undefined) return;
    this.#deliver(attempt, data);
  }

  // biome-ignore lint/suspicious/noExplicitAny: as above.
  #deliver(attempt: Attempt, data: any): void {
    attempt.heartbeat?.activity();
    const isPong = this.#options.heartbeat.isPong;
    if (attempt.consumesPongs && isPong !== undefined && matches(isPong, data)) return;
    this.dispatchWebSocketEvent({ type: 'message', data, origin: '', lastEventId: '' }, this.#options.clock.now());
    this.#emit('message', data);
  }

  #onTransportError(attempt: Attempt, event: TransportEvent): void {
    const error = errorOfEvent(event);
    attempt.error = error;
    attempt.errorReported = true;
    this.#reportError(error);
    if (this.#attempt !== attempt) return;
    // WHATWG "fail the WebSocket connection": `error`, then `close`. Some transports never send
    // the `close` (undici in Node 22, when the peer resets during the handshake), so the `error`
    // must be enough. Before open it ends the attempt at once (the close would only say 1006);
    // after open the close event carries the code, so wait for it, at most `closeTimeoutMs`.
    if (!attempt.transportOpen) {
      const failure = failureFromClose({}, error, false, undefined, this.#options.clock.now());
      this.#failAttempt(attempt, failure, {});
      return;
    }
    if (attempt.timer !== undefined || this.#state === 'closing') return;
    attempt.timer = this.#options.clock.setTimeout(() => {
      attempt.timer = undefined;
      const failure = failureFromClose({}, error, true, attempt.openedAt, this.#options.clock.now());
      this.#failAttempt(attempt, failure, { terminate: true });
    }, this.#options.closeTimeoutMs);
  }

  #onTransportClose(attempt: Attempt, event: TransportEvent): void {
    const now = this.#options.clock.now();
    const failure = failureFromClose(event, attempt.error, attempt.transportOpen, attempt.openedAt, now);
    if (this.#state === 'closing') {
      this.#finishUserClose(
        attempt,
        { code: failure.code ?? 1006, reason: failure.closeReason, wasClean: failure.wasClean },
        false,
      );
      return;
    }
    this.#failAttempt(attempt, failure, {});
  }

  /** Builds the record of a failure of `attempt` found locally (not from a close event). */
  #failure(attempt: Attempt, kind: AttemptFailureKind, error: unknown, close: FailureClose = {}): AttemptFailure {
    return describeFailure(kind, error, close, attempt.openedAt, this.#options.clock.now());
  }

  /** The attempt (or its connection) failed: classify, then wait and retry, or stop. */
  #failAttempt(attempt: Attempt, failure: AttemptFailure, how: AbandonHow): void {
    if (this.#attempt !== attempt) return;
    this.#attempt = undefined;
    this.#abandon(attempt, how);
    const options = this.#options;
    const now = options.clock.now();
    if (attempt.openedAt !== undefined && now - attempt.openedAt >= options.retry.minUptimeMs) {
      this.#failures = 0;
      this.#outageStartedAt = undefined;
      this.#lastFailure = undefined;
    }
    this.#failures += 1;
    this.#outageStartedAt ??= failure.at;
    const defaultDecision = defaultClassifier({ failure }, options.retry);
    const context: RetryContext = {
      attempt: this.#failures,
      elapsedMs: now - this.#outageStartedAt,
      failure,
      previousFailure: this.#lastFailure,
      maxRetries: options.retry.maxRetries,
      defaultDecision,
    };
    this.#lastFailure = failure;
    let decision = defaultDecision;
    const classify = options.retry.classify;
    if (classify !== undefined) {
      try {
        decision = normaliseDecision(classify(context), defaultDecision.reason);
      } catch (error) {
        this.#reportError(error);
        decision = { action: 'stop', reason: 'the classifier threw' };
      }
    }
    let stopReason: 'classified' | 'max-retries' | undefined;
    if (decision.action === 'stop') stopReason = 'classified';
    else if (this.#failures > options.retry.maxRetries) {
      stopReason = 'max-retries';
      decision = { action: 'stop', reason: decision.reason };
    }
    const epoch = ++this.#epoch;
    const closeInfo: CloseInfo = {
      code: failure.code ?? CloseCode.AbnormalClosure,
      reason: failure.closeReason,
      wasClean: failure.wasClean,
      willReconnect: stopReason === undefined,
      failure,
    };
    if (stopReason !== undefined) {
      this.#emit('failure', { failure, decision, context });
      if (epoch !== this.#epoch) return;
      if (decision.error !== undefined) this.#reportError(decision.error);
      else if (!attempt.errorReported && failure.error !== undefined) this.#reportError(failure.error);
      if (epoch !== this.#epoch) return;
      this.#enterClosed(closeInfo, new ReconnectStoppedError(stopReason, failure, decision));
      return;
    }
    const delayMs = decision.delayMs ?? computeBackoffDelay(this.#failures, options.backoff, options.random);
    this.#wait(delayMs);
    this.#emit('failure', { failure, decision, context });
    if (epoch !== this.#epoch) return;
    if (!attempt.errorReported && failure.error !== undefined) this.#reportError(failure.error);
    if (epoch !== this.#epoch) return;
    this.#emitClose(closeInfo);
    if (epoch !== this.#epoch) return;
    this.#emit('reconnecting', { attempt: this.#failures, delayMs, failure, decision, paused: this.#paused });
  }

  #wait(delayMs: number): void {
    this.#setState('waiting');
    this.#clearTimer('wait');
    if (this.#paused) return;
    this.#waitTimer = this.#options.clock.setTimeout(() => {
      this.#waitTimer = undefined;
      if (this.#state === 'waiting') this.#beginAttempt();
    }, delayMs);
  }

  #finishUserClose(
    attempt: Attempt,
    close: { code: number; reason: string; wasClean: boolean },
    timedOut: boolean,
  ): void {
    this.#clearTimer('close');
    if (this.#attempt === attempt) {
      this.#attempt = undefined;
      this.#abandon(attempt, { terminate: timedOut });
    }
    this.#enterClosed({ ...close, willReconnect: false, failure: undefined });
  }

  /** The loop ends: nothing may be left behind — no timer, no socket, no global listener. */
  #enterClosed(close: CloseInfo, stopError?: ReconnectStoppedError): void {
    this.#epoch++;
    this.#clearTimer('wait');
    this.#clearTimer('close');
    this.#unsubscribeLifecycle?.();
    this.#unsubscribeLifecycle = undefined;
    this.#paused = false;
    this.#setState('closed');
    if (stopError !== undefined) this.#reportError(stopError);
    this.#emitClose({ ...close, willReconnect: false });
    this.#outbox.dropAll('closed');
  }

  /** Disposes of an attempt: its timer, heartbeat, `beforeFlush` and socket. */
  #abandon(attempt: Attempt, how: AbandonHow): void {
    this.#clearAttemptTimer(attempt);
    attempt.heartbeat?.stop();
    attempt.heartbeat = undefined;
    attempt.gate?.end(new Error('The attempt was abandoned'));
    attempt.gate = undefined;
    if (!attempt.controller.signal.aborted) attempt.controller.abort();
    const socket = attempt.socket;
    if (socket !== undefined && socket.readyState < 2) {
      abandonSocket(socket, how.closeCode, how.closeReason, how.terminate === true);
    } else if (socket !== undefined && how.terminate === true) {
      abandonSocket(socket, undefined, undefined, true);
    }
  }

  #onLifecycle(signal: LifecycleSignal): void {
    if (this.#state === 'closed') return;
    switch (signal) {
      case 'offline':
        this.#paused = true;
        if (this.#state === 'waiting') this.#clearTimer('wait');
        return;
      case 'online':
        this.#paused = false;
        if (this.#state === 'waiting') this.#beginAttempt();
        return;
      case 'visible':
      case 'pageshow':
      case 'resume':
        if (this.#state === 'waiting' && !this.#paused) this.#beginAttempt();
        else if (this.#state === 'open') this.#attempt?.heartbeat?.checkNow();
        return;
      default:
        return;
    }
  }

  // ── Heartbeat ────────────────────────────────────────────────────────────────────────────────

  #startHeartbeat(attempt: Attempt, socket: WebSocketLike): void {
    const options = this.#options.heartbeat;
    const started = startConnectionHeartbeat(socket, options, this.#options.clock, {
      onTimeout: () => {
        const code = options.closeCode;
        const error = new HeartbeatTimeoutError(options.timeoutMs, code);
        const failure = this.#failure(attempt, 'heartbeat-timeout', error, { code, closeReason: 'heartbeat timeout' });
        this.#failAttempt(attempt, failure, { closeCode: code, closeReason: 'heartbeat timeout', terminate: true });
      },
      onPong: (rttMs) => this.#emit('pong', rttMs),
    });
    attempt.heartbeat = started?.heartbeat;
    attempt.consumesPongs = started?.application === true;
  }

  // ── Outbox ───────────────────────────────────────────────────────────────────────────────────

  #send(data: MessageData): SendReceipt {
    const socket = this.#openSocket();
    // A transport that is no longer OPEN discards what it is given without a word (WHATWG
    // `send()` while CLOSING; `ws` likewise), so such a message is queued for the next connection.
    if (this.#state === 'open' && socket !== undefined && socket.readyState === 1 && this.#outbox.size === 0) {
      try {
        socket.send(data);
        return SENT;
      } catch (error) {
        // A transport that is still open refused the data itself: the caller's mistake, as with WebSocket.
        if (socket.readyState === 1) throw error;
      }
    }
    if (this.#state === 'closed' || this.#state === 'closing') return this.#outbox.refuse(data, 'closed');
    return this.#outbox.queue(data);
  }

  // ── Plumbing ─────────────────────────────────────────────────────────────────────────────────

  #openSocket(): WebSocketLike | undefined {
    return this.#state === 'open' || this.#state === 'closing' ? this.#attempt?.socket : undefined;
  }

  #setState(to: ReconnectState): void {
    const from = this.#state;
    if (from === to && to !== 'connecting') return;
    assertTransition(from, to);
    this.#state = to;
    if (from !== to) this.#emit('state', { from, to });
  }

  #clearAttemptTimer(attempt: Attempt): void {
    if (attempt.timer !== undefined) this.#options.clock.clearTimeout(attempt.timer);
    attempt.timer = undefined;
  }

  #clearTimer(which: 'wait' | 'close'): void {
    const handle = which === 'wait' ? this.#waitTimer : this.#closeTimer;
    if (handle !== undefined) this.#options.clock.clearTimeout(handle);
    if (which === 'wait') this.#waitTimer = undefined;
    else this.#closeTimer = undefined;
  }

  #emit<E extends keyof ReconnectEventMap>(event: E, ...args: Parameters<ReconnectEventMap[E]>): void {
    invokeSafely(() => {
      (this.#emitter.emit as (event: E, ...rest: unknown[]) => boolean)(event, ...args);
    });
  }

  #emitClose(info: CloseInfo): void {
    this.dispatchWebSocketEvent(
      {
        type: 'close',
        code: info.code,
        reason: info.reason,
        wasClean: info.wasClean,
        willReconnect: info.willReconnect,
      },
      this.#options.clock.now(),
    );
    this.#emit('close', info);
  }

  #reportError(error: unknown): void {
    const typed = error instanceof SturdySocketError ? error : new TransportError(messageOf(error), error);
    this.dispatchWebSocketEvent({ type: 'error', error: typed, message: typed.message }, this.#options.clock.now());
    this.#emit('error', typed);
  }
}

/** One `on()`/`once()` subscription and the guarded function registered for it. */
interface Registration {
  readonly event: keyof ReconnectEventMap;
  readonly listener: unknown;
  readonly guarded: (...args: unknown[]) => void;
}

async function provide<T>(provider: Provider<T>): Promise<T> {
  return typeof provider === 'function' ? await (provider as () => T | Promise<T>)() : provider;
}

function normaliseProtocols(value: string | readonly string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? [value] : [...value];
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) {
    const message = (error as TransportEvent).message;
    if (typeof message === 'string' && message !== '') return message;
  }
  return 'The transport reported an error';
}

/** WHATWG WebSockets, `close()` steps 1–2: the code and reason an application may send. */
function checkCloseArguments(code: number | undefined, reason: string | undefined): void {
  if (code !== undefined && !isClientCloseCode(code)) {
    throw new DOMException(`The close code must be 1000 or in 3000–4999, got ${code}`, 'InvalidAccessError');
  }
  if (reason !== undefined && closeReasonByteLength(reason) > MAX_CLOSE_REASON_BYTES) {
    throw new DOMException(`The close reason must be at most ${MAX_CLOSE_REASON_BYTES} UTF-8 bytes`, 'SyntaxError');
  }
}
