import { isClientCloseCode, type LifecycleSignals } from '@sturdysocket/core';
import type { BackoffPolicy } from './backoff.js';
import type { Classifier, RetryAction } from './classifier.js';
import { type Clock, systemClock } from './clock.js';
import type { HandshakeReader } from './handshake-reader.js';
import type { HeartbeatLayer } from './heartbeat-layer.js';
import type { OpenGateLayer } from './open-gate-layer.js';
import type { MessageData, OverflowPolicy } from './outbox.js';
import type { WebSocketConstructorLike, WebSocketFactory, WebSocketLike } from './transport.js';

/** A value, or a function re-run on every attempt that returns it (possibly asynchronously). */
export type Provider<T> = T | (() => T | Promise<T>);

/** The close codes this package sends. Both are in the application range (4000–4999). */
export const ReconnectCloseCode = {
  /** The heartbeat's pong deadline passed (default of `heartbeat.closeCode`). */
  HeartbeatTimeout: 4000,
  /**
   * The `beforeFlush` hook rejected. Not 4001, which servers commonly send to say "credentials
   * expired" (the auth layer's default `expiredCloseCodes`).
   */
  OpenGateFailed: 4002,
} as const;

/** The `beforeFlush` hook (see `ReconnectOptions.beforeFlush`). */
export type BeforeFlushHook = (context: BeforeFlushContext) => void | Promise<void>;

/** What `beforeFlush` receives: the open transport, before anything queued is sent. */
export interface BeforeFlushContext {
  /** The open transport. Use `send` and `nextMessage` rather than its listeners. */
  readonly socket: WebSocketLike;
  /** 1 for the first attempt of an outage, 2 for the first retry… */
  readonly attempt: number;
  /** The URL this attempt connected to. */
  readonly url: string;
  /** The subprotocol the server chose ('' for none). */
  readonly protocol: string;
  /** Aborted when the attempt is abandoned (timeout, `close()`, `reconnect()`, the connection drops). */
  readonly signal: AbortSignal;
  /** Sends straight to the transport, ahead of the outbox. */
  send(data: MessageData): void;
  /**
   * The next message received since the transport opened that matches `predicate` (all match by
   * default). The message is consumed: the application never sees it. Messages no `nextMessage`
   * consumed are delivered to the application, in order, right after `open`. Rejects when `signal`
   * aborts.
   */
  // biome-ignore lint/suspicious/noExplicitAny: message data is whatever the transport delivers, as in `MessageEvent.data`.
  nextMessage(predicate?: (data: any) => boolean): Promise<any>;
}

