import { heartbeat } from './heartbeat-layer.js';
import { type MessagesOptions, messages } from './message-iterator.js';
import { openGate } from './open-gate-layer.js';
import type { ReconnectOptions } from './options.js';
import type { ProtocolsProvider, UrlProvider } from './providers.js';
import { ReconnectingWebSocketCore } from './reconnecting-websocket-core.js';

/**
 * A WebSocket that reconnects: the WHATWG `WebSocket` API (drop-in for it, reconnecting-websocket
 * and partysocket), over any WebSocket-shaped transport, plus typed lifecycle events, a bounded
 * outbox, dead-peer detection and a classifier that decides after every failure.
 *
 * `new ReconnectingWebSocket(url, protocols?, options?)`: `url` and `protocols` may be functions,
 * re-run (and awaited) on every attempt. The first attempt starts in a microtask, so listeners
 * added right after construction see it. See the package README for the state machine.
 *
 * Every feature is on by its options, as documented on `ReconnectOptions` (the heartbeat's
 * default is `mode: 'auto'`), and `for await` loops over it. `ReconnectingWebSocketCore` is the
 * same socket taking optional features as values (`heartbeat()`, `openGate()`, `messages(socket)`), for bundles
 * that ship only what they use.
 */
export class ReconnectingWebSocket extends ReconnectingWebSocketCore {
  constructor(url: UrlProvider, protocols?: ProtocolsProvider, options: ReconnectOptions = {}) {
    const { beforeFlush } = options;
    super(url, protocols, {
      ...options,
      heartbeat: heartbeat(options.heartbeat),
      beforeFlush: beforeFlush === undefined ? undefined : openGate(beforeFlush),
    });
  }

  /**
   * `for await (const data of socket)`: every message from now until the loop ends, with at most
   * 10,000 waiting for the loop (see `messages()`).
   */
  // biome-ignore lint/suspicious/noExplicitAny: message data as the transport delivers it.
  [Symbol.asyncIterator](): AsyncIterableIterator<any> {
    return this.messages();
  }

  /**
   * `for await (const data of socket.messages({ maxBuffered }))`: every message from now until the
   * loop ends. Messages the loop has not yet taken wait in memory, at most `maxBuffered` of them
   * (a positive integer or `Infinity`); one more ends the loop with `IteratorOverflowError` once
   * it has taken those. `messages(socket, options)` is the same as a function, for
   * `ReconnectingWebSocketCore`. @default maxBuffered 10,000
   */
  // biome-ignore lint/suspicious/noExplicitAny: message data as the transport delivers it.
  messages(options: MessagesOptions = {}): AsyncIterableIterator<any> {
    return messages(this, options);
  }
}
