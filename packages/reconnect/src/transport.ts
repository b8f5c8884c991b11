import type { MessageData } from './outbox.js';

/**
 * An event as a transport delivers it: a WHATWG `Event`/`MessageEvent`/`CloseEvent`/`ErrorEvent`,
 * or `ws`'s look-alikes. Only these fields are read, each checked before use.
 */
export interface TransportEvent {
  readonly type?: string;
  readonly data?: unknown;
  readonly code?: number;
  readonly reason?: string;
  readonly wasClean?: boolean;
  readonly error?: unknown;
  readonly message?: string;
}

/**
 * The WHATWG `WebSocket` interface, as far as the reconnect layer uses it. Browsers', Deno's and
 * Bun's `WebSocket`, undici's, `ws`, `isomorphic-ws` and `@sturdysocket/node` all fit. Extras are
 * capabilities, discovered by `typeof`: `ping()` (a promise that settles on the pong, as in
 * `@sturdysocket/node`, or `ws`'s `ping()` with a `'pong'` event through `on()`), `terminate()`.
 */
export interface WebSocketLike {
  readonly readyState: number;
  readonly protocol: string;
  readonly extensions: string;
  readonly bufferedAmount: number;
  binaryType: string;
  send(data: MessageData): void;
  close(code?: number, reason?: string): void;
  // biome-ignore lint/suspicious/noExplicitAny: each runtime types its events differently; `TransportEvent` reads them.
  addEventListener(type: 'open' | 'message' | 'error' | 'close', listener: (event: any) => void): void;
}

/** A `WebSocket` constructor: `new WebSocket(url, protocols)` (a third argument is passed through). */
export type WebSocketConstructorLike = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** What a factory learns about the attempt it serves. */
export interface FactoryContext {
  /** 1 for the first attempt of an outage, 2 for the first retry… */
  readonly attempt: number;
  /** What the `transportOptions` provider returned for this attempt, if there is one. */
  readonly transportOptions: unknown;
  /** Aborted when the attempt is abandoned (`close()`, `reconnect()`, connection timeout). */
  readonly signal: AbortSignal;
}

/** Makes the socket for one attempt; may be async (to fetch credentials, pick a server…). */
export type WebSocketFactory = (
  url: string,
  protocols: string[] | undefined,
  context: FactoryContext,
) => WebSocketLike | Promise<WebSocketLike>;

/** The optional extras of a transport, discovered with `typeof`. */
interface TransportExtras {
  ping?: (...args: unknown[]) => unknown;
  terminate?: () => void;
  on?: (event: string, listener: (...args: unknown[]) => void) => unknown;
}

/** Whether the transport has a protocol-level `ping()`. */
export function hasProtocolPing(socket: WebSocketLike): boolean {
  return typeof (socket as TransportExtras).ping === 'function';
}

/**
 * Sends a protocol ping and reports its pong through `onPong`: through the promise `ping()`
 * returns (`@sturdysocket/node`), or through a `'pong'` event (`ws`, registered by
 * `listenForProtocolPongs`). Returns false if the transport cannot ping after all.
 */
export function sendProtocolPing(socket: WebSocketLike, onPong: () => void): boolean {
  const ping = (socket as TransportExtras).ping;
  if (typeof ping !== 'function') return false;
  let result: unknown;
  try {
    result = ping.call(socket);
  } catch {
    return false;
  }
  if (isThenable(result)) result.then(onPong, () => undefined);
  return true;
}

/** Listens for `'pong'` events where the transport emits them (`ws`). */
export function listenForProtocolPongs(socket: WebSocketLike, onPong: () => void): void {
  const on = (socket as TransportExtras).on;
  if (typeof on === 'function') on.call(socket, 'pong', () => onPong());
}

/** Ends a socket: `close()` with the code, then `terminate()` where the transport offers it. */
export function abandonSocket(
  socket: WebSocketLike,
  code: number | undefined,
  reason: string | undefined,
  terminate: boolean,
): void {
  try {
    if (socket.readyState === 0 || code === undefined) socket.close();
    else socket.close(code, reason);
  } catch {
    // A socket that is already closing or closed may throw; it is being dropped either way.
  }
  try {
    // `ws` has one; a WHATWG WebSocket has none, and a transport's own may throw as `close()` may.
    if (terminate) (socket as TransportExtras).terminate?.();
  } catch {
    // Same as above.
  }
}

/** Whether `value` has a `then` method. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** The error an `error` event carries: `event.error` where present (Node, ws), else the event. */
export function errorOfEvent(event: unknown): unknown {
  if (typeof event === 'object' && event !== null && 'error' in event) {
    const error = (event as TransportEvent).error;
    if (error !== undefined && error !== null) return error;
  }
  return event;
}
