// Compile-time checks (run by `pnpm typecheck`): connect()'s features given as values.
import { expectTypeOf } from 'vitest';
import { connect, heartbeat, messages, openGate } from './runtime/browser.js';

const socket = connect<{ n: number }, { m: string }>('wss://example.test/', {
  codec: 'json',
  heartbeat: heartbeat({ message: 'ping', isPong: (data) => data === 'pong' }),
  reconnect: { beforeFlush: openGate(({ send }) => send('hello')), backoff: { maxDelayMs: 5000 } },
});
connect('wss://example.test/', { heartbeat: false });

// A for-await loop takes the socket's decoded type.
async function consume(): Promise<void> {
  for await (const message of messages(socket, { maxBuffered: 100 }))
    expectTypeOf(message).toEqualTypeOf<{ m: string }>();
}
void consume;

// @ts-expect-error: heartbeat options belong in heartbeat(), not reconnect
connect('wss://example.test/', { reconnect: { heartbeat: { intervalMs: 1000 } } });
// @ts-expect-error: beforeFlush takes openGate()'s value
connect('wss://example.test/', { reconnect: { beforeFlush: async () => undefined } });
