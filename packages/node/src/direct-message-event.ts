// The `message` event when `onmessage` is a WebSocket's only `message` listener (see
// direct-event.ts). Dispatching through Node's `EventTarget` costs a Node `Event` and a walk of
// the listener list: together about a fifth of the CPU of receiving a small message.

import { directEventClass } from './direct-event.js';
import { makeMessageEventClass } from './events.js';

const DirectMessageEventBase = directEventClass('message', Event.prototype);
// `instanceof MessageEvent` and `instanceof Event`, and the members every WebSocket message shares.
makeMessageEventClass(DirectMessageEventBase.prototype);

/**
 * A `MessageEvent` (`instanceof MessageEvent` and `instanceof Event` hold) that was never given
 * to `dispatchEvent`. Every attribute of `Event` and `MessageEvent` reads as it would during and
 * after a real dispatch at the target. `timeStamp` is when the bytes were read.
 */
export class DirectMessageEvent extends DirectMessageEventBase {
  readonly #data: unknown;
  readonly #origin: string;

  constructor(data: unknown, origin: string, target: EventTarget, timeStamp: number) {
    super(target, timeStamp);
    this.#data = data;
    this.#origin = origin;
  }

  // MessageEvent (HTML §9.4.3); its other members come from `makeMessageEventClass`.
  get data(): unknown {
    return this.#data;
  }
  get origin(): string {
    return this.#origin;
  }
}
