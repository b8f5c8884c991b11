// Events a WebSocket hands straight to an `on…` handler, without a dispatch. When the handler
// attribute is the only listener of its type, the outcome of a dispatch is known in advance — the
// handler is called with the event, `this` being the WebSocket — so the WebSocket calls it itself
// with one of these. They cost no Node `Event` (whose constructor reads the clock and sets six
// private fields) and need no listener list: an idle socket whose only listeners are its `on…`
// handlers holds none.

import { CloseEvent, type CloseEventInit, ErrorEvent, type ErrorEventInit } from './events.js';

const NONE = 0;
const AT_TARGET = 2;

/** What the WebSocket calls once the handler has returned. */
export interface DirectEvent {
  /** The handler has returned: the event is no longer being dispatched. */
  dispatched(): void;
}

/**
 * A class whose instances read, member for member, as a non-cancelable, non-bubbling event of
 * `type` during and after its dispatch at `target`: `eventPhase` AT_TARGET while the handler runs
 * and NONE after, `currentTarget` the target while it runs and `null` after. `prototype` is put
 * behind the class's own (so `instanceof` the event's interface holds); every `Event` accessor is
 * defined here, since the runtime's would reject an object its constructor did not make.
 */
export function directEventClass(type: string, prototype: object) {
  class DirectEventBase implements DirectEvent {
    readonly #target: EventTarget;
    readonly #timeStamp: number;
    readonly #data: unknown;
    readonly #origin: string | undefined;
    #dispatching = true;
    #stopped = false;

    /** `data` and `origin` for a `message` event (a class of its own would cost each message a `super()` call). */
    constructor(target: EventTarget, timeStamp: number, data?: unknown, origin?: string) {
      this.#target = target;
      this.#timeStamp = timeStamp;
      this.#data = data;
      this.#origin = origin;
    }

    dispatched(): void {
      this.#dispatching = false;
    }

    // Event (DOM §2.2)
    get type(): string {
      return type;
    }
    get target(): EventTarget {
      return this.#target;
    }
    get srcElement(): EventTarget {
      return this.#target;
    }
    get currentTarget(): EventTarget | null {
      return this.#dispatching ? this.#target : null;
    }
    composedPath(): EventTarget[] {
      return this.#dispatching ? [this.#target] : [];
    }
    get eventPhase(): number {
      return this.#dispatching ? AT_TARGET : NONE;
    }
    stopPropagation(): void {
      this.#stopped = true;
    }
    stopImmediatePropagation(): void {
      this.#stopped = true;
    }
    get cancelBubble(): boolean {
      return this.#stopped;
    }
    set cancelBubble(value: boolean) {
      if (value) this.#stopped = true;
    }
    get bubbles(): boolean {
      return false;
    }
    get cancelable(): boolean {
      return false;
    }
    /** Has no effect: the event is not cancelable. */
    preventDefault(): void {}
    get defaultPrevented(): boolean {
      return false;
    }
    get returnValue(): boolean {
      return true;
    }
    set returnValue(_value: boolean) {}
    get composed(): boolean {
      return false;
    }
    /** As for every event Node's `EventTarget` dispatches for a WebSocket. */
    get isTrusted(): boolean {
      return false;
    }
    get timeStamp(): number {
      return this.#timeStamp;
    }
    /** Has no effect once created, as for an event being dispatched. */
    initEvent(): void {}

    // MessageEvent (HTML §9.4.3), for `message` only: the other types' prototypes drop these.
    get data(): unknown {
      return this.#data;
    }
    get origin(): string | undefined {
      return this.#origin;
    }
  }
  if (type !== 'message') {
    Reflect.deleteProperty(DirectEventBase.prototype, 'data');
    Reflect.deleteProperty(DirectEventBase.prototype, 'origin');
  }
  Object.setPrototypeOf(DirectEventBase.prototype, prototype);
  return DirectEventBase;
}

/** The `open` event (a plain `Event`), handed straight to `onopen`. */
export const DirectOpenEvent = directEventClass('open', Event.prototype);

/** The `error` event (`instanceof ErrorEvent`), handed straight to `onerror`. */
export class DirectErrorEvent extends directEventClass('error', ErrorEvent.prototype) {
  // Own fields, in the order `ErrorEvent` defines them.
  readonly message: string;
  readonly error: unknown;

  constructor(target: EventTarget, timeStamp: number, init: ErrorEventInit) {
    super(target, timeStamp);
    this.message = init.message ?? '';
    this.error = init.error;
  }
}

/** The `close` event (`instanceof CloseEvent`), handed straight to `onclose`. */
export class DirectCloseEvent extends directEventClass('close', CloseEvent.prototype) {
  // Own fields, in the order `CloseEvent` defines them.
  readonly wasClean: boolean;
  readonly code: number;
  readonly reason: string;
  readonly sentCode: number | undefined;

  constructor(target: EventTarget, timeStamp: number, init: CloseEventInit) {
    super(target, timeStamp);
    this.wasClean = init.wasClean ?? false;
    this.code = init.code ?? 0;
    this.reason = init.reason ?? '';
    this.sentCode = init.sentCode;
  }
}

/** HTML "report the exception", as Node's `EventTarget` does for a listener that throws. */
export function reportListenerError(error: unknown): void {
  process.nextTick(() => {
    throw error;
  });
}

/**
 * Calls `handler` with `event` and `this` being `target`, as a dispatch to it as the only
 * listener would: an error it throws is reported, never thrown to the caller.
 */
export function callDirectly<E extends DirectEvent>(
  handler: (this: never, event: never) => unknown,
  target: object,
  event: E,
): void {
  try {
    (handler as (this: object, event: E) => unknown).call(target, event);
  } catch (error) {
    reportListenerError(error);
  } finally {
    event.dispatched();
  }
}
