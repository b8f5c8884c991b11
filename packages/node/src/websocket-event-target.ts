import { EventHandlerAttributes } from './event-handler-attributes.js';
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

/**
 * The event side of `WebSocket`: typed `addEventListener`/`removeEventListener` and the HTML event
 * handler attributes `onopen`, `onmessage`, `onerror`, `onclose`.
 */
export class WebSocketEventTarget extends EventTarget {
  readonly #handlers = new EventHandlerAttributes<WebSocketEventTarget>(this);

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
    return this.#handlers.get('open') as WebSocketEventHandler<Event>;
  }
  set onopen(handler: WebSocketEventHandler<Event>) {
    this.#handlers.set('open', handler);
  }
  get onmessage(): WebSocketEventHandler<MessageEvent> {
    return this.#handlers.get('message') as WebSocketEventHandler<MessageEvent>;
  }
  set onmessage(handler: WebSocketEventHandler<MessageEvent>) {
    this.#handlers.set('message', handler);
  }
  get onerror(): WebSocketEventHandler<ErrorEvent> {
    return this.#handlers.get('error') as WebSocketEventHandler<ErrorEvent>;
  }
  set onerror(handler: WebSocketEventHandler<ErrorEvent>) {
    this.#handlers.set('error', handler);
  }
  get onclose(): WebSocketEventHandler<CloseEvent> {
    return this.#handlers.get('close') as WebSocketEventHandler<CloseEvent>;
  }
  set onclose(handler: WebSocketEventHandler<CloseEvent>) {
    this.#handlers.set('close', handler);
  }
}
