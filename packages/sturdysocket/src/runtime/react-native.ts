// sturdysocket for React Native (the `react-native` export condition): its global WebSocket
// follows the WHATWG constructor, so the browser adapter serves it. Lifecycle signals find no
// window or document there and stay silent.
export {
  capabilities,
  createLifecycleSignals,
  createWebSocket,
  type LifecycleSignal,
  type LifecycleSignals,
  transport,
  WebSocket,
} from './browser.js';