/** Options of `ReconnectingWebSocket`. Every field is optional; defaults are in `DEFAULT_RECONNECT_OPTIONS`. */
export interface ReconnectOptions {
  /**
   * The `WebSocket` class to open connections with: `new WebSocket(url, protocols[, transportOptions])`.
   * Ignored when `factory` is given. Pass `@sturdysocket/node`'s `WebSocket` (protocol pings, typed
   * handshake failures), `ws`, `isomorphic-ws`, undici's, or a runtime's native one.
   * @default globalThis.WebSocket; construction throws a TypeError if there is none and no `factory`.
   */
  WebSocket?: WebSocketConstructorLike | undefined;
  /**
   * Makes the socket for each attempt instead of `WebSocket`: `factory(url, protocols, context)`,
   * sync or async. Throwing or rejecting is a `provider` failure, classified like any other, with
   * two exceptions that are `transport` failures: a `SyntaxError` thrown as it is called (the
   * `WebSocket` it makes refused the URL or protocols), and a `TransportError` it throws or
   * rejects with, whose `cause` is the transport's own error (the auth layer wraps its transport
   * call so). A transport's `SyntaxError` stops the loop.
   * @default undefined (use `WebSocket`)
   */
  factory?: WebSocketFactory | undefined;
  /**
   * A third constructor argument (or `context.transportOptions` of `factory`), re-evaluated on every
   * attempt: `ws` client options, `{ headers }` for Deno, Bun and `@sturdysocket/node`. The auth layer
   * uses it to put a fresh token in a header.
   * @default undefined (not passed)
   */
  transportOptions?: Provider<unknown> | undefined;
  /**
   * Reads a refused handshake (reason, HTTP status, headers, `Retry-After`) from the error the
   * transport reported, for the classifier: `readHandshake` knows `@sturdysocket/node`'s
   * `HandshakeError` and, through its `watch` on each new socket, `ws`'s refusals with headers.
   * A browser's `WebSocket` shows no handshake, so `connect()` sets it everywhere but in
   * browsers, whose bundle then carries none of it.
   * @default readHandshake (`ReconnectingWebSocket`, `ReconnectingWebSocketCore`); undefined (`ReconnectLoop`: failures carry no handshake details)
   */
  readHandshake?: HandshakeReader | undefined;
  /**
   * Whether to start in `closed` and wait for `reconnect()`, as reconnecting-websocket's `startClosed`.
   * @default false
   */
  startClosed?: boolean | undefined;
  /**
   * The longest an attempt may take from its start to `open`, in milliseconds: providers, factory,
   * TCP and TLS, the handshake and `beforeFlush` included. Then the attempt is abandoned (its socket
   * closed) and classified as `connection-timeout`. `0` disables (not recommended: a black-holed
   * handshake would then hang until the OS gives up). Since `beforeFlush` counts, this also bounds
   * the auth layer's wait for an answer to its auth message: keep it above `auth.message.timeoutMs`
   * (the auth layer's `onEvent` still names such a cut-off wait `ack-timeout`).
   * @default 10000
   */
  connectionTimeoutMs?: number | undefined;
  /**
   * How long, in milliseconds, to wait for a `close` event that should come: after the user's
   * `close()` on an open connection (then the socket is terminated and the final `close` fires
   * anyway), and after an `error` event on an open connection (then it is failed as 1006 and
   * classified). Some transports (undici in Node 22) fire `error` without the `close` WHATWG
   * promises.
   * @default 5000
   */
  closeTimeoutMs?: number | undefined;
  /** Delay between attempts: exponential with full jitter. */
  backoff?: Partial<BackoffPolicy> | undefined;
  /** When to retry. */
  retry?: RetryOptions | undefined;
  /** Messages sent while the connection is not open. */
  outbox?: OutboxOptions | undefined;
  /** Dead-peer detection. */
  heartbeat?: HeartbeatOptions | undefined;
  /**
   * The environment's lifecycle signals (`@sturdysocket/browser` provides them): `offline` pauses
   * attempts, `online` retries at once, `visible`/`pageshow`/`resume` retry a waiting socket at once
   * or ping an open one. None ever reopens a socket the user closed.
   * @default undefined (no signals)
   */
  lifecycle?: LifecycleSignals | undefined;
  /**
   * Runs after the transport opens and before the outbox flushes and `open` is reported: send an
   * auth message and await its ack, for example. Until it resolves the socket stays `connecting`
   * and `send()` queues. A rejection fails the attempt (kind `open-gate`; the socket is closed with
   * `ReconnectCloseCode.OpenGateFailed`); `connectionTimeoutMs` bounds it.
   * @default undefined (open at once)
   */
  beforeFlush?: BeforeFlushHook | undefined;
  /**
   * `binaryType` for every socket. `undefined` leaves each transport's own default (`blob` in
   * browsers, `nodebuffer` in `ws`, `arraybuffer` in `@sturdysocket/node`).
   * @default undefined
   */
  binaryType?: string | undefined;
  /**
   * reconnecting-websocket's and partysocket's option names, accepted so their constructor calls
   * move over unchanged: `minReconnectionDelay` (→ `backoff.initialDelayMs`), `maxReconnectionDelay`
   * (→ `backoff.maxDelayMs`), `reconnectionDelayGrowFactor` (→ `backoff.factor`), `minUptime`
   * (→ `retry.minUptimeMs`), `connectionTimeout` (→ `connectionTimeoutMs`), `maxRetries`
   * (→ `retry.maxRetries`), `maxEnqueuedMessages` (→ `outbox.maxMessages`); `debug` is ignored. The
   * nested option wins where both are given. Milliseconds throughout. Only the drop-in classes
   * (`ReconnectingWebSocket`, `ReconnectingWebSocketCore`) take them; `ReconnectLoop` and
   * `connect()` refuse them with a `TypeError` naming the nested option.
   * @default undefined
   */
  minReconnectionDelay?: number | undefined;
  /** See `minReconnectionDelay`: alias of `backoff.maxDelayMs`. @default undefined */
  maxReconnectionDelay?: number | undefined;
  /** See `minReconnectionDelay`: alias of `backoff.factor`. @default undefined */
  reconnectionDelayGrowFactor?: number | undefined;
  /** See `minReconnectionDelay`: alias of `retry.minUptimeMs`. @default undefined */
  minUptime?: number | undefined;
  /** See `minReconnectionDelay`: alias of `connectionTimeoutMs`. @default undefined */
  connectionTimeout?: number | undefined;
  /** See `minReconnectionDelay`: alias of `retry.maxRetries`. @default undefined */
  maxRetries?: number | undefined;
  /** See `minReconnectionDelay`: alias of `outbox.maxMessages`. @default undefined */
  maxEnqueuedMessages?: number | undefined;
  /** Accepted for compatibility with reconnecting-websocket and partysocket; ignored. @default undefined */
  debug?: boolean | undefined;
  /** Time source for every timer and timestamp; inject a fake one in tests. @default systemClock */
  clock?: Clock | undefined;
  /** Uniform random numbers in [0, 1) for jitter. @default Math.random */
  random?: (() => number) | undefined;
}

