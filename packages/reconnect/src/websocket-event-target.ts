import type {
  AddEventListenerOptionsLike,
  EventListenerLike,
  ReconnectingCloseEvent,
  ReconnectingErrorEvent,
  ReconnectingMessageEvent,
  ReconnectingOpenEvent,
  WebSocketEventMapLike,
  WebSocketEventType,
} from './events.js';
import { ListenerRegistry } from './listener-registry.js';

/**
 * The event half of the WHATWG `WebSocket` interface: the `on…` handlers and
 * `addEventListener`/`removeEventListener`/`dispatchEvent`, built on no platform `EventTarget` so
 * it behaves the same in every runtime. Handlers run before listeners, as for an event handler
 * registered first (HTML "event handler IDL attributes").
 */
export abstract class WebSocketEventTarget {
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

  /** Dispatches `event` to `addEventListener` listeners and the matching `on…` handler. */
  dispatchEvent(event: { readonly type: string }): boolean {
    this.#listeners.dispatch(event, this.#handlerFor(event.type));
    return true;
  }

  /** Listeners registered through `addEventListener`, for one type or all. */
  protected eventListenerCount(type?: string): number {
    return this.#listeners.count(type);
  }

  /** Dispatches one of the four WebSocket events, with `target` and `timeStamp` filled in. */
  protected dispatchWebSocketEvent<K extends WebSocketEventType>(
    event: Omit<WebSocketEventMapLike[K], 'target' | 'currentTarget' | 'timeStamp'> & { type: K },
    timeStamp: number,
  ): void {
    this.dispatchEvent({ ...event, target: this, currentTarget: this, timeStamp });
  }

  /** The `on…` handler of one of the four WebSocket event types; `null` for any other type. */
  #handlerFor(type: string): ((event: never) => void) | null {
    return type === 'open' || type === 'message' || type === 'close' || type === 'error' ? this[`on${type}`] : null;
  }
}
