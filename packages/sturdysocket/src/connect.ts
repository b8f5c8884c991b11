import type { AuthLayer } from '@sturdysocket/auth';
import { refuseHandshakeHeaders } from '@sturdysocket/browser';
import { type HeadersInput, headerRecord, type Transport, type TransportCapabilities } from '@sturdysocket/core';
import {
  type CoreReconnectOptions,
  type HandshakeReader,
  type HeartbeatLayer,
  type LifecycleSignals,
  type ProtocolsProvider,
  ReconnectLoop,
  type ReconnectLoopOptions,
  type UrlProvider,
  type WebSocketConstructorLike,
  type WebSocketFactory,
  type WebSocketLike,
} from '@sturdysocket/reconnect';
import { jsonCodec, type MessageCodec, rawCodec, type WireData } from './codec.js';
import { SturdySocket } from './sturdy-socket.js';

/** Options of `connect()`: every layer's, nested by layer. Only `url` is required. */
export interface ConnectOptions<Send = WireData, Receive = unknown, TransportOptions = never> {
  /**
   * Subprotocols to offer, or a function re-run on every attempt that returns them.
   * @default undefined (none)
   */
  protocols?: ProtocolsProvider | undefined;
  /**
   * Extra handshake headers (Node, Deno, Bun). Browsers cannot send headers: there `connect()`
   * throws a `TypeError` rather than dropping them, as it does everywhere for a header name that is
   * not a token, a value with CR, LF or NUL, or a header the handshake owns.
   * @default undefined
   */
  headers?: HeadersInput | undefined;
  /**
   * Options of this runtime's transport: for Node, `@sturdysocket/node`'s `NodeWebSocketOptions`
   * (TLS `ca`, `handshakeTimeoutMs`, `maxPayload`, `perMessageDeflate`, …) minus protocols and
   * headers, which are set above. Other runtimes take none.
   * @default undefined
   */
  transport?: TransportOptions | undefined;
  /**
   * Bring your own WebSocket class (`ws`, `isomorphic-ws`, undici's…) instead of the runtime's:
   * it is called as `new WebSocket(url, protocols, { headers })` where there are headers, with
   * `headers` as a record (`headerRecord`: names in lower case, a repeated name's values joined
   * with `, `, repeated `Cookie` values with `; `, `undefined` values left out).
   * @default undefined (the runtime's transport)
   */
  WebSocket?: WebSocketConstructorLike | undefined;
  /**
   * What the class given as `WebSocket` can do. `ws` and `isomorphic-ws` on Node send headers;
   * a browser's cannot. `handshakeDetails` holds only where a handshake reader reads them: the
   * runtime's (Node, Deno, Bun), or `reconnect.readHandshake` (the browser entry has none).
   * @default { headers: false, ping: false, handshakeDetails: false }
   */
  capabilities?: Partial<TransportCapabilities> | undefined;
  /**
   * Reconnect policy, outbox, timeouts (see `@sturdysocket/reconnect`), and the open gate as a
   * value: `beforeFlush: openGate(async ({ send, nextMessage }) => { … })`, so that an application
   * without one ships none of its code (a bare function is refused with a `TypeError` naming
   * `openGate`). @default DEFAULT_RECONNECT_OPTIONS
   */
  reconnect?: Omit<ReconnectLoopOptions, 'WebSocket' | 'factory' | 'heartbeat'> | undefined;
  /**
   * Dead-peer detection, made by `heartbeat({ intervalMs, timeoutMs, message, isPong, … })` (see
   * `HeartbeatOptions`); `false` turns it off. Passed as a value so that an application without
   * it ships no heartbeat code. Options given as `reconnect.heartbeat` are refused with a
   * `TypeError` naming `heartbeat`.
   * @default the runtime's: `heartbeat()` (protocol pings) on Node, Deno and Bun; none in browsers,
   * whose WebSocket has no protocol ping (give `heartbeat({ message, isPong })` for an application ping).
   * Deno's and Bun's own WebSocket has no protocol ping either: there the default pings only through
   * a class given as `WebSocket` that has `ping()` (`ws`), so give an application ping for dead-peer
   * detection on the native socket.
   * @example connect(url, { heartbeat: heartbeat({ message: 'ping', isPong: (data) => data === 'pong' }) })
   */
  heartbeat?: HeartbeatLayer | false | undefined;
  /**
   * The auth layer: token, carrier and refresh, made by `tokenAuth({ token, carrier, … })` (see
   * `@sturdysocket/auth`). Passed as a value so that an application without auth ships no auth
   * code. A plain options object is refused with a `TypeError` naming `tokenAuth`.
   * @default undefined (no auth)
   * @example connect(url, { auth: tokenAuth({ token: () => getToken(), carrier: 'subprotocol' }) })
   */
  auth?: AuthLayer | undefined;
  /**
   * How application values become messages: `'json'`, `'raw'` (strings and bytes as they are),
   * or your own `{ encode, decode }` (its `binaryType`, if any, sets the socket's). Messages are
   * decoded only while a `message` listener or a `messages()` loop exists, so only then is one
   * that cannot be decoded reported (a `CodecError` on `error`).
   * @default 'raw'
   */
  codec?: 'json' | 'raw' | MessageCodec<Send, Receive> | undefined;
  /**
   * The environment's lifecycle signals (online/offline, page visibility, back-forward cache).
   * In browsers and workers they are on by default; `false` turns them off.
   * @default the runtime's signals (none on Node, Deno, Bun)
   */
  lifecycle?: LifecycleSignals | false | undefined;
}

