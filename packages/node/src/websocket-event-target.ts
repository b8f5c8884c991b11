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
  /** A `message` listener other than `onmessage` was added at some time (see `directMessageHandler`). */
  #messageListenerAdded = false;

  /**
   * `onmessage` when it is the only `message` listener there can be, else `null` (also when
   * there is none): a message can then go straight to the handler, without a dispatch. Once any
   * other `message` listener has been added, even if removed since, every message is dispatched.
   */
  protected directMessageHandler(): WebSocketEventHandler<MessageEvent> {
    return this.#messageListenerAdded ? null : this.onmessage;
  }

  /** Whether a `message` event would reach any listener. */
  protected hasMessageListener(): boolean {
    return this.#messageListenerAdded || this.onmessage !== null;
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
