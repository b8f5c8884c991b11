import type { LifecycleSignal } from '@sturdysocket/core';
import { type AbandonHow, type Attempt, abandonAttempt, clearAttemptTimer } from './attempt.js';
import { describeFailure, type FailureClose, failureFromClose } from './attempt-failure.js';
import { computeBackoffDelay } from './backoff.js';
import { type AttemptFailure, type AttemptFailureKind, isSyntaxError } from './classifier.js';
import { checkCloseArguments } from './close-arguments.js';
import { ConnectionTimeoutError } from './errors/connection-timeout-error.js';
import { ProviderError, type ProviderName } from './errors/provider-error.js';
import { ReconnectStoppedError } from './errors/reconnect-stopped-error.js';
import { asReportedError, TransportError } from './errors/transport-error.js';
import type { CloseInfo, ReconnectEventMap } from './events.js';
import { GuardedEmitter } from './guarded-emitter.js';
import { type ReconnectLoopOptions, type ResolvedCoreOptions, resolveCoreOptions } from './options.js';
import type { MessageData } from './outbox.js';
import { OutboxDispatcher, SENT, type SendReceipt, type SendStatus } from './outbox-dispatcher.js';
import { normaliseProtocols, type ProtocolsProvider, provide, type UrlProvider } from './providers.js';
import { decideRetry } from './retry-decision.js';
import { assertTransition, type ReconnectState, readyStateOf } from './state-machine.js';
import {
  abandonSocket,
  errorOfEvent,
  isThenable,
  type TransportEvent,
  type WebSocketConstructorLike,
  type WebSocketLike,
} from './transport.js';

/**
 * The reconnect loop: connects through any WebSocket-shaped transport, classifies every failure,
 * backs off and retries, queues what is sent while it is not open, and reports all of it as typed
 * events through `on()`. Optional features come as values (`heartbeat()`, `openGate()`), so an
 * application bundles only what it uses. This is what `connect()` builds on.
 *
 * `ReconnectingWebSocketCore` adds the WHATWG event half (`onmessage`, `addEventListener`, the
 * `CONNECTING`… constants), and `ReconnectingWebSocket` takes every feature as options.
 *
 * `new ReconnectLoop(url, protocols?, options?)`: `url` and `protocols` may be functions, re-run
 * (and awaited) on every attempt. The first attempt starts in a microtask, so listeners added right
 * after construction see it. See the package README for the state machine.
 */
export class ReconnectLoop {
  readonly #options: ResolvedCoreOptions;
  readonly #WebSocket: WebSocketConstructorLike | undefined;
  readonly #url: UrlProvider;
  readonly #protocols: ProtocolsProvider;
  readonly #events = new GuardedEmitter<ReconnectEventMap>();
  readonly #outbox: OutboxDispatcher;
  #state: ReconnectState = 'closed';
  #attempt: Attempt | undefined;
  #failures = 0;
  #outageStartedAt: number | undefined;
  #lastFailure: AttemptFailure | undefined;
  /**
   * The wait before the next attempt (state `waiting`) or the deadline of the closing handshake
   * (state `closing`): the two states exclude each other, so one field holds either.
   */
  #timer: unknown;
  /** Offline (the `offline` signal, or `lifecycle.online === false` at the start): no attempt until `online`. */
  #paused = false;
  /** The page was left (`pagehide`): no attempt until `pageshow` brings it back. */
  #hidden = false;
  /**
   * When a wait the decision asked for (`Retry-After`, a classifier's `delayMs`) ends, on the
   * clock; `undefined` for a backoff wait, which a lifecycle signal may cut short.
   */
  #waitUntil: number | undefined;
  #unsubscribeLifecycle: (() => void) | undefined;
  #lastUrl = '';
  #binaryType: string | undefined;
  /** Bumped by every change a user callback could make mid-dispatch; callers compare it after emitting. */
  #epoch = 0;

  constructor(url: UrlProvider, protocols?: ProtocolsProvider, options?: ReconnectLoopOptions) {
    this.#options = resolveCoreOptions(options);
    if (this.#options.factory === undefined) {
      const native = this.#options.WebSocket ?? (globalThis as { WebSocket?: unknown }).WebSocket;
      if (typeof native !== 'function') {
        throw new TypeError(
          "No global WebSocket: pass options.WebSocket (from '@sturdysocket/node' or 'ws') or options.factory",
        );
      }
      this.#WebSocket = native as WebSocketConstructorLike;
    }
    if (typeof url !== 'string' && typeof url !== 'function' && !(typeof url === 'object' && url !== null)) {
      throw new TypeError('url must be a string, a URL or a function returning one');
    }
    this.#url = url;
    this.#protocols = protocols;
    if (typeof url !== 'function') this.#lastUrl = String(url);
    this.#binaryType = this.#options.binaryType;
    this.#outbox = new OutboxDispatcher(this.#options.outbox, this.#options.clock, (data, reason) =>
      this.announce('drop', { data, reason }),
    );
    if (!this.#options.startClosed) this.#startLoop(true);
  }

