// Compile-time checks (run by `pnpm typecheck`): the drop-in promise, the hooks' types.
import { expectTypeOf } from 'vitest';
import {
  type BeforeFlushContext,
  type HeartbeatLayer,
  heartbeat,
  type LifecycleSignals,
  messages,
  type OpenGateLayer,
  openGate,
  ReconnectingWebSocket,
  ReconnectingWebSocketCore,
  type RetryContext,
  type SendReceipt,
  type SendStatus,
  type WebSocketConstructorLike,
} from './index.js';

// The platform's WebSocket (browsers, Deno, Node ≥ 22) fits the transport seam as it is.
const native: WebSocketConstructorLike = WebSocket;
const socket = new ReconnectingWebSocket('wss://example.test/', ['v1'], { WebSocket: native });

// Code written for WebSocket compiles unchanged.
socket.onmessage = (event) => {
  const parsed: { n: number } = JSON.parse(event.data);
  void parsed;
};
socket.addEventListener('close', (event) => {
  expectTypeOf(event.code).toEqualTypeOf<number>();
  expectTypeOf(event.wasClean).toEqualTypeOf<boolean>();
});
socket.binaryType = 'arraybuffer';
expectTypeOf(socket.readyState).toEqualTypeOf<0 | 1 | 2 | 3>();
expectTypeOf(socket.send('x')).toEqualTypeOf<SendStatus>();
expectTypeOf(socket.sendWithReceipt(new Uint8Array(1))).toEqualTypeOf<SendReceipt>();

// Typed lifecycle events; on() returns the unsubscribe.
const off = socket.on('reconnecting', ({ attempt, delayMs, failure, decision }) => {
  expectTypeOf(attempt).toEqualTypeOf<number>();
  expectTypeOf(delayMs).toEqualTypeOf<number>();
  expectTypeOf(failure.kind).toEqualTypeOf<
    'close' | 'handshake' | 'transport' | 'provider' | 'connection-timeout' | 'heartbeat-timeout' | 'open-gate'
  >();
  expectTypeOf(decision.action).toEqualTypeOf<'retry' | 'stop' | 'refresh-auth'>();
});
expectTypeOf(off).toEqualTypeOf<() => void>();
// @ts-expect-error: not an event of ReconnectingWebSocket
socket.on('nope', () => undefined);

// The auth layer's hooks.
new ReconnectingWebSocket(
  async () => 'wss://example.test/',
  async () => ['v1'],
  {
    WebSocket: native,
    transportOptions: async () => ({ headers: { authorization: 'Bearer x' } }),
    retry: {
      classify: (context: RetryContext) =>
        context.failure.handshake?.status === 401 ? 'refresh-auth' : context.defaultDecision,
    },
    beforeFlush: async (context: BeforeFlushContext) => {
      context.send('{"type":"auth"}');
      await context.nextMessage((data) => data === '{"type":"ack"}');
    },
  },
);

// The browser adapter's signals fit.
const signals: LifecycleSignals = { subscribe: () => () => undefined, online: undefined };
new ReconnectingWebSocket('wss://example.test/', undefined, { WebSocket: native, lifecycle: signals });

// for await … of
async function consume(): Promise<void> {
  for await (const data of socket) void data;
}
void consume;

// The core takes its optional features as values, and refuses them as options.
const layer = heartbeat({ intervalMs: 20_000, message: 'ping', isPong: (data) => data === 'pong' });
expectTypeOf(layer).toEqualTypeOf<HeartbeatLayer>();
const gate = openGate(async ({ send, nextMessage }) => {
  send('auth');
  await nextMessage((data) => data === 'ack');
});
expectTypeOf(gate).toEqualTypeOf<OpenGateLayer>();
const core = new ReconnectingWebSocketCore('wss://example.test/', undefined, {
  WebSocket: native,
  heartbeat: layer,
  beforeFlush: gate,
});
// @ts-expect-error: heartbeat options where the core takes heartbeat()'s value
new ReconnectingWebSocketCore('wss://example.test/', undefined, { heartbeat: { intervalMs: 1000 } });
// @ts-expect-error: a bare hook where the core takes openGate()'s value
new ReconnectingWebSocketCore('wss://example.test/', undefined, { beforeFlush: async () => undefined });
// @ts-expect-error: the core has no for-await of its own; messages(core) loops over it
core.messages();
async function consumeCore(): Promise<void> {
  for await (const data of messages(core)) void data;
}
void consumeCore;
