import { HandshakeError } from '@sturdysocket/core';
import { describe, expect, it } from 'vitest';
import { FakeClock, settle } from '../test-support/fake-clock.js';
import { fakeTransport } from '../test-support/fake-websocket.js';
import { TransportError } from './errors/transport-error.js';
import type { FailureInfo } from './events.js';
import { readHandshake } from './handshake-reader.js';
import type { CoreReconnectOptions } from './options.js';
import { ReconnectLoop } from './reconnect-loop.js';
import { ReconnectingWebSocketCore } from './reconnecting-websocket-core.js';

function setup(options: CoreReconnectOptions = {}) {
  const clock = new FakeClock();
  const transport = fakeTransport();
  const socket = new ReconnectLoop('ws://example.test/', undefined, {
    WebSocket: transport.WebSocket,
    clock,
    random: () => 0.5,
    ...options,
  });
  const failures: FailureInfo[] = [];
  socket.on('failure', (info) => failures.push(info));
  return { socket, transport, clock, failures };
}

const forbidden = () =>
  new HandshakeError('http-status', 'Forbidden', { status: 403, headers: { 'retry-after': '9' } });

describe('ReconnectLoop', () => {
  it('reports through on() only: no WHATWG event half', async () => {
    const { socket, transport } = setup();
    const seen: string[] = [];
    socket.on('open', () => seen.push('open'));
    socket.on('message', (data) => seen.push(`message ${data}`));
    await settle();
    transport.last().accept();
    transport.last().receive('hi');
    expect(seen).toEqual(['open', 'message hi']);
    expect('addEventListener' in socket).toBe(false);
    expect('onmessage' in socket).toBe(false);
    expect(socket.listenerCount()).toBe(3);
  });

  it('without readHandshake, a refused handshake carries no details and is retried', async () => {
    const { socket, transport, failures } = setup();
    await settle();
    transport.last().drop(forbidden());
    expect(failures[0]?.failure).toMatchObject({ kind: 'transport', handshake: undefined, retryAfterMs: undefined });
    expect(failures[0]?.decision.action).toBe('retry');
    expect(socket.state).toBe('waiting');
    socket.close();
  });

  it('with readHandshake, the same failure is a handshake failure that stops the loop (HTTP 403)', async () => {
    const { socket, transport, failures } = setup({ readHandshake });
    await settle();
    transport.last().drop(forbidden());
    expect(failures[0]?.failure).toMatchObject({ kind: 'handshake', handshake: { status: 403 }, retryAfterMs: 9000 });
    expect(socket.state).toBe('closed');
  });

  it("stops when the factory's transport refuses the URL (a SyntaxError thrown as it is called), and retries other factory failures", async () => {
    const syntax = () => new DOMException("The URL 'wss://[' is invalid", 'SyntaxError');
    for (const [factory, kind, action] of [
      [
        () => {
          throw syntax();
        },
        'transport',
        'stop',
      ],
      [
        () => {
          throw new Error('no credentials yet');
        },
        'provider',
        'retry',
      ],
      // An async factory's SyntaxError may be its own (JSON.parse of a proxy's error page).
      [
        async () => {
          throw syntax();
        },
        'provider',
        'retry',
      ],
      // ...unless it says the transport refused, as the auth layer does: then it is the transport's.
      [
        async () => {
          throw new TransportError('refused', syntax());
        },
        'transport',
        'stop',
      ],
      [
        async () => {
          throw new TransportError('refused', new Error('EMFILE'));
        },
        'transport',
        'retry',
      ],
    ] as const) {
      const failures: FailureInfo[] = [];
      const socket = new ReconnectLoop('wss://[', undefined, {
        factory,
        clock: new FakeClock(),
      });
      socket.on('failure', (info) => failures.push(info));
      socket.on('error', () => undefined);
      await settle();
      expect(failures[0]?.failure.kind).toBe(kind);
      expect(failures[0]?.decision.action).toBe(action);
      socket.close();
    }
  });

  it('announces no open for a connection that failed inside the flush of the outbox', async () => {
    const { socket, transport } = setup();
    const events: string[] = [];
    socket.on('open', () => events.push('open'));
    socket.on('close', ({ willReconnect }) => events.push(`close ${willReconnect}`));
    socket.send('queued');
    await settle();
    const fake = transport.last();
    // The transport fails the connection inside send(): error, then close, before send returns.
    fake.send = () => fake.drop(new Error('reset during send'));
    socket.on('error', () => undefined);
    fake.accept();
    expect(events).toEqual(['close true']);
    expect(socket.state).toBe('waiting');
    socket.close();
  });

  it('keeps what a close listener sends after reconnect(): only what was queued goes with the loop', async () => {
    const { socket, transport } = setup();
    const drops: string[] = [];
    socket.on('drop', ({ data }) => drops.push(String(data)));
    socket.send('before');
    await settle();
    socket.once('close', () => {
      socket.reconnect();
      socket.send('after');
    });
    socket.close();
    expect(drops).toEqual(['before']);
    expect(socket.queuedMessages).toBe(1);
    await settle();
    transport.last().accept();
    expect(transport.last().sent).toEqual(['after']);
    socket.close();
  });

  it('checks readHandshake like every other option', () => {
    expect(() => setup({ readHandshake: 'yes' as never })).toThrow(/readHandshake must be a function/);
  });
});

describe('ReconnectingWebSocketCore', () => {
  it('reads handshakes by default, and can be told not to', async () => {
    for (const [options, kind] of [
      [{}, 'handshake'],
      [{ readHandshake: undefined }, 'transport'],
    ] as const) {
      const transport = fakeTransport();
      const socket = new ReconnectingWebSocketCore('ws://example.test/', undefined, {
        WebSocket: transport.WebSocket,
        clock: new FakeClock(),
        ...options,
      });
      const failures: FailureInfo[] = [];
      socket.on('failure', (info) => failures.push(info));
      await settle();
      transport.last().drop(forbidden());
      expect(failures[0]?.failure.kind).toBe(kind);
      socket.close();
    }
  });

  it("takes reconnecting-websocket's option names, which the loop refuses, naming its own", () => {
    const legacy = { maxEnqueuedMessages: 1, startClosed: true } as never;
    const core = new ReconnectingWebSocketCore('ws://example.test/', undefined, {
      WebSocket: fakeTransport().WebSocket,
      ...(legacy as object),
    });
    core.reconnect();
    core.send('a');
    core.send('b');
    expect(core.queuedMessages).toBe(1);
    core.close();
    expect(
      () =>
        new ReconnectLoop('ws://example.test/', undefined, {
          WebSocket: fakeTransport().WebSocket,
          ...(legacy as object),
        }),
    ).toThrow(/maxEnqueuedMessages is reconnecting-websocket's name for outbox.maxMessages/);
  });

  it('gives each WHATWG event to the on… handler, then the listeners, then on()', async () => {
    const transport = fakeTransport();
    const socket = new ReconnectingWebSocketCore('ws://example.test/', undefined, {
      WebSocket: transport.WebSocket,
      clock: new FakeClock(),
    });
    const order: string[] = [];
    socket.on('message', () => order.push('on()'));
    socket.addEventListener('message', (event) => order.push(`listener ${event.data} ${event.target === socket}`));
    socket.onmessage = () => order.push('onmessage');
    await settle();
    transport.last().accept();
    transport.last().receive('x');
    expect(order).toEqual(['onmessage', 'listener x true', 'on()']);
    expect(socket.listenerCount('message')).toBe(2);
    socket.close();
  });
});
