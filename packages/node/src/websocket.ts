import type { Socket } from 'node:net';
import {
  CloseCode,
  checkCloseArguments,
  createHandshakeRequest,
  DEFAULT_PROTOCOL_LIMITS,
  HandshakeError,
  type HandshakeRequest,
  type HeadersInput,
  headerEntries,
  type MessageCodec,
  PERMESSAGE_DEFLATE,
  type PermessageDeflateConfig,
  ProtocolEngine,
  type ProtocolError,
} from '@sturdysocket/core';
import { ClosingHandshake, reportClosed } from './closing-handshake.js';
import { createNodePermessageDeflate, type NodePermessageDeflate } from './deflate/index.js';
import { publishClose, publishControlFrame, publishOpen } from './diagnostics.js';
import { reportListenerError } from './direct-event.js';
import { DirectMessageEvent } from './direct-message-event.js';
import { type BindingCalls, EngineBinding, provideBindingCalls } from './engine-binding.js';
import {
  type ConnectionAttempt,
  type EstablishedConnection,
  establishWebSocketConnection,
} from './establish-connection.js';
import { WebSocketMessageEvent } from './events.js';
import { describeHandshake, type HandshakeInfo, type HandshakeRecord, recordHandshake } from './handshake-info.js';
import { type BinaryType, copyOf, isBinaryType, toMessageData, viewOf } from './inbound-data.js';
import {
  type NodeWebSocketOptions,
  type RetainedNodeWebSocketOptions,
  resolveOptions,
  retainOptions,
} from './options.js';
import { OrderedSends } from './ordered-sends.js';
import { allocatePayload } from './payload-memory.js';
import { PingTracker } from './ping-tracker.js';
import { type RedirectHop, withoutCredentials } from './redirect.js';
import { RedirectEvent } from './redirect-event.js';
import { SocketWriter } from './socket-writer.js';
import { WebSocketEventTarget } from './websocket-event-target.js';

type ReadyState = 0 | 1 | 2 | 3;

// The bits of `WebSocket.#flags`.
/** `readyState`, 0 to 3. */
const READY_STATE = 0b11;
/** `binaryType`, an index in `BINARY_TYPES` (`'blob'`, the default, is 0). */
const BINARY_TYPE = 0b1100;
const BINARY_TYPE_SHIFT = 2;
const BINARY_TYPES: readonly BinaryType[] = ['blob', 'arraybuffer', 'nodebuffer'];
/** A redirect was followed: its request's headers cannot be rebuilt from the options. */
const REDIRECTED = 16;
/** `close` has been fired. */
const CLOSE_FIRED = 32;
/** The engine holds input while a compressed message inflates (RFC 7692). */
const READ_PAUSED = 64;
/** The server's FIN arrived; acted on once the engine has parsed everything before it. */
const PEER_ENDED = 128;

/** The last URL a socket was made for: sockets to the same URL share the string. */
let lastUrl = '';

function sharedUrl(href: string): string {
  if (href !== lastUrl) lastUrl = href;
  return lastUrl;
}

function invalidState(message: string): DOMException {
  return new DOMException(message, 'InvalidStateError');
}

/** Where an open socket keeps its WebSocket, for the listeners every socket shares. */
const OWNER = Symbol('sturdysocket.websocket');
type OwnedSocket = Socket & { [OWNER]?: WebSocket };
interface SocketListeners {
  error(this: Socket, error: Error): void;
  end(this: Socket): void;
  close(this: Socket): void;
}
let socketListeners: SocketListeners | undefined;

