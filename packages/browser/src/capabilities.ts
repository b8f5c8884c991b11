import type { TransportCapabilities } from '@sturdysocket/core';

/**
 * What a browser's (or Worker's) native `WebSocket` can do. The WHATWG API offers no way to set
 * request headers, send a ping, or see the handshake's status and headers, so all three are absent:
 * auth must use the subprotocol, query or message carrier, a heartbeat must be application-level,
 * and a refused upgrade is only `error` + close 1006.
 */
export const browserCapabilities: TransportCapabilities = /* @__PURE__ */ Object.freeze({
  headers: false,
  ping: false,
  handshakeDetails: false,
});