/** `retry` options. */
export interface RetryOptions {
  /**
   * The most consecutive failed attempts before the loop stops (with `ReconnectStoppedError`,
   * `stopReason: 'max-retries'`). The first connection counts like any other attempt. `Infinity`
   * never gives up.
   * @default Infinity
   */
  maxRetries?: number | undefined;
  /**
   * How long, in milliseconds, a connection must stay open before the failure count (and so the
   * backoff) resets. A server that accepts and drops at once keeps backing off.
   * @default 5000
   */
  minUptimeMs?: number | undefined;
  /**
   * Decides per failure: `retry`, `stop` or `refresh-auth`, optionally with a `delayMs` that
   * replaces the backoff. Receives the attempt number, elapsed time, the failure and the previous
   * one, and `defaultDecision` to fall back on. A classifier that throws is treated as `stop`.
   * @default defaultClassifier
   */
  classify?: Classifier | undefined;
  /**
   * Actions for particular application close codes (4000–4999), e.g. `{ 4403: 'stop', 4401: 'refresh-auth' }`.
   * @default {}
   */
  applicationCloseCodes?: Readonly<Record<number, RetryAction>> | undefined;
  /**
   * The action for application close codes not in `applicationCloseCodes`.
   * @default 'retry'
   */
  applicationCloseCodeDefault?: RetryAction | undefined;
  /**
   * The longest `Retry-After` honoured, in milliseconds; a longer one is capped to this.
   * @default 300000
   */
  maxRetryAfterMs?: number | undefined;
}

/** `outbox` options. */
export interface OutboxOptions {
  /** The most messages queued while not open. `0` disables queueing (every such send is dropped). @default 1000 */
  maxMessages?: number | undefined;
  /** The most bytes queued (strings counted in UTF-8). @default 1048576 (1 MiB) */
  maxBytes?: number | undefined;
  /**
   * When a message would exceed a limit: `drop-oldest` evicts the oldest queued messages,
   * `drop-newest` refuses the new one (`send()` returns `'dropped'`), `reject` throws
   * `OutboxFullError` from `send()`. Every drop emits a `drop` event and rejects its receipt.
   * @default 'drop-oldest'
   */
  overflow?: OverflowPolicy | undefined;
  /**
   * How long a message may wait in the outbox, in milliseconds, before it is dropped as `expired`.
   * @default undefined (no limit)
   */
  ttlMs?: number | undefined;
}

/** `heartbeat` options. */
export interface HeartbeatOptions {
  /**
   * `auto`: protocol pings where the transport has `ping()`, else the application ping described
   * by `message` and `isPong`, else none. `protocol`: protocol pings only (none on a transport
   * without `ping()`); `application`: the application ping only (needs `message`); `off`: none.
   * @default 'auto'
   */
  mode?: 'auto' | 'protocol' | 'application' | 'off' | undefined;
  /** Milliseconds without incoming traffic before a ping. @default 30000 */
  intervalMs?: number | undefined;
  /** Milliseconds to wait for the pong (or any traffic) before the connection is declared dead. @default 10000 */
  timeoutMs?: number | undefined;
  /** The application ping to send, or a function making one per ping. @default undefined */
  message?: MessageData | (() => MessageData) | undefined;
  /**
   * Recognises the application pong. Matching messages are consumed (the application never sees
   * them). Any incoming message proves liveness, pong or not.
   * @default undefined
   */
  // biome-ignore lint/suspicious/noExplicitAny: message data is whatever the transport delivers.
  isPong?: ((data: any) => boolean) | undefined;
  /** The close code sent when the pong deadline passes. @default 4000 (`ReconnectCloseCode.HeartbeatTimeout`) */
  closeCode?: number | undefined;
}