/**
 * A WHATWG-compatible `WebSocket` for Node.js, speaking RFC 6455 itself over `node:net` /
 * `node:tls` (https://websockets.spec.whatwg.org/#the-websocket-interface).
 *
 * Beyond WHATWG (each marked "Not in WHATWG" where declared): an options argument, `binaryType`
 * `'nodebuffer'`, `ping()`, `terminate()`, `handshake`, the `error` event's `error`/`message`, and
 * `CloseEvent.sentCode`.
 *
 * Listener errors: events are dispatched through Node's `EventTarget`, which catches an error
 * thrown by a listener, lets the other listeners run, and rethrows it on `process.nextTick` as
 * an uncaught exception — HTML's "report the exception", as undici's WebSocket does. The socket's
 * state is never affected by a throwing listener. (When an `on…` handler is the only listener of
 * its type — always, until the first `addEventListener` — its events skip the dispatch and go to
 * it directly, with the same outcome, errors included: see `DirectEvent`.)
 */
export class WebSocket extends WebSocketEventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  // The WebIDL constants again on the prototype (getters), where fields would cost every socket four.
  get CONNECTING(): 0 {
    return 0;
  }
  get OPEN(): 1 {
    return 1;
  }
  get CLOSING(): 2 {
    return 2;
  }
  get CLOSED(): 3 {
    return 3;
  }

  readonly #url: string;
  /** The URL's origin, for message events; made when the first message arrives. */
  #origin: string | undefined;
  /** The full options until the first request is made; then only what is read later. */
  #options: RetainedNodeWebSocketOptions;
  readonly #deflate: NodePermessageDeflate | undefined;
  /** The handshake in progress; dropped once open (its promise holds the whole connection). */
  #attempt: ConnectionAttempt | undefined;
  /** Made when first needed (a send, a close): an idle connection has nothing to write. */
  #writer: SocketWriter | undefined;
  /** Made by the first `send(Blob)`: only a Blob read can make later operations wait. */
  #sends: OrderedSends | undefined;
  /** Made by the first `ping()`. */
  #pings: PingTracker | undefined;

  /** The subprotocol and `Sec-WebSocket-Extensions` value the server sent; `undefined` while both are `''`. */
  #negotiated: readonly [protocol: string, extensions: string] | undefined;
  /**
   * `handshake` once built; until then (from open) the `Sec-WebSocket-Key` sent, which with
   * `#established` is what it is built from.
   */
  #handshake: HandshakeInfo | string | undefined;
  /** What `handshake` is built from besides the key, kept until it is first read (it is built lazily). */
  #established: HandshakeRecord | undefined;
  #socket: Socket | undefined;
  /**
   * Made when first needed (see `#engineNow`): an idle connection without compression holds no
   * engine, parser or frame state.
   */
  #engine: ProtocolEngine | undefined;
  /** What closing or failing leaves behind; made by the first of them (an open, idle connection has none). */
  #closing: ClosingHandshake | undefined;
  /**
   * When the bytes being parsed were read (`performance.now()`): the `timeStamp` of their
   * messages. `undefined` until the first read: a number from the start would cost every socket
   * a boxed double.
   */
  #receivedAt: number | undefined;
  /**
   * `readyState`, `binaryType` and booleans, a few bits each (a field apiece would cost every
   * socket 8 bytes): see `READY_STATE` and after.
   */
  #flags = 0;

  /** WHATWG `readyState`. */
  get #readyState(): ReadyState {
    return (this.#flags & READY_STATE) as ReadyState;
  }
  set #readyState(value: ReadyState) {
    this.#flags = (this.#flags & ~READY_STATE) | value;
  }
  get #binaryType(): BinaryType {
    return BINARY_TYPES[(this.#flags & BINARY_TYPE) >> BINARY_TYPE_SHIFT] as BinaryType;
  }
  set #binaryType(value: BinaryType) {
    this.#flags = (this.#flags & ~BINARY_TYPE) | (BINARY_TYPES.indexOf(value) << BINARY_TYPE_SHIFT);
  }

  /**
   * WHATWG "new WebSocket(url, protocols)": throws `SyntaxError` (DOMException) for a bad URL,
   * scheme, fragment or subprotocol, `TypeError` for a bad header, `RangeError` for a bad limit.
   * The second argument may be the protocols or (not in WHATWG) an options object.
   */
  constructor(
    url: string | URL,
    protocolsOrOptions?: string | readonly string[] | NodeWebSocketOptions,
    options?: NodeWebSocketOptions,
  ) {
    super();
    const resolved = resolveOptions(protocolsOrOptions, options);
    this.#options = resolved;
    const { perMessageDeflate } = resolved;
    this.#deflate =
      perMessageDeflate === false
        ? undefined
        : createNodePermessageDeflate(perMessageDeflate === true ? {} : perMessageDeflate);
    const request = this.#createRequest(url, resolved.headers);
    this.#options = retainOptions(resolved, request.protocols);
    this.#url = sharedUrl(request.url.href);
    // The extra headers of the hop in progress, as the last redirect listener left them: each hop
    // starts from its predecessor's, so credentials dropped at one hop stay dropped on the ones
    // after it (as fetch's header list does), rather than coming back from the options.
    let hopHeaders: HeadersInput | undefined = resolved.headers;
    this.#attempt = establishWebSocketConnection(request, resolved, (next, stripCredentials, hop) => {
      hopHeaders = this.#redirectHeaders(next, stripCredentials, hop, hopHeaders);
      return this.#createRequest(next, hopHeaders);
    });
    this.#attempt.established.then(
      (connection) => {
        try {
          this.#onEstablished(connection);
        } catch (error) {
          // Binding the engine is not meant to fail; if it does, it is this connection's failure,
          // never an unhandled rejection.
          this.#closingNow().failure ??= error;
          connection.socket.destroy();
          // Before the socket's listeners were attached, no 'close' will report it: report it here.
          if (this.#socket === undefined) this.#onEstablishFailed(error);
        }
      },
      (error: unknown) => this.#onEstablishFailed(error),
    );
  }

  get url(): string {
    return this.#url;
  }

  get readyState(): ReadyState {
    return this.#readyState;
  }

  /** The subprotocol the server selected, or `''`. */
  get protocol(): string {
    return this.#negotiated?.[0] ?? '';
  }

  /** The `Sec-WebSocket-Extensions` value the server sent, or `''`. */
  get extensions(): string {
    return this.#negotiated?.[1] ?? '';
  }

  /** Bytes given to `send()` that have not yet been written to the kernel (WHATWG: never reset by close). */
  get bufferedAmount(): number {
    return this.#writer?.bufferedAmount ?? 0;
  }

  /** `'blob'` (WHATWG default), `'arraybuffer'`, or (not in WHATWG) `'nodebuffer'`. Other values are ignored. */
  get binaryType(): BinaryType {
    return this.#binaryType;
  }

  set binaryType(value: BinaryType) {
    if (isBinaryType(value)) this.#binaryType = value;
  }

  /**
   * Not in WHATWG: the opening handshake performed (key, verified accept, status, headers,
   * negotiated protocol and extensions), with secret request header values redacted.
   * `undefined` until open.
   */
  get handshake(): HandshakeInfo | undefined {
    if (this.#established !== undefined) {
      this.#handshake = describeHandshake(
        this.#established,
        this.#handshake as string,
        this.#options.secretHeaders,
        this.#options.secretProtocols,
        (href, key) => this.#createRequest(href, undefined, key).headers,
      );
      this.#established = undefined;
    }
    return this.#handshake as HandshakeInfo | undefined;
  }

  /**
   * WHATWG `send(data)`. Throws `InvalidStateError` while CONNECTING. While CLOSING or CLOSED it
   * only adds the data's length to `bufferedAmount`, as the spec says. A Blob is read
   * asynchronously; data sent after it waits for it, so messages keep their order.
   */
  send(data: string | ArrayBuffer | ArrayBufferView | Blob): void {
    if (this.#readyState === WebSocket.CONNECTING) {
      throw invalidState('send() was called before the connection opened');
    }
    const open = this.#readyState === WebSocket.OPEN;
    if (typeof data === 'string' || (typeof data !== 'object' && typeof data !== 'function') || data === null) {
      const text = typeof data === 'string' ? data : String(data);
      if (!open || this.#sends?.waiting) {
        const length = Buffer.byteLength(text);
        this.#writerNow().reserve(length);
        if (open) this.#runInOrder(() => this.#sendText(text));
        return;
      }
      this.#writerNow().reserve(this.#sendText(text));
    } else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
      const bytes = viewOf(data);
      this.#writerNow().reserve(bytes.byteLength);
      if (!open) return;
      if (this.#sends?.waiting) {
        // The caller may change its buffer once send() returns; it waits, so it gets a copy.
        const copy = copyOf(bytes);
        this.#sends.run(() => this.#sendBinary(copy));
      } else this.#sendBinary(bytes);
    } else if (data instanceof Blob) {
      this.#writerNow().reserve(data.size);
      if (!open) return;
      this.#sends ??= new OrderedSends();
      this.#sends.runAfterRead(data, (bytes) => {
        if (bytes === undefined) {
          this.#failWebSocketConnection(new Error('Reading a Blob given to send() failed'), CloseCode.InternalError);
        } else this.#sendBinary(bytes);
      });
    } else {
      this.send(String(data));
    }
  }

  /**
   * WHATWG `close(code, reason)`: the arguments converted as WebIDL says (`code` a `[Clamp]
   * unsigned short`, so `3000.5` is 3000; `reason` a string), then `InvalidAccessError` for a code
   * other than 1000 or 3000–4999, `SyntaxError` for a reason over 123 UTF-8 bytes (see core's
   * `checkCloseArguments`). While CONNECTING it fails the connection
   * (`error`, then `close` with 1006); while OPEN it starts the closing handshake after any
   * data still queued behind a Blob.
   */
  close(code?: number, reason?: string): void {
    // The WebIDL conversions ([Clamp] unsigned short, USVString), then steps 1–2.
    [code, reason] = checkCloseArguments(code, reason);
    // Step 3, "close the WebSocket".
    if (this.#readyState === WebSocket.CLOSING || this.#readyState === WebSocket.CLOSED) return;
    if (this.#readyState === WebSocket.CONNECTING) {
      this.#readyState = WebSocket.CLOSING;
      this.#attempt?.cancel(new HandshakeError('aborted', 'close() was called before the connection opened'));
      return;
    }
    this.#readyState = WebSocket.CLOSING;
    // A close frame without a body when no code is given (a reason alone has been given 1000).
    const sentCode = code ?? null;
    this.#runInOrder(() => this.#startClosingHandshake(sentCode, reason ?? ''));
  }

  /**
   * Not in WHATWG: sends a ping (RFC 6455 §5.5.2) and resolves with the round-trip time in
   * milliseconds when its pong arrives. `data` (at most 125 bytes; by default a unique counter)
   * is the ping's payload. Throws `InvalidStateError` while CONNECTING and `RangeError` for a
   * payload over 125 bytes; rejects if the connection closes before the pong (a promise nobody
   * handles does not become an unhandled rejection).
   */
  ping(data?: string | ArrayBuffer | ArrayBufferView): Promise<number> {
    if (this.#readyState === WebSocket.CONNECTING) throw invalidState('ping() was called before the connection opened');
    this.#pings ??= new PingTracker();
    const payload =
      data === undefined
        ? this.#pings.nextPayload()
        : typeof data === 'string'
          ? new Uint8Array(Buffer.from(data))
          : copyOf(viewOf(data));
    if (payload.byteLength > 125) throw new RangeError('A ping payload may hold at most 125 bytes (RFC 6455 §5.5)');
    const engine = this.#readyState === WebSocket.OPEN ? this.#engineNow() : undefined;
    if (engine === undefined) {
      return Promise.reject(invalidState('ping() was called after the closing handshake started'));
    }
    const rtt = this.#pings.expect(payload);
    // A fire-and-forget ping (a heartbeat that ignores the promise) must not become an unhandled
    // rejection, which ends a Node process, when the connection closes before its pong.
    rtt.catch(() => {});
    engine.ping(payload);
    publishControlFrame('ping', { websocket: this, direction: 'sent', payload });
    return rtt;
  }

  /**
   * Not in WHATWG: destroys the connection at once, without a closing handshake. The `close`
   * event follows with code 1006 (`wasClean` false). While CONNECTING it fails the connection
   * like `close()`.
   */
  terminate(): void {
    if (this.#readyState === WebSocket.CLOSED) return;
    if (this.#socket === undefined) {
      this.#readyState = WebSocket.CLOSING;
      this.#attempt?.cancel(new HandshakeError('aborted', 'terminate() was called before the connection opened'));
      return;
    }
    this.#readyState = WebSocket.CLOSING;
    this.#socket.destroy();
  }

  /**
   * The next hop's extra headers: the previous hop's `headers` with credentials dropped where they
   * must not follow, then the `redirect` event, whose listeners may amend them or refuse the hop.
   */
  #redirectHeaders(
    url: URL,
    stripCredentials: boolean,
    hop: RedirectHop,
    headers: HeadersInput | undefined,
  ): Array<[string, string]> {
    const { secretHeaders } = this.#options;
    this.#mark(REDIRECTED);
    const event = new RedirectEvent('redirect', {
      from: hop.from.href,
      to: url.href,
      status: hop.status,
      headers: stripCredentials ? withoutCredentials(headers, secretHeaders) : headerEntries(headers),
    });
    if (this.hasEventListeners()) this.dispatchEvent(event);
    if (event.defaultPrevented) {
      throw new HandshakeError('redirect', `A redirect listener refused the redirect to ${url.origin}`, {
        status: hop.status,
      });
    }
    return event.headers;
  }

  /**
   * The opening handshake for `url` (the constructor's, or a redirect's, with a fresh key; or,
   * given the `key` it was sent with, one made again for `handshake`).
   */
  #createRequest(url: string | URL, headers: HeadersInput | undefined, key?: string): HandshakeRequest {
    return createHandshakeRequest({
      url,
      protocols: this.#options.protocols,
      headers,
      origin: this.#options.origin,
      requireProtocol: this.#options.requireProtocol,
      extensions: this.#deflate === undefined ? [] : [this.#deflate.offer],
      key,
    });
  }

  #closingNow(): ClosingHandshake {
    if (this.#closing === undefined) {
      const websocket = this;
      this.#closing = new ClosingHandshake(this.#options, {
        get writer() {
          return websocket.#writer;
        },
        destroy: () => this.#socket?.destroy(),
      });
    }
    return this.#closing;
  }

  #is(flag: number): boolean {
    return (this.#flags & flag) !== 0;
  }

  #mark(flag: number, on = true): void {
    this.#flags = on ? this.#flags | flag : this.#flags & ~flag;
  }

  /** Runs `operation` now, or after the Blob reads `send()` queued before it. */
  #runInOrder(operation: () => void): void {
    if (this.#sends === undefined) operation();
    else this.#sends.run(operation);
  }

  /** Frames a text message; returns its UTF-8 size. */
  #sendText(text: string): number {
    const engine = this.#engineNow();
    if (engine === undefined || engine.state !== 'open') return Buffer.byteLength(text);
    const size = engine.sendText(text);
    this.#writerNow().messageAccepted(size);
    return size;
  }

  #sendBinary(bytes: Uint8Array): void {
    const engine = this.#engineNow();
    if (engine === undefined || engine.state !== 'open') return;
    this.#writerNow().messageAccepted(engine.sendBinary(bytes));
  }

  /** The writer, made (and given the socket, once there is one) by the first call. */
  #writerNow(): SocketWriter {
    if (this.#writer === undefined) {
      this.#writer = new SocketWriter();
      if (this.#socket !== undefined) this.#writer.attach(this.#socket);
    }
    return this.#writer;
  }

  /**
   * The engine, made by the first call once the connection is open, unless it has closed since
   * (a closed connection has nothing left to frame or parse).
   */
  #engineNow(): ProtocolEngine | undefined {
    if (this.#engine === undefined && this.#socket !== undefined && !this.#is(CLOSE_FIRED))
      this.#createEngine(undefined);
    return this.#engine;
  }

  #createEngine(codec: MessageCodec | undefined): void {
    const { maxPayload } = this.#options;
    this.#engine = new ProtocolEngine(new EngineBinding(this), {
      maxPayload,
      // Input held while a message inflates must fit a whole frame behind it.
      maxPausedInputBytes: Math.max(DEFAULT_PROTOCOL_LIMITS.maxPausedInputBytes, 2 * maxPayload),
      allocate: allocatePayload,
      ...(codec ? { codec } : {}),
    });
  }

  /** WHATWG "establish a WebSocket connection" succeeded: bind the engine and announce it. */
  #onEstablished(connection: EstablishedConnection): void {
    const { socket, result } = connection;
    if (this.#readyState !== WebSocket.CONNECTING) {
      // close() or terminate() raced the last step of the handshake.
      socket.destroy();
      this.#onEstablishFailed(new HandshakeError('aborted', 'The connection was closed before it opened'));
      return;
    }
    // RFC 7692: a codec only when the server agreed to the offer (validated by the handshake).
    const agreed = result.extensions.find((extension) => extension.name === PERMESSAGE_DEFLATE);
    const codec = agreed && this.#deflate?.createCodec(agreed.config as PermessageDeflateConfig);
    provideBindingCalls(WebSocket.#bindingCalls);
    const binding = new EngineBinding(this);
    // A codec's engine now, as the codec exists already; any other when first needed.
    if (codec) this.#createEngine(codec);
    this.#socket = socket;
    this.#listen(socket);

    // WHATWG "When the WebSocket connection is established".
    this.#readyState = WebSocket.OPEN;
    if (result.protocol !== '' || result.extensionsHeader !== '') {
      this.#negotiated = [result.protocol, result.extensionsHeader];
    }
    // Only what `handshake` needs stays: an idle connection holds no more than it must.
    this.#established = recordHandshake(
      connection.request,
      connection,
      !this.#is(REDIRECTED) && this.#options.headers === undefined,
    );
    this.#handshake = connection.request.key;
    this.#attempt = undefined;
    publishOpen({ websocket: this, url: this.#url, protocol: this.protocol, extensions: this.extensions });
    this.fireOpen();
    this.#receiveAfterOpen(connection, binding);
  }

  /**
   * The socket's listeners: the same three functions for every socket (the socket calls them
   * with itself as `this` and they find its WebSocket under `OWNER`), so an open connection
   * carries no closures for them.
   */
  #listen(socket: Socket): void {
    socketListeners ??= WebSocket.#socketListeners();
    (socket as OwnedSocket)[OWNER] = this;
    socket.on('error', socketListeners.error);
    socket.on('end', socketListeners.end);
    socket.on('close', socketListeners.close);
  }

  // A private static method rather than a static block, as for `#bindingCalls`.
  static #socketListeners(): SocketListeners {
    return {
      error(this: Socket, error: Error) {
        // ECONNRESET and the like: the transport failed (RFC 6455 §7.1.7), reported on `error`.
        const websocket = (this as OwnedSocket)[OWNER];
        if (websocket === undefined || websocket.#closing?.isComplete(websocket.#writer) === true) return;
        websocket.#closingNow().failure ??= error;
      },
      end(this: Socket) {
        const websocket = (this as OwnedSocket)[OWNER];
        if (websocket !== undefined) websocket.#onPeerEnd();
      },
      close(this: Socket) {
        const websocket = (this as OwnedSocket)[OWNER];
        if (websocket !== undefined) websocket.#onSocketClose();
      },
    };
  }

  /**
   * Frames that came with the response wait for a later task, as they would in a browser: a
   * listener added after `open` (say, after awaiting it) must not miss them.
   */
  #receiveAfterOpen(connection: EstablishedConnection, binding: EngineBinding): void {
    const { socket, input, rest, peerEnded } = connection;
    setImmediate(() => {
      if (rest.byteLength > 0) this.#receive(rest);
      // The engine reads from here on (the socket has been paused since the response head).
      input.setConsumer(binding);
      if (peerEnded) this.#onPeerEnd();
      else if (!this.#is(READ_PAUSED)) socket.resume();
    });
  }

  /** The handshake failed: `error` with the `HandshakeError`, then `close` with 1006; never opened. */
  #onEstablishFailed(error: unknown): void {
    if (this.#is(CLOSE_FIRED)) return;
    this.#closingNow().failure = error;
    this.#onClosed();
  }

  // The engine is meant never to throw; if it does, nothing of it escapes to the event loop.
  #receive(chunk: Uint8Array): void {
    this.#receivedAt = performance.now();
    try {
      this.#engineNow()?.receive(chunk);
    } catch (error) {
      this.#onEngineThrew(error);
    }
  }

  #commitInput(bytes: Uint8Array): void {
    this.#receivedAt = performance.now();
    try {
      this.#engine?.commitInput(bytes);
    } catch (error) {
      this.#onEngineThrew(error);
    }
  }

  #inputTarget(): Uint8Array | undefined {
    try {
      return this.#engine?.inputTarget();
    } catch (error) {
      // Say, the payload's buffer could not be allocated.
      this.#onEngineThrew(error);
      return undefined;
    }
  }

  #onEngineThrew(error: unknown): void {
    this.#closingNow().failure ??= error;
    this.#socket?.destroy();
  }

  // The engine's ProtocolHandler, reached through `EngineBinding` (one small object per
  // connection instead of a closure per callback). A private static method rather than a static
  // block, which would make the class impossible for a bundler to drop.
  static #bindingCalls(): BindingCalls {
    return {
      write: (websocket, chunks) => websocket.#writerNow().enqueue(chunks),
      onText: (websocket, text) => websocket.#onMessage(text),
      onBinary: (websocket, data) => websocket.#onMessage(toMessageData(data, websocket.#binaryType)),
      onPing: (websocket, payload) => {
        // The engine has already queued the pong with the same payload (RFC 6455 §5.5.2).
        publishControlFrame('ping', { websocket, direction: 'received', payload });
        publishControlFrame('pong', { websocket, direction: 'sent', payload });
      },
      // While a compressed message inflates the engine holds input; stop reading meanwhile.
      onReadPaused: (websocket, paused) => {
        websocket.#mark(READ_PAUSED, paused);
        if (paused) websocket.#socket?.pause();
        else if (websocket.#is(PEER_ENDED)) websocket.#finishAfterPeerEnd();
        else websocket.#socket?.resume();
      },
      onPong: (websocket, payload) => {
        publishControlFrame('pong', { websocket, direction: 'received', payload });
        websocket.#pings?.answer(payload);
      },
      onClose: (websocket, code, reason) => websocket.#onCloseFrame(code, reason),
      onProtocolError: (websocket, error) => websocket.#onProtocolError(error),
      receive: (websocket, chunk) => websocket.#receive(chunk),
      inputTarget: (websocket) => websocket.#inputTarget(),
      commitInput: (websocket, bytes) => websocket.#commitInput(bytes),
    };
  }

  // WHATWG "When a WebSocket message has been received": step 1, nothing once CLOSING.
  #onMessage(data: unknown): void {
    if (this.#readyState !== WebSocket.OPEN) return;
    const handler = this.directMessageHandler();
    // Nobody to tell: a dispatch would have no effect.
    if (handler === null && !this.hasMessageListener()) return;
    this.#origin ??= new URL(this.#url).origin;
    if (handler === null) {
      this.dispatchEvent(new WebSocketMessageEvent('message', data, this.#origin) as Event as MessageEvent);
      return;
    }
    // `onmessage` is the only listener: what a dispatch would do, without its cost.
    // Inline rather than `callDirectly`: this runs for every message.
    const event = new DirectMessageEvent(this, this.#receivedAt ?? performance.now(), data, this.#origin);
    try {
      handler.call(this, event as unknown as MessageEvent);
    } catch (error) {
      reportListenerError(error);
    } finally {
      event.dispatched();
    }
  }

  /** RFC 6455 §7.1.2 "Start the WebSocket Closing Handshake". */
  #startClosingHandshake(code: number | null, reason: string): void {
    const engine = this.#engineNow();
    if (engine === undefined || this.#closing?.sentCloseCode !== undefined) return;
    this.#closingNow().sentCloseCode = code;
    if (code === null) engine.close();
    else engine.close(code, reason);
    this.#awaitCloseFrameWritten();
  }

  /** §7.1.5: the server's close frame; the engine has queued our echo if we had not closed. */
  #onCloseFrame(code: number, reason: string): void {
    this.#closingNow().receivedClose = { code, reason };
    // WHATWG "When the WebSocket closing handshake is started", for the server's side.
    if (this.#readyState === WebSocket.OPEN) this.#readyState = WebSocket.CLOSING;
    this.#closingNow().sentCloseCode ??= code === CloseCode.NoStatusReceived ? null : code;
    this.#sends?.clear();
    // §7.1.1: the server should close TCP first; we half-close once our echo is out and wait.
    this.#writerNow().endAfterFlush();
    this.#awaitCloseFrameWritten();
  }

  /** §7.1.7 "Fail the WebSocket Connection", decided by the engine: its close frame is queued. */
  #onProtocolError(error: ProtocolError): void {
    this.#failWebSocketConnection(error, error.closeCode, false);
  }

  #failWebSocketConnection(error: unknown, closeCode: number, sendClose = true): void {
    if (this.#socket === undefined || this.#closing?.failure !== undefined) return;
    this.#closingNow().failure = error;
    this.#readyState = WebSocket.CLOSING;
    this.#sends?.clear();
    if (sendClose && this.#closing?.sentCloseCode === undefined) this.#engineNow()?.close(closeCode, '');
    this.#closingNow().sentCloseCode ??= closeCode;
    // §7.1.7: after a failure the client closes the connection itself, once its close frame is out.
    this.#writerNow().endAfterFlush(true);
    this.#awaitCloseFrameWritten();
  }

  /** See `ClosingHandshake.awaitCloseFrameWritten` (RFC 6455 §7.1.1, §5.5.1). */
  #awaitCloseFrameWritten(): void {
    this.#closingNow().awaitCloseFrameWritten(this.#writerNow());
  }

  /**
   * The server closed its side of TCP. After its close frame that is §7.1.1's expected order;
   * without one the connection is simply gone (1006). Either way we finish writing (our echo)
   * and close ours.
   */
  #onPeerEnd(): void {
    this.#mark(PEER_ENDED);
    // Frames before the FIN may still wait behind an inflating message (their close frame too).
    if (!this.#is(READ_PAUSED)) this.#finishAfterPeerEnd();
    else this.#closingNow().armCloseTimer();
  }

  #finishAfterPeerEnd(): void {
    if (this.#readyState === WebSocket.OPEN) this.#readyState = WebSocket.CLOSING;
    this.#writerNow().endAfterFlush(true);
  }

  #onSocketClose(): void {
    this.#engine?.terminate();
    this.#onClosed();
  }

  /** WHATWG "When the WebSocket connection is closed". */
  #onClosed(): void {
    if (this.#is(CLOSE_FIRED)) return;
    this.#mark(CLOSE_FIRED);
    this.#closing?.stopTimer();
    this.#sends?.clear();
    this.#pings?.rejectAll(() => invalidState('The connection closed before the pong arrived'));
    // Step 1.
    this.#readyState = WebSocket.CLOSED;
    const { failed, failure, code, reason, wasClean, sentCode } = reportClosed(this.#closing);
    // Step 2: `error` when the connection was failed.
    if (failed) {
      const message = failure instanceof Error ? failure.message : String(failure);
      this.fireError({ error: failure, message });
    }
    // Step 3.
    publishClose({ websocket: this, url: this.#url, code, reason, wasClean });
    this.fireClose({ wasClean, code, reason, sentCode });
  }
}
