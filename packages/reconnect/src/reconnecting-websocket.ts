import { heartbeat } from './heartbeat-layer.js';
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
 * default is `mode: 'auto'`). `ReconnectingWebSocketCore` is the same socket taking optional
 * features as values, for bundles that ship only what they use.
 */
export class ReconnectingWebSocket extends ReconnectingWebSocketCore {
  constructor(url: UrlProvider, protocols?: ProtocolsProvider, options: ReconnectOptions = {}) {
    super(url, protocols, { ...options, heartbeat: heartbeat(options.heartbeat) });
  }
}