/** Every option with its default filled in. */
export interface ResolvedReconnectOptions {
  readonly WebSocket: WebSocketConstructorLike | undefined;
  readonly factory: WebSocketFactory | undefined;
  readonly transportOptions: Provider<unknown> | undefined;
  readonly readHandshake: HandshakeReader | undefined;
  readonly startClosed: boolean;
  readonly connectionTimeoutMs: number;
  readonly closeTimeoutMs: number;
  readonly backoff: BackoffPolicy;
  readonly retry: {
    readonly maxRetries: number;
    readonly minUptimeMs: number;
    readonly classify: Classifier | undefined;
    readonly applicationCloseCodes: Readonly<Record<number, RetryAction>>;
    readonly applicationCloseCodeDefault: RetryAction;
    readonly maxRetryAfterMs: number;
  };
  readonly outbox: {
    readonly maxMessages: number;
    readonly maxBytes: number;
    readonly overflow: OverflowPolicy;
    readonly ttlMs: number | undefined;
  };
  readonly heartbeat: {
    readonly mode: 'auto' | 'protocol' | 'application' | 'off';
    readonly intervalMs: number;
    readonly timeoutMs: number;
    readonly message: MessageData | (() => MessageData) | undefined;
    // biome-ignore lint/suspicious/noExplicitAny: see HeartbeatOptions.isPong.
    readonly isPong: ((data: any) => boolean) | undefined;
    readonly closeCode: number;
  };
  readonly lifecycle: LifecycleSignals | undefined;
  readonly beforeFlush: BeforeFlushHook | undefined;
  readonly binaryType: string | undefined;
  readonly clock: Clock;
  readonly random: () => number;
}

/** The defaults, in one place. */
export const DEFAULT_RECONNECT_OPTIONS = {
  startClosed: false,
  connectionTimeoutMs: 10_000,
  closeTimeoutMs: 5_000,
  backoff: { initialDelayMs: 1_000, maxDelayMs: 30_000, factor: 2, jitter: 'full' },
  retry: {
    maxRetries: Infinity,
    minUptimeMs: 5_000,
    applicationCloseCodes: {},
    applicationCloseCodeDefault: 'retry',
    maxRetryAfterMs: 300_000,
  },
  outbox: { maxMessages: 1_000, maxBytes: 1_048_576, overflow: 'drop-oldest', ttlMs: undefined },
  // closeCode: ReconnectCloseCode.HeartbeatTimeout, written as its number so that a bundle which
  // never starts a heartbeat need not carry the map (options.test.ts holds them together).
  heartbeat: { mode: 'auto', intervalMs: 30_000, timeoutMs: 10_000, closeCode: 4_000 },
  clock: systemClock,
  random: Math.random,
} as const satisfies Omit<
  ResolvedReconnectOptions,
  | 'WebSocket'
  | 'factory'
  | 'transportOptions'
  | 'readHandshake'
  | 'lifecycle'
  | 'beforeFlush'
  | 'binaryType'
  | 'retry'
  | 'heartbeat'
  | 'outbox'
> & {
  retry: Omit<ResolvedReconnectOptions['retry'], 'classify'>;
  heartbeat: Omit<ResolvedReconnectOptions['heartbeat'], 'message' | 'isPong'>;
  outbox: ResolvedReconnectOptions['outbox'];
};

/**
 * How each option is checked: a number is the least value allowed (`0` for durations and counts),
 * a list the values allowed, `'function'` a function, `'any'` unchecked; an object is a nested
 * group. The order is the order of the checks.
 */
type Check = number | readonly string[] | 'function' | 'any';
interface Rules {
  readonly [option: string]: Check | Rules;
}

const RULES: Rules = {
  startClosed: 'any',
  connectionTimeoutMs: 0,
  closeTimeoutMs: 0,
  backoff: { initialDelayMs: 0, maxDelayMs: 0, factor: 1, jitter: ['full', 'none'] },
  retry: {
    maxRetries: 0,
    minUptimeMs: 0,
    classify: 'function',
    applicationCloseCodes: 'any',
    applicationCloseCodeDefault: ['retry', 'stop', 'refresh-auth'],
    maxRetryAfterMs: 0,
  },
  outbox: { maxMessages: 0, maxBytes: 0, overflow: ['drop-oldest', 'drop-newest', 'reject'], ttlMs: 0 },
  lifecycle: 'any',
  beforeFlush: 'any',
  binaryType: 'any',
  clock: 'any',
  random: 'function',
  WebSocket: 'any',
  factory: 'any',
  transportOptions: 'any',
  readHandshake: 'function',
};

