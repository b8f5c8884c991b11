import type {
  AddEventListenerOptionsLike,
  CloseInfo,
  EventListenerLike,
  ReconnectEventMap,
  ReconnectingCloseEvent,
  ReconnectingErrorEvent,
  ReconnectingMessageEvent,
  ReconnectingOpenEvent,
  WebSocketEventMapLike,
  WebSocketEventType,
} from './events.js';
import { readHandshake } from './handshake-reader.js';
import { ListenerRegistry } from './listener-registry.js';
import { type CoreReconnectOptions, fromLegacyNames } from './options.js';
import type { ProtocolsProvider, UrlProvider } from './providers.js';
import { ReconnectLoop } from './reconnect-loop.js';

/**
 * The reconnect loop with the event half of the WHATWG `WebSocket` interface: the `on…` handlers,
 * `addEventListener`/`removeEventListener`/`dispatchEvent` and the `CONNECTING`… constants, built
 * on no platform `EventTarget` so it behaves the same in every runtime. With `ReconnectLoop`'s
 * members that makes it a drop-in for `WebSocket`, reconnecting-websocket and partysocket.
 * `ReconnectingWebSocket` is this with every feature given as options; this takes the optional
 * features as values (`heartbeat()`, `openGate()`).
 *
 * Each WHATWG event reaches the `on…` handler, then the `addEventListener` listeners (as for an
 * event handler registered first, HTML "event handler IDL attributes"), then the `on()` listeners.
 * Unless told otherwise (`readHandshake`), it reads handshake failures as `readHandshake` does.
 */
export class ReconnectingWebSocketCore extends ReconnectLoop {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;

  /** Called on every `open`, as `WebSocket.onopen`. */
  onopen: ((event: ReconnectingOpenEvent) => void) | null = null;
  /** Called on every message, as `WebSocket.onmessage`. */
  onmessage: ((event: ReconnectingMessageEvent) => void) | null = null;
  /** Called on every `close` (each connection or failed attempt), as `WebSocket.onclose`. */
  onclose: ((event: ReconnectingCloseEvent) => void) | null = null;
  /** Called on every `error`, as `WebSocket.onerror`; `event.error` is typed. */
  onerror: ((event: ReconnectingErrorEvent) => void) | null = null;

  readonly #listeners = new ListenerRegistry();

  constructor(url: UrlProvider, protocols?: ProtocolsProvider, options: CoreReconnectOptions = {}) {
    super(url, protocols, { readHandshake, ...fromLegacyNames(options) });
  }

  addEventListener<K extends WebSocketEventType>(
    type: K,
    listener: EventListenerLike<WebSocketEventMapLike[K]> | null,
    options?: AddEventListenerOptionsLike,
  ): void {
    this.#listeners.add(type, listener as EventListenerLike<never> | null, options);
  }

  removeEventListener<K extends WebSocketEventType>(
    type: K,
    listener: EventListenerLike<WebSocketEventMapLike[K]> | null,
    _options?: AddEventListenerOptionsLike,
  ): void {
    this.#listeners.remove(type, listener as EventListenerLike<never> | null);
  }

  /** Dispatches `event` to the matching `on…` handler and the `addEventListener` listeners. */
  dispatchEvent(event: { readonly type: string }): boolean {
    this.#listeners.dispatch(event, this.#handlerFor(event.type));
    return true;
  }

  /** How many listeners are registered, through `on()` and `addEventListener()` together. */
  override listenerCount(event?: keyof ReconnectEventMap): number {
    return super.listenerCount(event) + this.#listeners.count(event);
  }

  /** Dispatches the WHATWG event of the four WebSocket event types, then tells the `on()` listeners. */
  protected override announce<E extends keyof ReconnectEventMap>(
    event: E,
    ...args: Parameters<ReconnectEventMap[E]>
  ): void {
    // `state` is announced from the loop's constructor, before this class's fields exist: only the
    // four WebSocket types touch them, and none of those can happen that early.
    const whatwg = webSocketEventOf(event, args[0]);
    if (whatwg !== undefined) {
      const timeStamp = this.now();
      this.dispatchEvent({ ...whatwg, target: this, currentTarget: this, timeStamp } as WebSocketEventFields);
    }
    super.announce(event, ...args);
  }

  /** The `on…` handler of one of the four WebSocket event types; `null` for any other type. */
  #handlerFor(type: string): ((event: never) => void) | null {
    return type === 'open' || type === 'message' || type === 'close' || type === 'error' ? this[`on${type}`] : null;
  }
}

/** A WHATWG event's own fields, before `target`, `currentTarget` and `timeStamp`. */
interface WebSocketEventFields {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** The WHATWG event for what `on()` reports as `event` with `info`; `undefined` for the loop's own events. */
function webSocketEventOf(event: keyof ReconnectEventMap, info: unknown): WebSocketEventFields | undefined {
  switch (event) {
    case 'open':
      return { type: 'open' };
    case 'message':
      return { type: 'message', data: info, origin: '', lastEventId: '' };
    case 'close': {
      const { code, reason, wasClean, willReconnect } = info as CloseInfo;
      return { type: 'close', code, reason, wasClean, willReconnect };
    }
    case 'error':
      return { type: 'error', error: info, message: (info as Error).message };
    default:
      return undefined;
  }
}
