// The `message` event when `onmessage` is a WebSocket's only `message` listener (see
// direct-event.ts). Dispatching through Node's `EventTarget` costs a Node `Event` and a walk of
// the listener list: together about a fifth of the CPU of receiving a small message.

import { directEventClass } from './direct-event.js';
import { makeMessageEventClass } from './events.js';

/**
 * A `MessageEvent` (`instanceof MessageEvent` and `instanceof Event` hold) that was never given
 * to `dispatchEvent`: `new DirectMessageEvent(target, timeStamp, data, origin)`. Every attribute
 * of `Event` and `MessageEvent` reads as it would during and after a real dispatch at the
 * target. `timeStamp` is when the bytes were read.
 */
export const DirectMessageEvent = directEventClass('message', Event.prototype);
// `instanceof MessageEvent`, and the members every WebSocket message shares.
makeMessageEventClass(DirectMessageEvent.prototype);