const HEARTBEAT_RULES: Rules = {
  mode: ['auto', 'protocol', 'application', 'off'],
  intervalMs: 0,
  timeoutMs: 0,
  message: 'any',
  isPong: 'function',
  closeCode: 'any',
};

/** Fills in defaults and checks every value; a bad one throws a `TypeError` or `RangeError` naming it. */
export function resolveReconnectOptions(options: ReconnectOptions = {}): ResolvedReconnectOptions {
  options = fromLegacyNames(options);
  const { beforeFlush } = options;
  const resolved = { ...resolveCoreOptions({ ...options, heartbeat: undefined, beforeFlush: undefined }), beforeFlush };
  if (beforeFlush !== undefined) check('beforeFlush', beforeFlush, 'function');
  return { ...resolved, heartbeat: resolveHeartbeatOptions(options.heartbeat) };
}

/**
 * The options `ReconnectingWebSocketCore` takes: `ReconnectOptions` with the heartbeat and the
 * open gate as values (`heartbeat()`, `openGate()`), so that a socket without them ships none of
 * their code.
 */
export interface CoreReconnectOptions extends Omit<ReconnectOptions, 'heartbeat' | 'beforeFlush'> {
  /**
   * Dead-peer detection, made by `heartbeat({ intervalMs, timeoutMs, message, … })`.
   * @default undefined (no heartbeat)
   */
  heartbeat?: HeartbeatLayer | undefined;
  /**
   * The open gate, made by `openGate(async (context) => { … })` from the hook described at
   * `ReconnectOptions.beforeFlush`.
   * @default undefined (open at once)
   */
  beforeFlush?: OpenGateLayer | undefined;
}

/** `ResolvedReconnectOptions` with the heartbeat and the open gate as values. */
export type ResolvedCoreOptions = Omit<ResolvedReconnectOptions, 'heartbeat' | 'beforeFlush'> & {
  readonly heartbeat: HeartbeatLayer | undefined;
  readonly beforeFlush: OpenGateLayer | undefined;
};

/** reconnecting-websocket's and partysocket's option names (see `ReconnectOptions.minReconnectionDelay`). */
export type LegacyOptionName =
  | 'minReconnectionDelay'
  | 'maxReconnectionDelay'
  | 'reconnectionDelayGrowFactor'
  | 'minUptime'
  | 'connectionTimeout'
  | 'maxRetries'
  | 'maxEnqueuedMessages'
  | 'debug';

/** The options `ReconnectLoop` takes: `CoreReconnectOptions` without the old names. */
export type ReconnectLoopOptions = Omit<CoreReconnectOptions, LegacyOptionName>;

/** Where each of reconnecting-websocket's and partysocket's option names lives here (`debug` has no place). */
const LEGACY_NAMES: Readonly<Record<Exclude<LegacyOptionName, 'debug'>, string>> = {
  minReconnectionDelay: 'backoff.initialDelayMs',
  maxReconnectionDelay: 'backoff.maxDelayMs',
  reconnectionDelayGrowFactor: 'backoff.factor',
  minUptime: 'retry.minUptimeMs',
  connectionTimeout: 'connectionTimeoutMs',
  maxRetries: 'retry.maxRetries',
  maxEnqueuedMessages: 'outbox.maxMessages',
};

/**
 * `options` with reconnecting-websocket's and partysocket's option names moved onto ours (and
 * `debug` dropped), the nested option winning where both are given. Only the drop-in classes take
 * the old names (`ReconnectingWebSocketCore`, `ReconnectingWebSocket`); `ReconnectLoop` refuses them.
 */
export function fromLegacyNames<T extends ReconnectOptions | CoreReconnectOptions>(options: T): T {
  const moved: Record<string, unknown> = {
    ...options,
    backoff: { ...options.backoff },
    retry: { ...options.retry },
    outbox: { ...options.outbox },
  };
  for (const [name, place] of Object.entries(LEGACY_NAMES)) {
    const value = moved[name];
    delete moved[name];
    const [group, field] = place.includes('.') ? place.split('.') : ['', place];
    const target = (group ? moved[group as string] : moved) as Record<string, unknown>;
    target[field as string] ??= value;
  }
  delete moved.debug;
  return moved as unknown as T;
}

