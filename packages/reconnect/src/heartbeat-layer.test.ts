import { describe, expect, it } from 'vitest';
import { FakeClock, settle } from '../test-support/fake-clock.js';
import { FakeWebSocket, fakeTransport, PingableFakeWebSocket } from '../test-support/fake-websocket.js';
import { HeartbeatTimeoutError } from './errors/heartbeat-timeout-error.js';
import type { FailureInfo } from './events.js';
import { heartbeat } from './heartbeat-layer.js';
import type { CoreReconnectOptions } from './options.js';
import { ReconnectingWebSocketCore } from './reconnecting-websocket-core.js';

function setup(options: CoreReconnectOptions, Kind: typeof FakeWebSocket = FakeWebSocket) {
  const clock = new FakeClock();
  const transport = fakeTransport(Kind);
  const socket = new ReconnectingWebSocketCore('ws://example.test/', undefined, {
    WebSocket: transport.WebSocket,
    clock,
    random: () => 0.5,
    ...options,
  });
  const failures: FailureInfo[] = [];
  socket.on('failure', (info) => failures.push(info));
  return { socket, transport, clock, failures };
}

describe('heartbeat()', () => {
  it.each([
    [{ closeCode: 1006 }, /heartbeat.closeCode must be 1000 or in 3000–4999/],
    [{ mode: 'application' as const }, /heartbeat.mode 'application' needs heartbeat.message/],
    [{ timeoutMs: Number.NaN }, /heartbeat.timeoutMs must be a number/],
    [{ mode: 'sometimes' as never }, /heartbeat.mode must be one of/],
  ])('checks its options when made: %j', (options, message) => {
    expect(() => heartbeat(options)).toThrow(message);
  });

  it('pings over the protocol, and closes a silent connection with its close code', async () => {
    const { socket, transport, clock, failures } = setup(
      { heartbeat: heartbeat({ intervalMs: 1000, timeoutMs: 500, closeCode: 4100 }) },
      PingableFakeWebSocket,
    );
    await settle();
    transport.last().accept();
    await clock.advance(1000);
    expect((transport.last() as PingableFakeWebSocket).pings).toHaveLength(1);
    await clock.advance(500);
    expect(failures[0]?.failure.kind).toBe('heartbeat-timeout');
    expect(failures[0]?.failure.error).toBeInstanceOf(HeartbeatTimeoutError);
    expect(failures[0]?.failure.error).toMatchObject({ closeCode: 4100, timeoutMs: 500 });
    expect(transport.sockets[0]?.closeCalls[0]).toEqual({ code: 4100, reason: 'heartbeat timeout' });
    expect(socket.state).toBe('waiting');
  });

  it('consumes the application pongs it asked for, and no others', async () => {
    const { socket, transport, clock } = setup({
      heartbeat: heartbeat({ intervalMs: 1000, message: 'ping', isPong: (data) => data === 'pong' }),
    });
    const messages: unknown[] = [];
    socket.on('message', (data) => messages.push(data));
    await settle();
    transport.last().accept();
    await clock.advance(1000);
    expect(transport.last().sent).toEqual(['ping']);
    transport.last().receive('pong');
    transport.last().receive('data');
    expect(messages).toEqual(['data']);
  });

  it("does nothing where the transport has no ping and no message is given ('auto')", async () => {
    const { socket, transport, clock, failures } = setup({ heartbeat: heartbeat() });
    await settle();
    transport.last().accept();
    await clock.advance(120_000);
    expect(transport.last().sent).toEqual([]);
    expect(failures).toEqual([]);
    expect(socket.state).toBe('open');
  });
});

describe('ReconnectingWebSocketCore without a heartbeat', () => {
  it('never pings, even a transport that has ping()', async () => {
    const { socket, transport, clock } = setup({}, PingableFakeWebSocket);
    await settle();
    transport.last().accept();
    await clock.advance(120_000);
    expect((transport.last() as PingableFakeWebSocket).pings).toEqual([]);
    expect(socket.state).toBe('open');
  });

  it('refuses heartbeat options where it takes the heartbeat layer, naming heartbeat()', () => {
    expect(
      () =>
        new ReconnectingWebSocketCore('ws://x/', undefined, {
          WebSocket: FakeWebSocket,
          heartbeat: { intervalMs: 1000 } as never,
        }),
    ).toThrow(/heartbeat takes the heartbeat layer: \{ heartbeat: heartbeat\(\{ intervalMs \}\) \}/);
  });
});
