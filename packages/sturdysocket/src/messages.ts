import { type MessagesOptions, messages as messagesOf } from '@sturdysocket/reconnect';
import type { SturdySocket } from './sturdy-socket.js';

/**
 * `for await (const message of messages(socket, { maxBuffered }))`: every decoded message of
 * `socket` from now until it closes for good or the loop ends. At most `maxBuffered` messages
 * wait for the loop (a positive integer or `Infinity`); one more ends it with
 * `IteratorOverflowError` once it has taken those. A function rather than a method of the
 * socket, so that an application that never loops ships none of it. @default maxBuffered 10,000
 */
export function messages<Receive>(
  socket: SturdySocket<never, Receive>,
  options?: MessagesOptions,
): AsyncIterableIterator<Receive> {
  return messagesOf<Receive>(socket, options);
}