/** What a runtime entry supplies to `connect()`. */
export interface RuntimeBinding<TransportOptions> {
  /** This runtime's transport, configured with the caller's transport options. */
  transport(options: TransportOptions | undefined): Transport<WebSocketLike>;
  /**
   * Throws a `TypeError` for headers that a header-capable transport refuses (names that are not
   * tokens, values with CR/LF/NUL, the handshake's own headers), so that `connect()` refuses them
   * at once. Transports without the `headers` capability refuse any header there.
   */
  checkHeaders?: ((headers: HeadersInput | undefined) => void) | undefined;
  /** This runtime's lifecycle signals, if it has any. */
  lifecycle?: (() => LifecycleSignals | undefined) | undefined;
  /** The heartbeat a connection gets when `connect()` is given none, if any. */
  heartbeat?: (() => HeartbeatLayer) | undefined;
  /**
   * How this runtime reads a refused handshake from a transport's error (`readHandshake`), where
   * it can see one; a browser cannot, and leaves it out of its bundle.
   */
  readHandshake?: HandshakeReader | undefined;
}

const NO_CAPABILITIES: TransportCapabilities = { headers: false, ping: false, handshakeDetails: false };

/** Wraps a user-supplied WebSocket class as a transport. */
export function transportFromConstructor(
  WebSocket: WebSocketConstructorLike,
  capabilities: Partial<TransportCapabilities> = {},
): Transport<WebSocketLike> {
  const resolved = { ...NO_CAPABILITIES, ...capabilities };
  const Constructor = WebSocket as unknown as new (
    url: string,
    protocols?: string[],
    options?: unknown,
  ) => WebSocketLike;
  return {
    capabilities: resolved,
    createWebSocket(url, { protocols = [], headers: input } = {}) {
      if (!resolved.headers) refuseHandshakeHeaders(input);
      const offered = typeof protocols === 'string' ? [protocols] : [...protocols];
      if (input === undefined) return new Constructor(String(url), offered);
      // Every header form becomes the record that `ws` and undici read, a repeated name's values
      // joined (RFC 9110 §5.3): given as they are, `ws` sends a pair's index as a header's name,
      // finds nothing in a Map or a Headers, and hands `undefined` values on to be refused.
      return new Constructor(String(url), offered, { headers: headerRecord(input) });
    },
  };
}

