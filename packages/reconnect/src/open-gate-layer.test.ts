import { describe, expect, it } from 'vitest';
import { FakeClock, settle } from '../test-support/fake-clock.js';
import { FakeWebSocket, fakeTransport } from '../test-support/fake-websocket.js';
import { OpenGateError } from './errors/open-gate-error.js';
import type { FailureInfo } from './events.js';
import { openGate } from './open-gate-layer.js';
import type { BeforeFlushHook, CoreReconnectOptions } from './options.js';
import { ReconnectingWebSocketCore } from './reconnecting-websocket-core.js';

function setup(options: CoreReconnectOptions) {
  const transport = fakeTransport();
  const socket = new ReconnectingWebSocketCore('ws://example.test/', undefined, {
    WebSocket: transport.WebSocket,
    clock: new FakeClock(),
    random: () => 0.5,
    ...options,
  });
  const failures: FailureInfo[] = [];
  socket.on('failure', (info) => failures.push(info));
  const messages: unknown[] = [];
  socket.on('message', (data) => messages.push(data));
  return { socket, transport, failures, messages };
}

describe('openGate()', () => {
  it('refuses a hook that is not a function', () => {
    expect(() => openGate('ack' as never)).toThrow(new TypeError('beforeFlush must be a function'));
  });

  it('holds the connection until the hook resolves: its reply is taken, the rest delivered after open', async () => {
    const { socket, transport, messages } = setup({
      beforeFlush: openGate(async ({ send, nextMessage }) => {
        send('auth');
        await nextMessage((data) => data === 'ack');
      }),
    });
    socket.send('queued');
    await settle();
    transport.last().accept();
    expect(transport.last().sent).toEqual(['auth']);
    transport.last().receive('early');
    expect(socket.state).toBe('connecting');
    transport.last().receive('ack');
    await settle();
    expect(socket.state).toBe('open');
    expect(transport.last().sent).toEqual(['auth', 'queued']);
    expect(messages).toEqual(['early']);
  });

  it.each<[string, BeforeFlushHook]>([
    [
      'rejects',
      async () => {
        throw new Error('no ack');
      },
    ],
    [
      'throws at once',
      () => {
        throw new Error('no ack');
      },
    ],
  ])('fails the attempt with OpenGateError and closes with 4002 when the hook %s', async (_how, hook) => {
    const { socket, transport, failures } = setup({ beforeFlush: openGate(hook) });
    await settle();
    transport.last().accept();
    await settle();
    expect(failures[0]?.failure.kind).toBe('open-gate');
    expect(failures[0]?.failure.error).toBeInstanceOf(OpenGateError);
    expect(failures[0]?.failure.error).toMatchObject({ closeCode: 4002, message: 'beforeFlush rejected: no ack' });
    expect(transport.sockets[0]?.closeCalls[0]).toEqual({ code: 4002, reason: 'beforeFlush rejected' });
    expect(socket.state).toBe('waiting');
    socket.close();
  });
});

describe('ReconnectingWebSocketCore beforeFlush', () => {
  it('refuses a bare hook where it takes the open gate, naming openGate()', () => {
    expect(
      () =>
        new ReconnectingWebSocketCore('ws://x/', undefined, {
          WebSocket: FakeWebSocket,
          beforeFlush: (async () => undefined) as never,
        }),
    ).toThrow(/beforeFlush takes the open gate: \{ beforeFlush: openGate\(hook\) \}/);
  });
});
