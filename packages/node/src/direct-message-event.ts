// The `message` event when `onmessage` is a WebSocket's only `message` listener. Dispatching
// through Node's `EventTarget` costs a Node `Event` (whose constructor reads the clock and sets
// six private fields) and a walk of the listener list: together about a fifth of the CPU of
// receiving a small message. When the handler attribute is the only listener, the outcome of a
// dispatch is known in advance — the handler is called with the event, `this` being the
// WebSocket — so the WebSocket calls it itself with this lighter object.

import { makeMessageEventClass } from './events.js';

const NONE = 0;
const AT_TARGET = 2;

/**
 * A `MessageEvent` (`instanceof MessageEvent` and `instanceof Event` hold) that was never given
 * to `dispatchEvent`. Every attribute of `Event` and `MessageEvent` reads as it would during and
 * after a real dispatch at the target: `type` `'message'`, not cancelable, not bubbling,
 * `eventPhase` AT_TARGET while the handler runs and NONE after, `currentTarget` the WebSocket
 * while it runs and `null` after. `timeStamp` is when the bytes were read.
 */
export class DirectMessageEvent {
  readonly #data: unknown;
  readonly #origin: string;
  readonly #target: EventTarget;
  readonly #timeStamp: number;
  #dispatching = true;
  #stopped = false;

  constructor(data: unknown, origin: string, target: EventTarget, timeStamp: number) {
    this.#data = data;
    this.#origin = origin;
    this.#target = target;
    this.#timeStamp = timeStamp;
  }

  /** The handler has returned: the event is no longer being dispatched. */
  dispatched(): void {
    this.#dispatching = false;
  }

  // MessageEvent (HTML §9.4.3); its other members come from `makeMessageEventClass`.
  get data(): unknown {
    return this.#data;
  }
  get origin(): string {
    return this.#origin;
  }

  // Event (DOM §2.2)
  get type(): string {
    return 'message';
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
  /** Has no effect: a message event is not cancelable. */
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
  /** As for every event Node's `EventTarget` dispatches for this WebSocket. */
  get isTrusted(): boolean {
    return false;
  }
  get timeStamp(): number {
    return this.#timeStamp;
  }
  /** Has no effect once created, as for an event being dispatched. */
  initEvent(): void {}
}

// `instanceof MessageEvent` and `instanceof Event`; every `Event` accessor is shadowed above,
// since the runtime's would reject an object its constructor did not make.
makeMessageEventClass(DirectMessageEvent.prototype);

/** HTML "report the exception", as Node's `EventTarget` does for a listener that throws. */
export function reportListenerError(error: unknown): void {
  process.nextTick(() => {
    throw error;
  });
}
