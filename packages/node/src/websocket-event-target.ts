import { callDirectly, DirectCloseEvent, DirectErrorEvent, DirectOpenEvent } from './direct-event.js';
import { CloseEvent, type CloseEventInit, ErrorEvent, type ErrorEventInit } from './events.js';
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

type Handlers = Record<PropertyKey, unknown>;

/**
 * Gives `target` (made by `EventTargetWithoutState`) the state Node's `EventTarget` constructor
 * would have given it: a fresh target's own properties (Node keeps its listener maps in
 * symbol-keyed properties), except any the target already has (`events.setMaxListeners` may have
 * set one).
 */
function adoptEventTargetState(target: object): void {
  const fresh = new EventTarget() as unknown as Handlers;
  for (const key of Reflect.ownKeys(fresh)) {
    if (!Object.hasOwn(target, key)) (target as Handlers)[key] = fresh[key];
  }
}

/**
 * `EventTarget`'s prototype and statics (so `instanceof EventTarget` holds and its methods accept
 * the object) behind a constructor that allocates nothing: the state comes later, from
 * `adoptEventTargetState`, when the first listener is added.
 */
function EventTargetWithoutState(): void {}
Object.setPrototypeOf(EventTargetWithoutState, EventTarget);
EventTargetWithoutState.prototype = Object.create(EventTarget.prototype, {
  constructor: { value: EventTargetWithoutState, writable: true, configurable: true },
});

/**
 * Whether this runtime's `EventTarget` works on an object given its state late (Node 20 to 24
 * keep it in own properties; a runtime that does not falls back to constructing it eagerly).
 */
function stateCanBeAdopted(): boolean {
  try {
    const probe = Reflect.construct(EventTargetWithoutState, []) as EventTarget;
    adoptEventTargetState(probe);
    let reached = false;
    probe.addEventListener('probe', function (this: unknown, event) {
      reached = this === probe && event.target === probe && event.currentTarget === probe;
    });
    probe.dispatchEvent(new Event('probe'));
    return reached;
  } catch {
    return false;
  }
}

const LAZY_STATE = /* @__PURE__ */ stateCanBeAdopted();
const EventTargetBase = (LAZY_STATE ? EventTargetWithoutState : EventTarget) as unknown as typeof EventTarget;

const HANDLER_TYPES = ['open', 'message', 'error', 'close'] as const;
const ADOPTED = 1;
const MESSAGE_LISTENER_ADDED = 2;

/**
 * The event side of `WebSocket`: typed `addEventListener`/`removeEventListener` and the HTML event
 * handler attributes `onopen`, `onmessage`, `onerror`, `onclose`.
 *
 * HTML "event handler IDL attributes": setting one adds a listener that calls the current
 * handler, at the position where it was first set; setting `null` (or a non-function) removes
 * it. The listener is one private method shared by every socket and every type (the target calls
 * it with itself as `this`), so a handler costs a socket a field, not a closure and its context.
 *
 * Node's `EventTarget` state (two maps, a listener object per listener) is made when the first
 * listener is added or an event is dispatched from outside, not before: until then the socket's
 * own events go straight to its `on…` handlers (see `DirectEvent`), and an idle socket whose only
 * listeners are its handlers holds no listener state at all. From then on every event goes
 * through Node's `EventTarget`, the handlers registered first (they were set before any listener).
 */
export class WebSocketEventTarget extends EventTargetBase {
  #onopen: AnyEventHandler | null = null;
  #onmessage: AnyEventHandler | null = null;
  #onerror: AnyEventHandler | null = null;
  #onclose: AnyEventHandler | null = null;
  /** `ADOPTED` and `MESSAGE_LISTENER_ADDED`, a bit each (a field apiece would cost every socket 8 bytes). */
  #listenerFlags = LAZY_STATE ? 0 : ADOPTED;