function resolveCodec<Send, Receive>(codec: ConnectOptions<Send, Receive>['codec']): MessageCodec<Send, Receive> {
  if (codec === undefined || codec === 'raw') return rawCodec() as unknown as MessageCodec<Send, Receive>;
  if (codec === 'json') return jsonCodec<Send, Receive>();
  if (typeof codec?.encode !== 'function' || typeof codec.decode !== 'function') {
    throw new TypeError("codec must be 'json', 'raw' or an object with encode and decode functions");
  }
  return codec;
}

/**
 * Builds the `connect()` of one runtime. Each runtime entry (`sturdysocket` under the `node`,
 * `browser`, `deno`… conditions) calls it with its transport.
 */
export function createConnect<TransportOptions>(runtime: RuntimeBinding<TransportOptions>) {
  /**
   * Opens a sturdy connection: the runtime's transport (or the `WebSocket` you bring), the
   * reconnect layer, and the auth layer when `auth` is given. Returns at once; the socket
   * connects in the background and queues what you send meanwhile.
   */
  return function connect<Send = WireData, Receive = unknown>(
    url: UrlProvider,
    options: ConnectOptions<Send, Receive, TransportOptions> = {},
  ): SturdySocket<Send, Receive> {
    const { headers, auth } = options;
    const reconnect = options.reconnect ?? {};
    const codec = resolveCodec<Send, Receive>(options.codec);
    const readHandshake = reconnect.readHandshake ?? runtime.readHandshake;
    const transport = options.WebSocket
      ? transportFromConstructor(options.WebSocket, {
          ...options.capabilities,
          // Handshake details are seen only where something reads them: in the browser entry a
          // class you bring gets no reader unless you pass `reconnect.readHandshake`, and the
          // auth layer must then treat it as blind (it drops a token after repeated failures).
          handshakeDetails: options.capabilities?.handshakeDetails === true && readHandshake !== undefined,
        })
      : runtime.transport(options.transport);
    // Headers the transport refuses on every attempt are refused here, once: each attempt's refusal
    // is a provider failure, which the loop would retry for ever.
    if (!transport.capabilities.headers) refuseHandshakeHeaders(headers);
    else runtime.checkHeaders?.(headers);
    const lifecycle = options.lifecycle === false ? undefined : (options.lifecycle ?? runtime.lifecycle?.());
    const layered: Omit<CoreReconnectOptions, 'heartbeat'> = {
      ...reconnect,
      lifecycle: lifecycle ?? reconnect.lifecycle,
      // The JSON codec reads binary messages as bytes, which a Blob is not; so may a codec of yours.
      binaryType: reconnect.binaryType ?? codec.binaryType,
    };
    // Heartbeat options, or the layer, given as `reconnect.heartbeat` (what connect() took before
    // heartbeat() existed) are refused: the heartbeat is connect()'s own option.
    if ((reconnect as { heartbeat?: unknown }).heartbeat !== undefined) {
      throw new TypeError(
        "heartbeat takes the heartbeat layer: { heartbeat: heartbeat({ intervalMs }) }, heartbeat from 'sturdysocket'",
      );
    }
    if (auth && typeof auth.compose !== 'function') {
      throw new TypeError("auth takes the auth layer: { auth: tokenAuth({ token }) }, tokenAuth from 'sturdysocket'");
    }
    const factory: WebSocketFactory = (target, protocols) =>
      transport.createWebSocket(target, { protocols: protocols ?? [], headers });
    const composed = auth ? auth.compose({ ...layered, transport, headers }) : { ...layered, factory };
    const heartbeat = options.heartbeat === false ? undefined : (options.heartbeat ?? runtime.heartbeat?.());
    const loop: ReconnectLoopOptions = { ...composed, readHandshake, heartbeat };
    return new SturdySocket<Send, Receive>(new ReconnectLoop(url, options.protocols, loop), codec);
  };
}
