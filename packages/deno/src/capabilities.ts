import type { TransportCapabilities } from '@sturdysocket/core';

/**
 * What Deno's and Bun's native `WebSocket` can do: both send custom handshake headers (their
 * constructors take `{ protocols, headers }`), neither exposes a protocol-level ping nor the
 * handshake's status and headers.
 */
export const denoCapabilities: TransportCapabilities = /* @__PURE__ */ Object.freeze({
  headers: true,
  ping: false,
  handshakeDetails: false,
});