/** `resolveReconnectOptions` without the heartbeat's options: the heartbeat layer comes as it is. */
export function resolveCoreOptions(options: ReconnectLoopOptions = {}): ResolvedCoreOptions {
  // An old name here (from JavaScript, or an object typed loosely) would otherwise do nothing.
  for (const [name, place] of Object.entries(LEGACY_NAMES)) {
    if ((options as Group)[name] !== undefined) {
      throw new TypeError(`${name} is reconnecting-websocket's name for ${place}, which is what this takes`);
    }
  }
  // RULES and HEARTBEAT_RULES mirror ResolvedReconnectOptions field for field; options.test.ts
  // holds them together.
  const resolved = resolveGroup(
    '',
    RULES,
    options as Group,
    DEFAULT_RECONNECT_OPTIONS,
  ) as unknown as ResolvedCoreOptions;
  if (resolved.backoff.maxDelayMs < resolved.backoff.initialDelayMs) {
    throw new RangeError('backoff.maxDelayMs must be at least backoff.initialDelayMs');
  }
  const heartbeat = options.heartbeat;
  if (heartbeat !== undefined && !isHeartbeatLayer(heartbeat)) {
    throw new TypeError(
      "heartbeat takes the heartbeat layer: { heartbeat: heartbeat({ intervalMs }) }, heartbeat from 'sturdysocket'",
    );
  }
  const beforeFlush = options.beforeFlush;
  if (beforeFlush !== undefined && !isOpenGateLayer(beforeFlush)) {
    throw new TypeError(
      "beforeFlush takes the open gate: { beforeFlush: openGate(hook) }, openGate from 'sturdysocket'",
    );
  }
  return { ...resolved, heartbeat, beforeFlush };
}

/** Whether `value` is what `heartbeat()` returns, not its options. */
export function isHeartbeatLayer(value: unknown): value is HeartbeatLayer {
  return typeof (value as Partial<HeartbeatLayer> | undefined)?.start === 'function';
}

/** Whether `value` is what `openGate()` returns, not a bare hook. */
export function isOpenGateLayer(value: unknown): value is OpenGateLayer {
  return typeof (value as Partial<OpenGateLayer> | undefined)?.open === 'function';
}

/** The `heartbeat` options with their defaults, checked (`heartbeat()` and `resolveReconnectOptions`). */
export function resolveHeartbeatOptions(options: HeartbeatOptions = {}): ResolvedReconnectOptions['heartbeat'] {
  const resolved = resolveGroup(
    'heartbeat.',
    HEARTBEAT_RULES,
    options as Group,
    DEFAULT_RECONNECT_OPTIONS.heartbeat,
  ) as unknown as ResolvedReconnectOptions['heartbeat'];
  if (!isClientCloseCode(resolved.closeCode)) {
    throw new RangeError('heartbeat.closeCode must be 1000 or in 3000–4999');
  }
  if (resolved.mode === 'application' && resolved.message === undefined) {
    throw new TypeError("heartbeat.mode 'application' needs heartbeat.message");
  }
  return resolved;
}

type Group = { readonly [option: string]: unknown };

/** One group of options, checked by `rules`, with `defaults` where a value is missing. */
function resolveGroup(prefix: string, rules: Rules, input: Group, defaults: Group): Group {
  const resolved: Record<string, unknown> = {};
  for (const [option, rule] of Object.entries(rules)) {
    const name = prefix + option;
    const value = input[option];
    const fallback = defaults[option];
    if (typeof rule === 'object' && !Array.isArray(rule)) {
      resolved[option] = resolveGroup(`${name}.`, rule as Rules, (value ?? {}) as Group, (fallback ?? {}) as Group);
    } else if (value === undefined || (value === null && rule === 'any' && fallback !== undefined)) {
      resolved[option] = fallback;
    } else {
      check(name, value, rule as Check);
      resolved[option] = value;
    }
  }
  return resolved;
}

function check(name: string, value: unknown, rule: Check): void {
  if (typeof rule === 'number') {
    if (typeof value !== 'number' || Number.isNaN(value) || value < rule) {
      throw new RangeError(`${name} must be a number ≥ ${rule}, got ${String(value)}`);
    }
  } else if (Array.isArray(rule)) {
    if (!rule.includes(value as string))
      throw new TypeError(`${name} must be one of ${rule.join(', ')}, got ${String(value)}`);
  } else if (rule === 'function' && typeof value !== 'function') {
    throw new TypeError(`${name} must be a function`);
  }
}