  // ── The WebSocket API, but for its events ──────────────────────────────────────────────────────

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
    let transport = 0;
    try {
      transport = this.#attempt?.socket?.bufferedAmount ?? 0;
    } catch {
      // A transport whose getter throws counts as holding nothing.
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
    const epoch = ++this.#epoch;
    const attempt = this.#attempt;
    const socket = attempt?.socket;
    if (state === 'open' && attempt !== undefined && socket !== undefined) {
      this.#setState('closing');
      // A `closing` listener's reconnect() has moved the loop on: no deadline is left to keep.
      if (epoch !== this.#epoch) return;
      // Its timers go too: the heartbeat, and the wait for the `close` after an `error`, which
      // would otherwise fail the connection from `closing` (and that has no way to `waiting`).
      // A socket already closing is left to finish; its close event comes, or the timer below.
      this.#abandon(attempt, { closeCode: code ?? 1000, closeReason: reason });
      this.#setTimer(
        () => this.#finishUserClose(attempt, { code: 1006, reason: '', wasClean: false }, true),
        this.#options.closeTimeoutMs,
      );
      return;
    }
    if (attempt !== undefined) {
      this.#abandon(attempt, { terminate: true });
      this.#attempt = undefined;
    }
    this.#enterClosed({
      code: code ?? 1000,
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
  reconnect(code = 1000, reason = 'reconnect'): void {
    checkCloseArguments(code, reason);
    const wasClosed = this.#state === 'closed';
    const epoch = ++this.#epoch;
    this.#clearTimer();
    this.#failures = 0;
    this.#outageStartedAt = undefined;
    this.#lastFailure = undefined;
    const attempt = this.#attempt;
    if (attempt !== undefined) {
      this.#attempt = undefined;
      this.#abandon(attempt, { closeCode: code, closeReason: reason });
      if (attempt.openedAt !== undefined) {
        this.#emitClose({
          code,
          reason,
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

  /**
   * Consecutive failed attempts in the current outage (reconnecting-websocket's `retryCount`): 0
   * once a connection has stayed open `retry.minUptimeMs`, which ends the outage.
   */
  get retryCount(): number {
    const openedAt = this.#state === 'open' ? this.#attempt?.openedAt : undefined;
    return openedAt !== undefined && this.now() - openedAt >= this.#options.retry.minUptimeMs ? 0 : this.#failures;
  }

  /** Messages waiting in the outbox. */
  get queuedMessages(): number {
    return this.#outbox.size;
  }

  /** The underlying transport of the current attempt, if one exists (for capabilities and diagnostics). */
  get transport(): WebSocketLike | undefined {
    return this.#attempt?.socket;
  }

  /**
   * Subscribes to a typed lifecycle event; returns the unsubscribe function. Each listener runs in
   * its own guard: one that throws is reported and disturbs neither the others nor the socket.
   */
  on<E extends keyof ReconnectEventMap>(event: E, listener: ReconnectEventMap[E]): () => void {
    return this.#events.on(event, listener);
  }

  /** As `on()`, for the next occurrence only. */
  once<E extends keyof ReconnectEventMap>(event: E, listener: ReconnectEventMap[E]): () => void {
    return this.#events.on(event, listener, true);
  }

  /** Removes a listener added with `on()` or `once()`. */
  off<E extends keyof ReconnectEventMap>(event: E, listener: ReconnectEventMap[E]): void {
    this.#events.off(event, listener);
  }

  /** How many listeners are registered through `on()` and `once()`, for one event or all. */
  listenerCount(event?: keyof ReconnectEventMap): number {
    return this.#events.count(event);
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
    this.#clearTimer();
    this.#waitUntil = undefined;
    const attempt: Attempt = { number: this.#failures + 1, controller: new AbortController(), url: this.#lastUrl };
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
    this.announce('connecting', { attempt: attempt.number });
    if (this.#attempt === attempt) void this.#prepare(attempt);
  }

  /** Runs the providers and the factory, then attaches to the socket (RFC 6455 §4.1 starts there). */
  async #prepare(attempt: Attempt): Promise<void> {
    const factory = this.#options.factory;
    let step: ProviderName = 'url';
    /** Inside the synchronous call of the factory or the constructor. */
    let constructing = false;
    let socket: WebSocketLike;
    try {
      const url = String(await provide(this.#url));
      if (this.#attempt !== attempt) return;
      step = 'protocols';
      const protocols = normaliseProtocols(await provide(this.#protocols));
      if (this.#attempt !== attempt) return;
      step = 'transportOptions';
      const transportOptions = await provide(this.#options.transportOptions);
      if (this.#attempt !== attempt) return;
      attempt.url = url;
      this.#lastUrl = url;
      step = 'factory';
      constructing = true;
      if (factory !== undefined) {
        const made = factory(url, protocols, {
          attempt: attempt.number,
          transportOptions,
          signal: attempt.controller.signal,
        });
        constructing = false;
        socket = isThenable(made) ? await made : made;
      } else {
        const Constructor = this.#WebSocket as new (...args: unknown[]) => WebSocketLike;
        socket =
          transportOptions === undefined
            ? new Constructor(url, protocols)
            : new Constructor(url, protocols, transportOptions);
      }
    } catch (error) {
      // The transport's own constructor failing is a transport failure, and so is a SyntaxError a
      // factory throws as it is called (the WebSocket it makes refused the URL or protocols, which
      // retrying cannot fix), or a TransportError it throws or rejects with to say the transport
      // refused (the auth layer's async factory): then the failure is the transport's own error.
      // Everything else is a provider's: an async factory may have parsed something of its own.
      const failure =
        error instanceof TransportError && step === 'factory'
          ? this.#failure(attempt, 'transport', error.cause)
          : constructing && (factory === undefined || isSyntaxError(error))
            ? this.#failure(attempt, 'transport', error)
            : this.#failure(attempt, 'provider', new ProviderError(step, error));
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
    this.#options.readHandshake?.watch?.(socket);
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
    const gate = beforeFlush.open(socket, attempt.number, attempt.url, attempt.controller.signal);
    attempt.gate = gate;
    gate.run((error) => {
      if (this.#attempt !== attempt || this.#state !== 'connecting') return;
      if (error === undefined) {
        // The transport failed meanwhile: its `close`, or the wait for it, ends the attempt.
        if (!attempt.errorReported) this.#markOpen(attempt, socket);
        return;
      }
      const code = error.closeCode;
      const failure = this.#failure(attempt, 'open-gate', error, { code });
      this.#failAttempt(attempt, failure, { closeCode: code, closeReason: 'beforeFlush rejected' });
    });
  }

  #markOpen(attempt: Attempt, socket: WebSocketLike): void {
    clearAttemptTimer(attempt, this.#options.clock);
    attempt.openedAt = this.now();
    const held = attempt.gate?.end(new Error('beforeFlush has finished')) ?? [];
    attempt.gate = undefined;
    this.#setState('open');
    // A `state` listener may have called close() or reconnect(): a heartbeat started now would
    // outlive the connection (and fail it from `closing`, which has no way to `waiting`).
    if (this.#attempt !== attempt || this.#state !== 'open') return;
    this.#startHeartbeat(attempt, socket);
    const flushed = this.#outbox.flush(socket);
    // A transport that fails the connection inside send() has had the loop move on already.
    if (this.#attempt !== attempt || this.#state !== 'open') return;
    const epoch = this.#epoch;
    this.announce('open', {
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
    const heartbeat = attempt.heartbeat;
    heartbeat?.activity();
    if (heartbeat?.consumes(data)) return;
    this.announce('message', data);
  }

  #onTransportError(attempt: Attempt, event: TransportEvent): void {
    const error = errorOfEvent(event);
    // After a first `error`, the wait for the `close` runs already.
    const waiting = attempt.errorReported;
    attempt.error = error;
    attempt.errorReported = true;
    this.#reportError(error);
    if (this.#attempt !== attempt) return;
    // WHATWG "fail the WebSocket connection": `error`, then `close`. Some transports never send
    // the `close` (undici in Node 22, when the peer resets during the handshake), so the `error`
    // must be enough. Before open it ends the attempt at once (the close would only say 1006);
    // after open the close event carries the code, so wait for it, at most `closeTimeoutMs`.
    if (!attempt.transportOpen) {
      this.#failAttempt(attempt, this.#closeFailure(attempt, {}), {});
      return;
    }
    if (waiting || this.#state === 'closing') return;
    // While `beforeFlush` runs, the wait takes the connection timeout's place.
    clearAttemptTimer(attempt, this.#options.clock);
    attempt.timer = this.#options.clock.setTimeout(() => {
      attempt.timer = undefined;
      // The error that began the wait, not a later one the dying socket reported meanwhile.
      this.#failAttempt(attempt, this.#closeFailure(attempt, {}, error), { terminate: true });
    }, this.#options.closeTimeoutMs);
  }

  #onTransportClose(attempt: Attempt, event: TransportEvent): void {
    const failure = this.#closeFailure(attempt, event);
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
    return describeFailure(kind, error, close, attempt.openedAt, this.now(), this.#options.readHandshake);
  }

  /**
   * Builds the record of the failure a `close` event (or `{}` for one that never came) reports for
   * `attempt`, with `error` (by default the last the transport reported) as its cause.
   */
  #closeFailure(attempt: Attempt, event: TransportEvent, error = attempt.error): AttemptFailure {
    const opened = attempt.transportOpen === true;
    return failureFromClose(event, error, opened, attempt.openedAt, this.now(), this.#options.readHandshake);
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
    const before = this.#epoch;
    const { decision, context, stopReason } = decideRetry(
      {
        attempt: this.#failures,
        elapsedMs: now - this.#outageStartedAt,
        failure,
        previousFailure: this.#lastFailure,
      },
      options.retry,
      (error) => this.#reportError(error),
    );
    // The classifier is user code (the auth layer's `onEvent` observer runs in it too): a close()
    // or reconnect() it made has decided for this failure.
    if (before !== this.#epoch) return;
    this.#lastFailure = failure;
    const epoch = ++this.#epoch;
    const stopping = stopReason !== undefined;
    const closeInfo: CloseInfo = {
      code: failure.code ?? 1006,
      reason: failure.closeReason,
      wasClean: failure.wasClean,
      willReconnect: !stopping,
      failure,
    };
    const delayMs = stopping
      ? 0
      : (decision.delayMs ?? computeBackoffDelay(this.#failures, options.backoff, options.random));
    if (!stopping) {
      // Set first: a `state` listener's reconnect() inside #wait() starts an attempt that clears it.
      this.#waitUntil = decision.delayMs === undefined ? undefined : now + delayMs;
      this.#wait(delayMs);
    }
    this.announce('failure', { failure, decision, context });
    if (epoch !== this.#epoch) return;
    // A stop's own error (the auth layer's) explains more than the failure's; either is reported once.
    const unreported =
      stopping && decision.error !== undefined ? decision.error : attempt.errorReported ? undefined : failure.error;
    if (unreported !== undefined) this.#reportError(unreported);
    if (epoch !== this.#epoch) return;
    if (stopping) {
      this.#enterClosed(closeInfo, new ReconnectStoppedError(stopReason, failure, decision));
      return;
    }
    this.#emitClose(closeInfo);
    if (epoch !== this.#epoch) return;
    this.announce('reconnecting', { attempt: this.#failures, delayMs, failure, decision, paused: this.#held() });
  }

  #wait(delayMs: number): void {
    // The timer is set before the state changes, so that a `state` listener's close() or
    // reconnect() clears it instead of leaving it behind.
    this.#clearTimer();
    if (!this.#held()) {
      this.#setTimer(() => {
        if (this.#state === 'waiting') this.#beginAttempt();
      }, delayMs);
    }
    this.#setState('waiting');
  }

  #finishUserClose(
    attempt: Attempt,
    close: { code: number; reason: string; wasClean: boolean },
    timedOut: boolean,
  ): void {
    this.#clearTimer();
    if (this.#attempt === attempt) {
      this.#attempt = undefined;
      this.#abandon(attempt, { terminate: timedOut });
    }
    this.#enterClosed({ ...close, willReconnect: false, failure: undefined });
  }

  /** The loop ends: nothing may be left behind — no timer, no socket, no global listener. */
  #enterClosed(close: CloseInfo, stopError?: ReconnectStoppedError): void {
    // Queued messages go with the loop; what a listener below sends belongs to whatever it starts.
    const dropQueued = this.#outbox.detach('closed');
    const epoch = ++this.#epoch;
    this.#clearTimer();
    this.#unsubscribeLifecycle?.();
    this.#unsubscribeLifecycle = undefined;
    this.#paused = false;
    this.#hidden = false;
    this.#setState('closed');
    // A listener that restarted the loop (reconnect()) has made the stop's news stale: the loop is
    // not closed for good. The `state` change, or the `failure` before it, told of the stop.
    if (stopError !== undefined && epoch === this.#epoch) this.#reportError(stopError);
    if (epoch === this.#epoch) this.#emitClose({ ...close, willReconnect: false });
    dropQueued();
  }

  #abandon(attempt: Attempt, how: AbandonHow): void {
    abandonAttempt(attempt, how, this.#options.clock);
  }

  #onLifecycle(signal: LifecycleSignal): void {
    const state = this.#state;
    if (state === 'closed') return;
    if (signal === 'offline' || signal === 'online') {
      this.#paused = signal === 'offline';
      if (state !== 'waiting') return;
      if (this.#paused) this.#clearTimer();
      else if (!this.#hidden) this.#retryEarly();
    } else if (signal === 'pagehide') {
      if (state !== 'closing') this.#suspend();
    } else if (signal === 'visible' || signal === 'pageshow' || signal === 'resume') {
      // Only pageshow ends what pagehide began (visible and resume come first on the way back).
      if (signal === 'pageshow') this.#hidden = false;
      if (state === 'waiting' && !this.#held()) this.#retryEarly();
      else if (state === 'open') this.#attempt?.heartbeat?.checkNow();
    }
  }

  /**
   * The page is being left, into the back-forward cache or for good. No socket survives that
   * cache: some browsers keep a page with an open WebSocket out of it, and Chromium drops the
   * connection as the page enters and reports the close only after `pageshow`, when the loop would
   * take it for a failure and back off. So the connection is closed now (1000, 'pagehide': a
   * browser's close() takes no 1001) and the loop waits, without a timer, for the `pageshow` that
   * brings the page back. The outbox keeps what is queued.
   */
  #suspend(): void {
    this.#hidden = true;
    const attempt = this.#attempt;
    const epoch = ++this.#epoch;
    this.#attempt = undefined;
    if (attempt !== undefined) this.#abandon(attempt, { closeCode: 1000, closeReason: 'pagehide' });
    this.#wait(0);
    if (attempt?.openedAt !== undefined && epoch === this.#epoch) {
      this.#emitClose({ code: 1000, reason: 'pagehide', wasClean: true, willReconnect: true, failure: undefined });
    }
  }

  /** Whether a lifecycle signal holds attempts back (offline, or the page left). */
  #held(): boolean {
    return this.#paused || this.#hidden;
  }

  /**
   * The network or the page is back: a backoff wait ends now. A wait the server asked for
   * (`Retry-After`) or the classifier set is waited out to its end, as told.
   */
  #retryEarly(): void {
    const until = this.#waitUntil;
    if (until === undefined) this.#beginAttempt();
    else this.#wait(until - this.now());
  }

  // ── Heartbeat ────────────────────────────────────────────────────────────────────────────────

  #startHeartbeat(attempt: Attempt, socket: WebSocketLike): void {
    attempt.heartbeat = this.#options.heartbeat?.start(socket, this.#options.clock, {
      onTimeout: (error) => {
        const code = error.closeCode;
        const closeReason = 'heartbeat timeout';
        const failure = this.#failure(attempt, 'heartbeat-timeout', error, { code, closeReason });
        this.#failAttempt(attempt, failure, { closeCode: code, closeReason, terminate: true });
      },
      onPong: (rttMs) => this.announce('pong', rttMs),
    });
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

  /** The clock's time, for timestamps. */
  protected now(): number {
    return this.#options.clock.now();
  }

  #openSocket(): WebSocketLike | undefined {
    return this.#state === 'open' || this.#state === 'closing' ? this.#attempt?.socket : undefined;
  }

  #setState(to: ReconnectState): void {
    const from = this.#state;
    if (from === to && to !== 'connecting') return;
    assertTransition(from, to);
    this.#state = to;
    if (from !== to) this.announce('state', { from, to });
  }

  /** Arms `#timer`. A callback whose timer is no longer the one held (another replaced it) does nothing. */
  #setTimer(callback: () => void, delayMs: number): void {
    const timer = this.#options.clock.setTimeout(() => {
      if (this.#timer !== timer) return;
      this.#timer = undefined;
      callback();
    }, delayMs);
    this.#timer = timer;
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #emitClose(info: CloseInfo): void {
    this.announce('close', info);
  }

  #reportError(error: unknown): void {
    this.announce('error', asReportedError(error));
  }

  /**
   * Emits one event to the `on()` listeners. Every event the loop reports goes through here, so a
   * subclass can tell another audience first (`ReconnectingWebSocketCore` dispatches the WHATWG
   * events). It runs inside the constructor too (the first `state` change), before a subclass's
   * fields exist.
   */
  protected announce<E extends keyof ReconnectEventMap>(event: E, ...args: Parameters<ReconnectEventMap[E]>): void {
    this.#events.emit(event, ...args);
  }
}
