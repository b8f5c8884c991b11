import type { CloseEvent, ErrorEvent } from './events.js';
import type { RedirectEvent } from './redirect-event.js';
import type { WebSocket } from './websocket.js';

/** The events a `WebSocket` fires, by type, for typed `addEventListener`. */
export interface WebSocketEventMap {
  open: Event;
  message: MessageEvent;
  error: ErrorEvent;
  close: CloseEvent;
  /** Not in WHATWG: before each redirect is followed (`followRedirects`); see `RedirectEvent`. */
  redirect: RedirectEvent;
}
/** The type of `onopen`, `onmessage`, `onerror` and `onclose`. */
export type WebSocketEventHandler<E extends Event> = ((this: WebSocket, event: E) => unknown) | null;

type AnyEventHandler = (this: WebSocket, event: Event) => unknown;

/**
 * The event side of `WebSocket`: typed `addEventListener`/`removeEventListener` and the HTML event
 * handler attributes `onopen`, `onmessage`, `onerror`, `onclose`.
 *
 * HTML "event handler IDL attributes": setting one adds a listener that calls the current
 * handler, at the position where it was first set; setting `null` (or a non-function) removes
 * it. The listener is one private method shared by every socket and every type (the target calls
 * it with itself as `this`), so a handler costs a socket a field, not a closure and its context.
 */
export class WebSocketEventTarget extends EventTarget {
  #onopen: AnyEventHandler | null = null;
  #onmessage: AnyEventHandler | null = null;
  #onerror: AnyEventHandler | null = null;
  #onclose: AnyEventHandler | null = null;
  /** A `message` listener other than `onmessage` was added at some time (see `directMessageHandler`). */
  #messageListenerAdded = false;

  /**
   * `onmessage` when it is the only `message` listener there can be, else `null` (also when
   * there is none): a message can then go straight to the handler, without a dispatch. Once any
   * other `message` listener has been added, even if removed since, every message is dispatched.
   */
  protected directMessageHandler(): WebSocketEventHandler<MessageEvent> {
    return this.#messageListenerAdded ? null : this.#onmessage;
  }

  /** Whether a `message` event would reach any listener. */
  protected hasMessageListener(): boolean {
    return this.#messageListenerAdded || this.#onmessage !== null;
  }

  override addEventListener<K extends keyof WebSocketEventMap>(
    type: K,
    listener: ((this: WebSocket, event: WebSocketEventMap[K]) => unknown) | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    if (listener !== null && listener !== undefined && `${type}` === 'message') this.#messageListenerAdded = true;
    super.addEventListener(type, listener, options);
  }

  override removeEventListener<K extends keyof WebSocketEventMap>(
    type: K,
    listener: ((this: WebSocket, event: WebSocketEventMap[K]) => unknown) | null,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void {
    super.removeEventListener(type, listener, options);
  }

  get onopen(): WebSocketEventHandler<Event> {
    return this.#onopen;
  }
  set onopen(handler: WebSocketEventHandler<Event>) {
    this.#onopen = this.#setHandler('open', this.#onopen, handler);
  }
  get onmessage(): WebSocketEventHandler<MessageEvent> {
    return this.#onmessage;
  }
  set onmessage(handler: WebSocketEventHandler<MessageEvent>) {
    this.#onmessage = this.#setHandler('message', this.#onmessage, handler);
  }
  get onerror(): WebSocketEventHandler<ErrorEvent> {
    return this.#onerror;
  }
  set onerror(handler: WebSocketEventHandler<ErrorEvent>) {
    this.#onerror = this.#setHandler('error', this.#onerror, handler);
  }
  get onclose(): WebSocketEventHandler<CloseEvent> {
    return this.#onclose;
  }
  set onclose(handler: WebSocketEventHandler<CloseEvent>) {
    this.#onclose = this.#setHandler('close', this.#onclose, handler);
  }

  /** Adds or removes the handler listener for `type`; returns the attribute's new value. */
  #setHandler(type: string, current: unknown, handler: unknown): AnyEventHandler | null {
    if (typeof handler !== 'function') {
      if (current !== null) super.removeEventListener(type, this.#callHandler);
      return null;
    }
    if (current === null) super.addEventListener(type, this.#callHandler);
    return handler as AnyEventHandler;
  }

  /** The listener behind every handler attribute: calls the current handler for the event's type. */
  #callHandler(this: WebSocketEventTarget, event: Event): void {
    const handler =
      event.type === 'message'
        ? this.#onmessage
        : event.type === 'open'
          ? this.#onopen
          : event.type === 'close'
            ? this.#onclose
            : event.type === 'error'
              ? this.#onerror
              : null;
    handler?.call(this as unknown as WebSocket, event);
  }
}
