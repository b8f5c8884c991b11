// sturdysocket for any other runtime (the `default` export condition: edge runtimes, unknown
// bundler targets): the global WHATWG WebSocket, with the browser adapter's honest capabilities.
export {
  capabilities,
  createLifecycleSignals,
  createWebSocket,
  type LifecycleSignal,
  type LifecycleSignals,
  transport,
  WebSocket,
} from './browser.js';
