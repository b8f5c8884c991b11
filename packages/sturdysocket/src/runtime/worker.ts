// sturdysocket for Web Workers and service workers (the `worker` export condition): the same
// native WebSocket as in a page; of the lifecycle signals only `online`/`offline` exist there.
export {
  capabilities,
  createLifecycleSignals,
  createWebSocket,
  type LifecycleSignal,
  type LifecycleSignals,
  transport,
  WebSocket,
} from './browser.js';
