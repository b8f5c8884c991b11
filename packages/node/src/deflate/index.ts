// permessage-deflate for the Node WebSocket class: the offer (from @sturdysocket/core) plus a
// node:zlib codec per connection.
//
// Wiring (in the WebSocket class):
//   const deflate = options.perMessageDeflate === false ? undefined
//     : createNodePermessageDeflate(options.perMessageDeflate === true ? {} : options.perMessageDeflate);
//   const request = createHandshakeRequest({ …, extensions: deflate ? [deflate.offer] : [] });
//   const result = await validateHandshakeResponse(request, head);   // bad answers → bad-extension-params
//   const agreed = result.extensions.find((e) => e.name === PERMESSAGE_DEFLATE);
//   const codec = agreed && deflate?.createCodec(agreed.config as PermessageDeflateConfig);
//   new ProtocolEngine(handler, { maxPayload, ...(codec ? { codec } : {}) });
// The engine owns the codec from then on (it disposes it when it closes, fails or is terminated).
import {
  createPermessageDeflateOffer,
  type ExtensionOffer,
  type MessageCodec,
  type PermessageDeflateConfig,
  type PermessageDeflateOptions,
} from '@sturdysocket/core';
import { NodeDeflateCodec } from './node-deflate-codec.js';
import { sharedZlibLimiter, type ZlibJobLimiter } from './zlib-job-limiter.js';

export { NodeDeflateCodec } from './node-deflate-codec.js';
export { DEFAULT_ZLIB_CONCURRENCY, sharedZlibLimiter, ZlibJobLimiter } from './zlib-job-limiter.js';

/** `PermessageDeflateOptions` plus where the zlib work is queued. */
export interface NodePermessageDeflateOptions extends PermessageDeflateOptions {
  /**
   * The queue zlib jobs wait in. Share one across connections: it exists to bound the process's
   * use of libuv's thread pool. @default the process-wide limiter (10 concurrent jobs)
   */
  limiter?: ZlibJobLimiter;
}

/** What a WebSocket needs to offer permessage-deflate and, once agreed, run it. */
export interface NodePermessageDeflate {
  /** Goes into the handshake request's `extensions`. */
  readonly offer: ExtensionOffer<PermessageDeflateConfig>;
  /** A codec for one connection, from the configuration the handshake agreed. */
  createCodec(config: PermessageDeflateConfig): MessageCodec;
}

/** permessage-deflate on node:zlib. @throws {RangeError} for options out of range. */
export function createNodePermessageDeflate(options: NodePermessageDeflateOptions = {}): NodePermessageDeflate {
  const { limiter, ...offerOptions } = options;
  const offer = createPermessageDeflateOffer(offerOptions);
  return {
    offer,
    createCodec: (config) => new NodeDeflateCodec(config, limiter ?? sharedZlibLimiter()),
  };
}