  /** A `message` listener other than `onmessage` was added at some time (see `directMessageHandler`). */
  get #messageListenerAdded(): boolean {
    return (this.#listenerFlags & MESSAGE_LISTENER_ADDED) !== 0;
  }
  /** The `EventTarget` state exists (always, where it cannot be made late). */
  get #adopted(): boolean {
    return (this.#listenerFlags & ADOPTED) !== 0;
  }

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
    if (listener !== null && listener !== undefined && `${type}` === 'message')
      this.#listenerFlags |= MESSAGE_LISTENER_ADDED;
    this.#adopt();
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
    // Without the state there is no listener to remove.
    if (this.#adopted) super.removeEventListener(type, listener, options);
  }

  /** DOM `dispatchEvent`: an event from outside goes through Node's `EventTarget`, state and all. */
  override dispatchEvent(event: Event): boolean {
    this.#adopt();
    return super.dispatchEvent(event);
  }

  /** Whether any listener may hear an event (the `EventTarget` state exists). */
  protected hasEventListeners(): boolean {
    return this.#adopted;
  }

  /** Fires `open` (WHATWG: a plain `Event`). */
  protected fireOpen(): void {
    if (this.#adopted) this.dispatchEvent(new Event('open'));
    else if (this.#onopen !== null) callDirectly(this.#onopen, this, new DirectOpenEvent(this, performance.now()));
  }

  /** Fires `error`. */
  protected fireError(init: ErrorEventInit): void {
    if (this.#adopted) this.dispatchEvent(new ErrorEvent('error', init));
    else if (this.#onerror !== null) {
      callDirectly(this.#onerror, this, new DirectErrorEvent(this, performance.now(), init));
    }
  }

  /** Fires `close`. */
  protected fireClose(init: CloseEventInit): void {
    if (this.#adopted) this.dispatchEvent(new CloseEvent('close', init));
    else if (this.#onclose !== null) {
      callDirectly(this.#onclose, this, new DirectCloseEvent(this, performance.now(), init));
    }
  }

  /** Makes the `EventTarget` state, with a listener for every handler set so far. */
  #adopt(): void {
    if (this.#adopted) return;
    this.#listenerFlags |= ADOPTED;
    adoptEventTargetState(this);
    for (const type of HANDLER_TYPES) {
      if (this.#handlerFor(type) !== null) super.addEventListener(type, this.#callHandler);
    }
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
      if (current !== null && this.#adopted) super.removeEventListener(type, this.#callHandler);
      return null;
    }
    if (current === null && this.#adopted) super.addEventListener(type, this.#callHandler);
    return handler as AnyEventHandler;
  }

  #handlerFor(type: string): AnyEventHandler | null {
    return type === 'message'
      ? this.#onmessage
      : type === 'open'
        ? this.#onopen
        : type === 'close'
          ? this.#onclose
          : type === 'error'
            ? this.#onerror
            : null;
  }

  /** The listener behind every handler attribute: calls the current handler for the event's type. */
  #callHandler(this: WebSocketEventTarget, event: Event): void {
    this.#handlerFor(event.type)?.call(this as unknown as WebSocket, event);
  }

  /**
   * Node's own helpers (`events.getEventListeners`, `setMaxListeners`, …) read and write the
   * `EventTarget` state through its symbol-keyed properties. Before the state exists, an accessor
   * on the prototype for each of them makes it on first read, and a write makes that property the
   * socket's own: to those helpers, a socket is any `EventTarget`.
   */
  static {
    if (LAZY_STATE) {
      for (const key of Reflect.ownKeys(new EventTarget())) {
        Object.defineProperty(WebSocketEventTarget.prototype, key, {
          configurable: true,
          get(this: WebSocketEventTarget): unknown {
            this.#adopt();
            // Own from now on; undefined if the state had no such property after all.
            return Object.hasOwn(this, key) ? (this as unknown as Handlers)[key] : undefined;
          },
          set(this: WebSocketEventTarget, value: unknown): void {
            Object.defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
          },
        });
      }
    }
  }
}
