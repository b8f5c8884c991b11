import { HandshakeError, SturdySocketError } from '@sturdysocket/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClock, settle } from '../test-support/fake-clock.js';
import { FakeWebSocket, fakeTransport, PingableFakeWebSocket } from '../test-support/fake-websocket.js';
import { manualSignals } from '../test-support/manual-signals.js';
import { ConnectionTimeoutError } from './errors/connection-timeout-error.js';
import { IteratorOverflowError } from './errors/iterator-overflow-error.js';
import { MessageDroppedError } from './errors/message-dropped-error.js';
import { OutboxFullError } from './errors/outbox-full-error.js';
import { ProviderError } from './errors/provider-error.js';
import { ReconnectStoppedError } from './errors/reconnect-stopped-error.js';
import type { CloseInfo, DropInfo, FailureInfo, ReconnectingInfo } from './events.js';
import type { ReconnectOptions } from './options.js';
import { ReconnectingWebSocket } from './reconnecting-websocket.js';

function setup<T extends FakeWebSocket = FakeWebSocket>(
  options: ReconnectOptions = {},
  Kind?: new (url: string, protocols?: string | string[], options?: unknown) => T,
  url: ConstructorParameters<typeof ReconnectingWebSocket>[0] = 'ws://example.test/',
  protocols?: ConstructorParameters<typeof ReconnectingWebSocket>[1],
) {
  const clock = new FakeClock();
  const transport = fakeTransport<T>(Kind);
  const socket = new ReconnectingWebSocket(url, protocols, {
    WebSocket: transport.WebSocket,
    clock,
    random: () => 0.5,
    ...options,
  });
  const states: string[] = [socket.state];
  socket.on('state', ({ to }) => states.push(to));
  const closes: CloseInfo[] = [];
  socket.on('close', (info) => closes.push(info));
  const failures: FailureInfo[] = [];
  socket.on('failure', (info) => failures.push(info));
  const reconnecting: ReconnectingInfo[] = [];
  socket.on('reconnecting', (info) => reconnecting.push(info));
  const errors: unknown[] = [];
  socket.on('error', (error) => errors.push(error));
  const drops: DropInfo[] = [];
  socket.on('drop', (info) => drops.push(info));
  return { clock, transport, socket, states, closes, failures, reconnecting, errors, drops };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('construction', () => {
  it('throws a TypeError naming the fix when there is no WebSocket to use', () => {
    vi.stubGlobal('WebSocket', undefined);
    expect(() => new ReconnectingWebSocket('ws://example.test/')).toThrow(/pass options.WebSocket/);
  });

  it('uses globalThis.WebSocket when present', async () => {
    const transport = fakeTransport();
    vi.stubGlobal('WebSocket', transport.WebSocket);
    const socket = new ReconnectingWebSocket('ws://example.test/', undefined, { clock: new FakeClock() });
    await settle();
    expect(transport.sockets).toHaveLength(1);
    socket.close();
  });

  it('rejects bad options with the option named', () => {
    const WebSocket = fakeTransport().WebSocket;
    expect(() => new ReconnectingWebSocket('ws://x/', undefined, { WebSocket, connectionTimeoutMs: -1 })).toThrow(
      /connectionTimeoutMs/,
    );
    expect(
      () => new ReconnectingWebSocket('ws://x/', undefined, { WebSocket, outbox: { overflow: 'nope' as never } }),
    ).toThrow(/outbox.overflow/);
    expect(
      () => new ReconnectingWebSocket('ws://x/', undefined, { WebSocket, heartbeat: { closeCode: 1006 } }),
    ).toThrow(/heartbeat.closeCode/);
  });

  it('starts the first attempt in a microtask, so listeners added after `new` see it', async () => {
    const { socket, transport } = setup();
    const connecting: number[] = [];
    socket.on('connecting', ({ attempt }) => connecting.push(attempt));
    expect(socket.readyState).toBe(socket.CONNECTING);
    await settle();
    expect(connecting).toEqual([1]);
    expect(transport.sockets).toHaveLength(1);
  });

  it('stays closed with startClosed until reconnect()', async () => {
    const { socket, transport, clock } = setup({ startClosed: true });
    await clock.advance(60_000);
    expect(socket.state).toBe('closed');
    expect(transport.sockets).toHaveLength(0);
    socket.reconnect();
    await settle();
    expect(transport.sockets).toHaveLength(1);
  });
});

describe('the WebSocket API', () => {
  it('has the constants, readyState, protocol, url and every event, through handlers and listeners', async () => {
    const { socket, transport } = setup({}, undefined, 'ws://example.test/a', ['chat', 'superchat']);
    expect([
      ReconnectingWebSocket.CONNECTING,
      ReconnectingWebSocket.OPEN,
      ReconnectingWebSocket.CLOSING,
      ReconnectingWebSocket.CLOSED,
    ]).toEqual([0, 1, 2, 3]);
    const seen: string[] = [];
    socket.onopen = (event) => seen.push(`onopen:${event.type}`);
    socket.onmessage = (event) => seen.push(`onmessage:${event.data}`);
    socket.onclose = (event) => seen.push(`onclose:${event.code}`);
    socket.onerror = (event) => seen.push(`onerror:${(event.error as Error).message}`);
    const once = (event: { data: unknown }) => seen.push(`once:${event.data}`);
    socket.addEventListener('message', once, { once: true });
    socket.on('message', (data) => seen.push(`on:${data}`));
    await settle();
    const fake = transport.last();
    expect(fake.url).toBe('ws://example.test/a');
    expect(fake.protocols).toEqual(['chat', 'superchat']);
    fake.accept('chat');
    expect(socket.readyState).toBe(socket.OPEN);
    expect(socket.protocol).toBe('chat');
    expect(socket.url).toBe('ws://example.test/a');
    fake.receive('one');
    fake.receive('two');
    fake.drop(new Error('reset'));
    expect(seen).toEqual([
      'onopen:open',
      'onmessage:one',
      'once:one',
      'on:one',
      'onmessage:two',
      'on:two',
      'onerror:reset',
      'onclose:1006',
    ]);
    expect(socket.readyState).toBe(socket.CONNECTING);
    socket.close();
    expect(socket.readyState).toBe(socket.CLOSED);
  });

  it('on() returns an unsubscribe, and removeEventListener removes', async () => {
    const { socket, transport } = setup();
    const seen: unknown[] = [];
    const off = socket.on('message', (data) => seen.push(data));
    const listener = (event: { data: unknown }) => seen.push(`dom:${event.data}`);
    socket.addEventListener('message', listener);
    await settle();
    transport.last().accept();
    transport.last().receive(1);
    off();
    socket.removeEventListener('message', listener);
    transport.last().receive(2);
    expect(seen).toEqual(['dom:1', 1]);
  });

  it('skips a listener removed or aborted by an earlier one in the same dispatch, as DOM events do', async () => {
    const { socket, transport } = setup();
    const seen: string[] = [];
    const removed = () => seen.push('removed');
    const unsubscribed = () => seen.push('unsubscribed');
    const aborter = new AbortController();
    socket.addEventListener('message', () => {
      seen.push('first');
      socket.removeEventListener('message', removed);
      offUnsubscribed();
      aborter.abort();
    });
    socket.addEventListener('message', removed);
    const offUnsubscribed = socket.on('message', unsubscribed);
    socket.addEventListener('message', () => seen.push('aborted'), { signal: aborter.signal });
    socket.addEventListener('message', () => seen.push('last'));
    await settle();
    transport.last().accept();
    transport.last().receive('x');
    expect(seen).toEqual(['first', 'last']);
  });

  it('keeps going when a listener throws', async () => {
    const { socket, transport } = setup();
    const reported: unknown[] = [];
    vi.stubGlobal('reportError', (error: unknown) => reported.push(error));
    socket.onopen = () => {
      throw new Error('listener bug');
    };
    await settle();
    transport.last().accept();
    expect(socket.state).toBe('open');
    expect(reported).toEqual([new Error('listener bug')]);
  });

  it('validates close() arguments as WebSocket does', () => {
    const { socket } = setup();
    expect(() => socket.close(1001)).toThrow(expect.objectContaining({ name: 'InvalidAccessError' }));
    expect(() => socket.close(1000, 'x'.repeat(124))).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
    socket.close(4321, 'fine');
    expect(socket.state).toBe('closed');
  });
});

describe('providers', () => {
  it('re-runs url, protocols and transportOptions providers on every attempt', async () => {
    let n = 0;
    const { transport, clock } = setup(
      { transportOptions: async () => ({ headers: { authorization: `token-${n}` } }) },
      undefined,
      () => `ws://example.test/?n=${++n}`,
      async () => [`v${n}`],
    );
    await settle();
    transport.last().drop();
    await clock.advance(500);
    expect(transport.sockets.map((s) => [s.url, s.protocols, s.options])).toEqual([
      ['ws://example.test/?n=1', ['v1'], { headers: { authorization: 'token-1' } }],
      ['ws://example.test/?n=2', ['v2'], { headers: { authorization: 'token-2' } }],
    ]);
  });

  it('treats a throwing or rejecting provider as a classified failure that backs off', async () => {
    let calls = 0;
    const { transport, clock, failures, errors, socket } = setup({}, undefined, () => {
      calls += 1;
      if (calls === 1) throw new Error('no url yet');
      if (calls === 2) return Promise.reject(new Error('still no url'));
      return 'ws://example.test/';
    });
    await settle();
    expect(socket.state).toBe('waiting');
    expect(failures[0]?.failure.kind).toBe('provider');
    expect(failures[0]?.decision.action).toBe('retry');
    expect(errors[0]).toBeInstanceOf(ProviderError);
    await clock.advance(500);
    expect(failures).toHaveLength(2);
    await clock.advance(1000);
    expect(transport.sockets).toHaveLength(1);
  });

  it('ends a provider that never settles with the connection timeout, and retries', async () => {
    let calls = 0;
    const { transport, clock, failures } = setup({ connectionTimeoutMs: 3000 }, undefined, () => {
      calls += 1;
      return calls === 1 ? new Promise<string>(() => undefined) : 'ws://example.test/';
    });
    await clock.advance(2999);
    expect(failures).toHaveLength(0);
    await clock.advance(1);
    expect(failures[0]?.failure.kind).toBe('connection-timeout');
    expect(failures[0]?.failure.error).toBeInstanceOf(ConnectionTimeoutError);
    await clock.advance(500);
    expect(transport.sockets).toHaveLength(1);
  });

  it('supports an async factory that receives the attempt and the transport options', async () => {
    const clock = new FakeClock();
    const made: Array<{ url: string; attempt: number; options: unknown }> = [];
    const socket = new ReconnectingWebSocket('ws://example.test/', 'p', {
      clock,
      random: () => 0,
      transportOptions: { tls: true },
      factory: async (url, protocols, context) => {
        made.push({ url, attempt: context.attempt, options: context.transportOptions });
        return new FakeWebSocket(url, protocols);
      },
    });
    await settle();
    expect(made).toEqual([{ url: 'ws://example.test/', attempt: 1, options: { tls: true } }]);
    socket.close();
  });
});

describe('retry policy', () => {
  it('retries the first connection like any other, with exponential full-jitter backoff', async () => {
    const { transport, clock, reconnecting, socket } = setup();
    await settle();
    for (let i = 0; i < 4; i++) {
      transport.last().drop(new Error('ECONNREFUSED'));
      await clock.advance(reconnecting.at(-1)?.delayMs ?? 0);
    }
    expect(reconnecting.map((r) => [r.attempt, r.delayMs])).toEqual([
      [1, 500],
      [2, 1000],
      [3, 2000],
      [4, 4000],
    ]);
    expect(transport.sockets).toHaveLength(5);
    expect(socket.retryCount).toBe(4);
  });

  it('resets the failure count only after minUptimeMs of being open', async () => {
    const { transport, clock, reconnecting, socket } = setup({ retry: { minUptimeMs: 5000 } });
    await settle();
    transport.last().drop();
    await clock.advance(500);
    transport.last().accept();
    await clock.advance(4999);
    expect(socket.retryCount).toBe(1);
    transport.last().drop(); // open for less than minUptime: still the same outage
    expect(reconnecting.at(-1)).toMatchObject({ attempt: 2, delayMs: 1000 });
    await clock.advance(1000);
    transport.last().accept();
    await clock.advance(5000);
    expect(socket.retryCount).toBe(0); // the outage ended while it was open, as reconnecting-websocket says
    transport.last().drop();
    expect(reconnecting.at(-1)).toMatchObject({ attempt: 1, delayMs: 500 });
  });

  it('stops after maxRetries consecutive failures, leaving nothing behind', async () => {
    const { transport, clock, socket, errors, closes } = setup({ retry: { maxRetries: 2 } });
    await settle();
    for (let i = 0; i < 3; i++) {
      transport.last().drop();
      await clock.advance(10_000);
    }
    expect(transport.sockets).toHaveLength(3);
    expect(socket.state).toBe('closed');
    const stopped = errors.at(-1) as ReconnectStoppedError;
    expect(stopped).toBeInstanceOf(ReconnectStoppedError);
    expect(stopped.stopReason).toBe('max-retries');
    expect(closes.at(-1)?.willReconnect).toBe(false);
    expect(clock.pending).toBe(0);
  });

  it.each([1002, 1003, 1007, 1008, 1010])('stops on the fatal close code %i', async (code) => {
    const { transport, clock, socket, errors, closes } = setup();
    await settle();
    transport.last().accept();
    transport.last().serverClose(code, 'no');
    expect(socket.state).toBe('closed');
    expect((errors.at(-1) as ReconnectStoppedError).stopReason).toBe('classified');
    expect(closes.map((c) => [c.code, c.willReconnect])).toEqual([[code, false]]);
    await clock.advance(120_000);
    expect(transport.sockets).toHaveLength(1);
  });

  it('retries after a normal close from the server and applies configured application codes', async () => {
    const { transport, clock, socket } = setup({ retry: { applicationCloseCodes: { 4403: 'stop' } } });
    await settle();
    transport.last().accept();
    transport.last().serverClose(1000);
    expect(socket.state).toBe('waiting');
    await clock.advance(500);
    transport.last().accept();
    transport.last().serverClose(4500);
    expect(socket.state).toBe('waiting');
    await clock.advance(1000);
    transport.last().accept();
    transport.last().serverClose(4403);
    expect(socket.state).toBe('closed');
  });

  it('stops on a typed handshake failure with HTTP 403', async () => {
    const { transport, socket, failures } = setup();
    await settle();
    transport.last().drop(new HandshakeError('http-status', 'Forbidden', { status: 403, headers: {} }));
    expect(failures[0]?.failure).toMatchObject({ kind: 'handshake', handshake: { status: 403 } });
    expect(socket.state).toBe('closed');
  });

  it('honours Retry-After on HTTP 503', async () => {
    const { transport, clock, reconnecting } = setup();
    await settle();
    const error = new HandshakeError('http-status', 'busy', { status: 503, headers: { 'retry-after': '7' } });
    transport.last().drop(error);
    expect(reconnecting[0]?.delayMs).toBe(7000);
    await clock.advance(6999);
    expect(transport.sockets).toHaveLength(1);
    await clock.advance(1);
    expect(transport.sockets).toHaveLength(2);
  });

  it('classifies HTTP 401 as refresh-auth, reports it, and retries', async () => {
    const { transport, clock, failures } = setup();
    await settle();
    transport.last().drop(new HandshakeError('http-status', 'Unauthorized', { status: 401 }));
    expect(failures[0]?.decision.action).toBe('refresh-auth');
    await clock.advance(500);
    expect(transport.sockets).toHaveLength(2);
  });

  it('hands a user classifier the full context, and uses its delay', async () => {
    const contexts: Array<{ attempt: number; elapsedMs: number; previous: string | undefined; fallback: string }> = [];
    const { transport, clock, reconnecting } = setup({
      retry: {
        classify: (context) => {
          contexts.push({
            attempt: context.attempt,
            elapsedMs: context.elapsedMs,
            previous: context.previousFailure?.kind,
            fallback: context.defaultDecision.action,
          });
          return { action: 'retry', delayMs: 42 };
        },
      },
    });
    await settle();
    transport.last().drop();
    await clock.advance(42);
    await clock.advance(100);
    transport.last().drop();
    expect(contexts).toEqual([
      { attempt: 1, elapsedMs: 0, previous: undefined, fallback: 'retry' },
      { attempt: 2, elapsedMs: 142, previous: 'transport', fallback: 'retry' },
    ]);
    expect(reconnecting.map((r) => r.delayMs)).toEqual([42, 42]);
  });

  it.each(['close', 'reconnect'] as const)(
    'a classifier that calls %s() (an auth observer does) is obeyed: the failure it decides about does not restart the loop',
    async (call) => {
      let socket: ReconnectingWebSocket | undefined;
      const t = setup({
        retry: {
          classify: (context) => {
            if (call === 'close') socket?.close();
            else socket?.reconnect();
            return context.defaultDecision;
          },
        },
      });
      socket = t.socket;
      await settle();
      t.transport.last().drop();
      await settle();
      if (call === 'close') {
        expect(t.socket.state).toBe('closed');
        await t.clock.advance(60_000);
        expect(t.transport.sockets).toHaveLength(1);
        expect(t.socket.state).toBe('closed');
      } else {
        // The reconnect() made a fresh attempt at once; no backoff wait follows it.
        expect(t.transport.sockets).toHaveLength(2);
        expect(t.socket.state).toBe('connecting');
        t.transport.last().accept();
        expect(t.socket.state).toBe('open');
        await t.clock.advance(60_000);
        expect(t.transport.sockets).toHaveLength(2);
      }
    },
  );

  it('reports the error a stop decision carries, as the cause of ReconnectStoppedError', async () => {
    const refused = new SturdySocketError('ERR_TEST_AUTH', 'credentials refused twice');
    const { transport, errors, socket } = setup({ retry: { classify: () => ({ action: 'stop', error: refused }) } });
    await settle();
    transport.last().serverClose(4001, 'auth');
    expect(socket.state).toBe('closed');
    expect(errors).toContain(refused);
    const stopped = errors.at(-1) as ReconnectStoppedError;
    expect(stopped).toBeInstanceOf(ReconnectStoppedError);
    expect(stopped.cause).toBe(refused);
  });

  it('stops (and reports) when the classifier throws, rather than wedging', async () => {
    const { transport, socket, errors } = setup({
      retry: {
        classify: () => {
          throw new Error('classifier bug');
        },
      },
    });
    await settle();
    transport.last().drop();
    expect(socket.state).toBe('closed');
    expect(errors.some((e) => (e as { cause?: unknown }).cause instanceof Error)).toBe(true);
  });

  it('stops when the transport rejects the URL with a SyntaxError', async () => {
    const clock = new FakeClock();
    class Strict extends FakeWebSocket {
      constructor(url: string) {
        super(url);
        throw new SyntaxError('bad URL');
      }
    }
    const socket = new ReconnectingWebSocket('nope', undefined, { WebSocket: Strict, clock });
    await settle();
    expect(socket.state).toBe('closed');
  });

  it('ends a handshake that never completes with the connection timeout and closes the socket', async () => {
    const { transport, clock, failures } = setup({ connectionTimeoutMs: 2000 });
    await clock.advance(2000);
    expect(failures[0]?.failure.kind).toBe('connection-timeout');
    expect(transport.sockets[0]?.closeCalls).toHaveLength(1);
    expect(transport.live()).toHaveLength(0);
  });
});

describe('close()', () => {
  const stateSetups: Record<string, (t: ReturnType<typeof setup>) => Promise<void>> = {
    'connecting (provider pending)': async () => undefined,
    'connecting (handshake)': async () => settle(),
    waiting: async ({ transport }) => {
      await settle();
      transport.last().drop();
    },
    open: async ({ transport }) => {
      await settle();
      transport.last().accept();
    },
  };

  for (const [name, reach] of Object.entries(stateSetups)) {
    it(`ends the loop from ${name} with one final close event and nothing left behind`, async () => {
      const t = setup({ outbox: { ttlMs: 60_000 } });
      await reach(t);
      t.socket.send('queued-or-sent');
      t.closes.length = 0;
      t.socket.close(4000, 'bye');
      if (t.socket.state === 'closing') {
        expect(t.transport.last().closeCalls.at(-1)).toEqual({ code: 4000, reason: 'bye' });
        t.transport.last().serverClose(4000, 'bye');
      }
      expect(t.socket.state).toBe('closed');
      await t.clock.advance(600_000);
      expect(t.clock.pending).toBe(0);
      expect(t.transport.live()).toHaveLength(0);
      expect(t.closes.filter((c) => !c.willReconnect)).toHaveLength(1);
      expect(t.socket.state).toBe('closed');
    });
  }

  it('creates no socket when a pending provider resolves after close()', async () => {
    let resolveUrl: (url: string) => void = () => undefined;
    const { socket, transport, clock } = setup({}, undefined, () => new Promise<string>((r) => (resolveUrl = r)));
    await settle();
    socket.close();
    resolveUrl('ws://example.test/');
    await clock.advance(60_000);
    expect(transport.sockets).toHaveLength(0);
    expect(clock.pending).toBe(0);
  });

  it('closes a socket an async factory delivers after close()', async () => {
    const clock = new FakeClock();
    const late = new FakeWebSocket('ws://example.test/');
    let deliver: (socket: FakeWebSocket) => void = () => undefined;
    const socket = new ReconnectingWebSocket('ws://example.test/', undefined, {
      clock,
      factory: () => new Promise<FakeWebSocket>((resolve) => (deliver = resolve)),
    });
    await settle();
    socket.close();
    deliver(late);
    await settle();
    expect(late.closeCalls).toHaveLength(1);
  });

  it('gives up on an unanswered closing handshake after closeTimeoutMs', async () => {
    const { socket, transport, clock, closes } = setup({ closeTimeoutMs: 1000 });
    await settle();
    transport.last().accept();
    socket.close();
    expect(socket.readyState).toBe(socket.CLOSING);
    await clock.advance(1000);
    expect(socket.state).toBe('closed');
    expect(closes.at(-1)).toMatchObject({ code: 1006, wasClean: false, willReconnect: false });
    expect(clock.pending).toBe(0);
  });
});

describe('reconnect()', () => {
  it('replaces an open connection at once and resets the failure count', async () => {
    const { socket, transport, closes } = setup();
    await settle();
    transport.last().drop();
    socket.reconnect();
    await settle();
    transport.last().accept();
    expect(socket.retryCount).toBe(0);
    socket.reconnect(4100, 'switch');
    expect(transport.sockets[1]?.closeCalls).toEqual([{ code: 4100, reason: 'switch' }]);
    expect(closes.at(-1)).toMatchObject({ code: 4100, willReconnect: true });
    await settle();
    expect(transport.sockets).toHaveLength(3);
    expect(transport.live()).toHaveLength(1);
  });

  it('restarts a closed loop', async () => {
    const { socket, transport } = setup();
    await settle();
    socket.close();
    socket.reconnect();
    await settle();
    transport.last().accept();
    expect(socket.state).toBe('open');
  });
});

describe('outbox', () => {
  it('queues while not open and flushes in order on open, before anything sent from onopen', async () => {
    const { socket, transport } = setup();
    expect(socket.send('a')).toBe('queued');
    const receipt = socket.sendWithReceipt('b');
    expect(receipt.status).toBe('queued');
    expect(socket.queuedMessages).toBe(2);
    expect(socket.bufferedAmount).toBe(2);
    socket.onopen = () => socket.send('from-onopen');
    await settle();
    transport.last().accept();
    expect(transport.last().sent).toEqual(['a', 'b', 'from-onopen']);
    await expect(receipt.delivered).resolves.toBeUndefined();
    expect(socket.send('c')).toBe('sent');
  });

  it('keeps queued messages across failed attempts and delivers each once', async () => {
    const { socket, transport, clock } = setup();
    await settle();
    socket.send('1');
    transport.last().drop();
    socket.send('2');
    await clock.advance(500);
    transport.last().drop();
    socket.send('3');
    await clock.advance(1000);
    transport.last().accept();
    expect(transport.sockets.flatMap((s) => s.sent)).toEqual(['1', '2', '3']);
  });

  it('queues rather than hand a message to a transport that is no longer OPEN (it would discard it)', async () => {
    class Lenient extends FakeWebSocket {
      // As `ws` and WHATWG WebSocket: send() while CLOSING or CLOSED discards without an error.
      override send(data: string): void {
        if (this.readyState === 1) super.send(data);
      }
    }
    const { socket, transport, clock } = setup({}, Lenient);
    await settle();
    transport.last().accept();
    transport.last().readyState = 2; // the closing handshake began; its close event has not come yet
    expect(socket.send('late')).toBe('queued');
    transport.last().serverClose(1001);
    await clock.advance(500);
    transport.last().accept();
    expect(transport.sockets.map((s) => s.sent)).toEqual([[], ['late']]);
  });

  it('counts a number sent from plain JavaScript as its text (it made the byte count NaN, which lifted maxBytes)', () => {
    const { socket, drops } = setup({ outbox: { maxBytes: 10 } });
    socket.send(12345 as never);
    expect(socket.bufferedAmount).toBe(5);
    socket.send('abcdef');
    expect(drops.map((drop) => drop.data)).toEqual([12345]);
    expect(socket.bufferedAmount).toBe(6);
    socket.send('x'.repeat(11));
    expect(socket.queuedMessages).toBe(1);
    socket.close();
  });

  it('drop-oldest evicts the oldest, emits drop and rejects its receipt', async () => {
    const { socket, drops } = setup({ outbox: { maxMessages: 2 } });
    const first = socket.sendWithReceipt('1');
    socket.send('2');
    expect(socket.send('3')).toBe('queued');
    expect(drops).toEqual([{ data: '1', reason: 'overflow' }]);
    await expect(first.delivered).rejects.toBeInstanceOf(MessageDroppedError);
  });

  it('drop-newest refuses the new message; reject throws OutboxFullError', () => {
    const newest = setup({ outbox: { maxMessages: 1, overflow: 'drop-newest' } });
    newest.socket.send('1');
    expect(newest.socket.send('2')).toBe('dropped');
    expect(newest.drops).toEqual([{ data: '2', reason: 'overflow' }]);
    const strict = setup({ outbox: { maxBytes: 4, overflow: 'reject' } });
    strict.socket.send('1234');
    expect(() => strict.socket.send('5')).toThrow(OutboxFullError);
    expect(strict.socket.queuedMessages).toBe(1);
  });

  it('expires messages after ttlMs, with a drop event, while waiting', async () => {
    const { socket, clock, drops, transport } = setup({ outbox: { ttlMs: 1000 } });
    const receipt = socket.sendWithReceipt('stale');
    await clock.advance(999);
    expect(drops).toEqual([]);
    socket.send('fresh');
    await clock.advance(1);
    expect(drops).toEqual([{ data: 'stale', reason: 'expired' }]);
    await expect(receipt.delivered).rejects.toMatchObject({ dropReason: 'expired' });
    transport.last().accept();
    expect(transport.last().sent).toEqual(['fresh']);
  });

  it('drops queued messages on close() and anything sent after it, each with an event', async () => {
    const { socket, drops } = setup();
    socket.send('queued');
    socket.close();
    expect(socket.send('late')).toBe('dropped');
    expect(drops).toEqual([
      { data: 'queued', reason: 'closed' },
      { data: 'late', reason: 'closed' },
    ]);
  });

  it('drops a message the open transport refuses instead of blocking the queue', async () => {
    class Picky extends FakeWebSocket {
      override send(data: string): void {
        if (data === 'poison') throw new TypeError('unsupported data');
        super.send(data);
      }
    }
    const { socket, transport, drops } = setup({}, Picky);
    socket.send('a');
    socket.send('poison');
    socket.send('b');
    await settle();
    transport.last().accept();
    expect(transport.last().sent).toEqual(['a', 'b']);
    expect(drops).toEqual([{ data: 'poison', reason: 'send-failed' }]);
  });
});

describe('heartbeat', () => {
  it('uses the transport ping() and keeps a live connection', async () => {
    const { socket, transport, clock } = setup(
      { heartbeat: { intervalMs: 1000, timeoutMs: 500 } },
      PingableFakeWebSocket,
    );
    const rtts: number[] = [];
    socket.on('pong', (rtt) => rtts.push(rtt));
    await settle();
    transport.last().accept();
    await clock.advance(1000);
    expect(transport.last().pings).toHaveLength(1);
    await clock.advance(100);
    transport.last().answerPings();
    await clock.advance(1000);
    expect(socket.state).toBe('open');
    expect(rtts).toEqual([100]);
  });

  it('closes a silent connection with 4000 within intervalMs + timeoutMs and reconnects', async () => {
    const { socket, transport, clock, failures } = setup(
      { heartbeat: { intervalMs: 1000, timeoutMs: 500 } },
      PingableFakeWebSocket,
    );
    await settle();
    transport.last().accept();
    await clock.advance(1499);
    expect(socket.state).toBe('open');
    await clock.advance(1);
    expect(failures[0]?.failure.kind).toBe('heartbeat-timeout');
    expect(transport.sockets[0]?.closeCalls[0]).toEqual({ code: 4000, reason: 'heartbeat timeout' });
    expect(socket.state).toBe('waiting');
    await clock.advance(500);
    expect(transport.sockets).toHaveLength(2);
  });

  it('uses an application ping/pong where the transport has no ping(), hiding the pongs', async () => {
    const { socket, transport, clock, failures } = setup({
      heartbeat: {
        intervalMs: 1000,
        timeoutMs: 500,
        message: '{"type":"ping"}',
        isPong: (data) => data === '{"type":"pong"}',
      },
    });
    const messages: unknown[] = [];
    socket.on('message', (data) => messages.push(data));
    await settle();
    transport.last().accept();
    await clock.advance(1000);
    expect(transport.last().sent).toEqual(['{"type":"ping"}']);
    transport.last().receive('{"type":"pong"}');
    transport.last().receive('data');
    await clock.advance(1400);
    expect(messages).toEqual(['data']);
    expect(failures).toHaveLength(0);
    await clock.advance(1100);
    expect(failures[0]?.failure.kind).toBe('heartbeat-timeout');
  });

  it('treats any incoming message as liveness', async () => {
    const { socket, transport, clock } = setup(
      { heartbeat: { intervalMs: 1000, timeoutMs: 500 } },
      PingableFakeWebSocket,
    );
    await settle();
    transport.last().accept();
    for (let i = 0; i < 10; i++) {
      await clock.advance(900);
      transport.last().receive(`tick ${i}`);
    }
    expect(transport.last().pings).toHaveLength(0);
    expect(socket.state).toBe('open');
  });
});

describe('beforeFlush', () => {
  it('runs after the transport opens and before the outbox flushes; can exchange messages', async () => {
    const order: string[] = [];
    const { socket, transport } = setup({
      beforeFlush: async (context) => {
        order.push(`gate state=${socket.state}`);
        context.send('auth');
        const ack = await context.nextMessage((data) => String(data).startsWith('ack'));
        order.push(`gate got ${ack}`);
      },
    });
    socket.on('message', (data) => order.push(`message ${data}`));
    socket.on('open', ({ flushed }) => order.push(`open flushed=${flushed}`));
    socket.send('queued');
    await settle();
    const fake = transport.last();
    fake.accept();
    fake.receive('hello before ack');
    fake.receive('ack ok');
    await settle();
    expect(fake.sent).toEqual(['auth', 'queued']);
    expect(order).toEqual(['gate state=connecting', 'gate got ack ok', 'open flushed=1', 'message hello before ack']);
    expect(socket.state).toBe('open');
  });

  it('fails the attempt with 4002 when it rejects, and retries', async () => {
    let calls = 0;
    const { socket, transport, clock, failures } = setup({
      beforeFlush: () => {
        calls += 1;
        if (calls === 1) throw new Error('auth refused');
      },
    });
    await settle();
    transport.last().accept();
    await settle();
    expect(failures[0]?.failure.kind).toBe('open-gate');
    expect(transport.sockets[0]?.closeCalls[0]).toEqual({ code: 4002, reason: 'beforeFlush rejected' });
    await clock.advance(500);
    transport.last().accept();
    await settle();
    expect(socket.state).toBe('open');
  });

  it('is bounded by the connection timeout, and its signal aborts', async () => {
    let signal: AbortSignal | undefined;
    const { transport, clock, failures } = setup({
      connectionTimeoutMs: 1000,
      beforeFlush: (context) => {
        signal = context.signal;
        return context.nextMessage().then(() => undefined);
      },
    });
    await settle();
    transport.last().accept();
    await clock.advance(1000);
    expect(failures[0]?.failure.kind).toBe('connection-timeout');
    expect(signal?.aborted).toBe(true);
  });
});

describe('lifecycle signals', () => {
  it('pauses attempts while offline and retries at once when online', async () => {
    const signals = manualSignals(true);
    const { socket, transport, clock } = setup({ lifecycle: signals });
    await settle();
    signals.fire('offline');
    transport.last().drop();
    expect(socket.state).toBe('waiting');
    expect(clock.pending).toBe(0);
    await clock.advance(600_000);
    expect(transport.sockets).toHaveLength(1);
    signals.fire('online');
    expect(transport.sockets).toHaveLength(1); // the attempt has begun; the socket comes after the providers
    await settle();
    expect(transport.sockets).toHaveLength(2);
  });

  it('waits for online when created offline', async () => {
    const signals = manualSignals(false);
    const { socket, transport } = setup({ lifecycle: signals });
    await settle();
    expect(socket.state).toBe('waiting');
    expect(transport.sockets).toHaveLength(0);
    signals.fire('online');
    await settle();
    expect(transport.sockets).toHaveLength(1);
  });

  it('on visible or pageshow, retries a waiting socket at once and pings an open one', async () => {
    const signals = manualSignals();
    const { transport, clock } = setup(
      { lifecycle: signals, heartbeat: { intervalMs: 30_000 } },
      PingableFakeWebSocket,
    );
    await settle();
    transport.last().drop();
    signals.fire('pageshow');
    await settle();
    expect(transport.sockets).toHaveLength(2);
    transport.last().accept();
    await clock.advance(10);
    signals.fire('visible');
    expect(transport.last().pings).toHaveLength(1);
  });

  it('waits out a Retry-After to its end: online, visible, pageshow and resume do not cut it short', async () => {
    const signals = manualSignals(true);
    const { transport, clock } = setup({ lifecycle: signals });
    await settle();
    const busy = new HandshakeError('http-status', 'busy', { status: 503, headers: { 'retry-after': '10' } });
    transport.last().drop(busy);
    await clock.advance(3_000);
    for (const signal of ['visible', 'pageshow', 'resume', 'online'] as const) signals.fire(signal);
    await settle();
    expect(transport.sockets).toHaveLength(1);
    signals.fire('offline');
    await clock.advance(4_000);
    signals.fire('online'); // 3 s of the 10 are left
    await clock.advance(2_999);
    expect(transport.sockets).toHaveLength(1);
    await clock.advance(1);
    await settle();
    expect(transport.sockets).toHaveLength(2);
  });

  it('on pagehide closes the connection and waits, paused, for pageshow; the outbox keeps what is sent meanwhile', async () => {
    const signals = manualSignals(true);
    const { socket, transport, clock, closes, states } = setup({ lifecycle: signals });
    await settle();
    transport.last().accept();
    signals.fire('pagehide');
    expect(transport.last().closeCalls).toEqual([{ code: 1000, reason: 'pagehide' }]);
    expect(socket.state).toBe('waiting');
    expect(closes.at(-1)).toMatchObject({ code: 1000, reason: 'pagehide', wasClean: true, willReconnect: true });
    expect(clock.pending).toBe(0);
    expect(socket.send('while away')).toBe('queued');
    await clock.advance(600_000);
    for (const signal of ['freeze', 'resume', 'visible'] as const) signals.fire(signal);
    await settle();
    expect(transport.sockets).toHaveLength(1);
    signals.fire('pageshow');
    await settle();
    expect(transport.sockets).toHaveLength(2);
    transport.last().accept();
    expect(transport.last().sent).toEqual(['while away']);
    expect(states.slice(-3)).toEqual(['waiting', 'connecting', 'open']);
  });

  it('on pageshow while offline stays paused until online; pagehide leaves a closing socket alone', async () => {
    const signals = manualSignals(true);
    const { socket, transport } = setup({ lifecycle: signals });
    await settle();
    signals.fire('pagehide');
    signals.fire('offline');
    signals.fire('online'); // still hidden: online alone does not bring the page back
    signals.fire('offline');
    signals.fire('pageshow');
    await settle();
    expect(transport.sockets).toHaveLength(1);
    signals.fire('online');
    await settle();
    expect(transport.sockets).toHaveLength(2);
    transport.last().accept();
    socket.close();
    expect(socket.state).toBe('closing');
    signals.fire('pagehide');
    expect(transport.last().closeCalls).toEqual([{ code: 1000, reason: undefined }]);
    expect(socket.state).toBe('closing');
  });

  it('never reopens a socket the user closed, and unsubscribes', async () => {
    const signals = manualSignals();
    const { socket, transport, clock } = setup({ lifecycle: signals });
    await settle();
    expect(signals.subscribers).toBe(1);
    socket.close();
    expect(signals.subscribers).toBe(0);
    for (const signal of ['online', 'visible', 'pageshow', 'resume'] as const) signals.fire(signal);
    await clock.advance(60_000);
    expect(transport.sockets).toHaveLength(1);
    expect(socket.state).toBe('closed');
  });
});

describe('async iteration', () => {
  it('yields messages in order and ends when the loop ends', async () => {
    const { socket, transport } = setup();
    const received: unknown[] = [];
    const done = (async () => {
      for await (const data of socket) received.push(data);
    })();
    await settle();
    transport.last().accept();
    transport.last().receive('a');
    transport.last().receive('b');
    await settle();
    socket.close();
    transport.last().receive('c'); // still delivered while closing, as by WebSocket
    transport.last().serverClose(1000);
    await done;
    expect(received).toEqual(['a', 'b', 'c']);
    expect(socket.listenerCount('message')).toBe(0);
  });

  it('messages({ maxBuffered }): a loop that falls behind ends with IteratorOverflowError; the socket goes on', async () => {
    const { socket, transport } = setup();
    const iterator = socket.messages({ maxBuffered: 2 });
    await settle();
    transport.last().accept();
    for (const data of ['a', 'b', 'c']) transport.last().receive(data);
    expect(socket.listenerCount('message')).toBe(0); // the loop let go at once
    const received: unknown[] = [];
    const failure = await (async () => {
      for await (const data of iterator) received.push(data);
    })().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(received).toEqual(['a', 'b']);
    expect(failure).toBeInstanceOf(IteratorOverflowError);
    expect(socket.state).toBe('open');
    socket.close();
  });

  it('messages() takes a positive integer or Infinity as maxBuffered', () => {
    const { socket } = setup();
    for (const maxBuffered of [0, -1, 1.5, Number.NaN]) {
      expect(() => socket.messages({ maxBuffered })).toThrow(RangeError);
    }
    expect(() => socket.messages({ maxBuffered: Number.POSITIVE_INFINITY }).return?.()).not.toThrow();
    socket.close();
  });
});

describe('re-entrancy', () => {
  it('leaves no timer behind when a state listener closes the socket as an attempt begins', async () => {
    const { socket, clock, transport } = setup();
    await settle();
    transport.last().drop();
    socket.on('state', ({ to }) => {
      if (to === 'connecting') socket.close();
    });
    await clock.advance(500);
    expect(socket.state).toBe('closed');
    expect(clock.pending).toBe(0);
    expect(transport.sockets).toHaveLength(1);
  });

  it('leaves no backoff timer behind when a state listener closes the socket as it starts waiting', async () => {
    const { socket, clock, transport } = setup();
    await settle();
    socket.on('state', ({ to }) => {
      if (to === 'waiting') socket.close();
    });
    transport.last().drop();
    expect(socket.state).toBe('closed');
    expect(clock.pending).toBe(0);
  });

  it('honours close() called from a close listener while the loop would retry', async () => {
    const { socket, clock, transport, closes } = setup();
    await settle();
    socket.on('close', ({ willReconnect }) => {
      if (willReconnect) socket.close();
    });
    transport.last().accept();
    transport.last().drop();
    await clock.advance(60_000);
    expect(socket.state).toBe('closed');
    expect(clock.pending).toBe(0);
    expect(transport.sockets).toHaveLength(1);
    expect(closes.map((c) => c.willReconnect)).toEqual([true, false]);
  });

  it('calls a once close listener once when a close listener ends the loop (it saw the final close, then the first)', async () => {
    const { socket, transport } = setup();
    socket.addEventListener('close', (event) => {
      if (event.willReconnect) socket.close();
    });
    const viaOnce: boolean[] = [];
    const viaListener: boolean[] = [];
    socket.once('close', ({ willReconnect }) => viaOnce.push(willReconnect));
    socket.addEventListener('close', (event) => viaListener.push(event.willReconnect), { once: true });
    await settle();
    transport.last().accept();
    transport.last().drop();
    expect(socket.state).toBe('closed');
    expect(viaOnce).toEqual([false]);
    expect(viaListener).toEqual([false]);
    expect(socket.listenerCount('close')).toBe(2);
  });

  it('starts no heartbeat on a connection a state listener closed as it opened (its pong deadline threw closing → waiting)', async () => {
    const { socket, clock, transport } = setup(
      { heartbeat: { intervalMs: 1000, timeoutMs: 500 }, closeTimeoutMs: 60_000 },
      PingableFakeWebSocket,
    );
    socket.on('state', ({ to }) => {
      if (to === 'open') socket.close();
    });
    await settle();
    transport.last().accept();
    expect(socket.state).toBe('closing');
    await clock.advance(5000);
    expect(transport.last().pings).toHaveLength(0);
    expect(socket.state).toBe('closing');
    transport.last().serverClose(1000);
    expect(socket.state).toBe('closed');
    expect(clock.pending).toBe(0);
  });

  it('starts no heartbeat on a connection a state listener replaced with reconnect() as it opened', async () => {
    const { socket, clock, transport } = setup(
      { heartbeat: { intervalMs: 1000, timeoutMs: 500 } },
      PingableFakeWebSocket,
    );
    let first = true;
    socket.on('state', ({ to }) => {
      if (to === 'open' && first) {
        first = false;
        socket.reconnect();
      }
    });
    await settle();
    const replaced = transport.last();
    replaced.accept();
    await settle();
    expect(transport.sockets).toHaveLength(2);
    socket.close();
    expect(socket.state).toBe('closed');
    expect(clock.pending).toBe(0);
    await clock.advance(5000);
    expect(replaced.pings).toHaveLength(0);
  });

  const restartsAsItStops: Record<string, (t: ReturnType<typeof setup>) => void> = {
    'a state listener, as the classifier stops it': ({ socket, transport }) => {
      socket.on('state', ({ to }) => {
        if (to === 'closed') socket.reconnect();
      });
      transport.last().drop();
    },
    'an error listener, on its ReconnectStoppedError': ({ socket, transport }) => {
      socket.on('error', (error) => {
        if (error instanceof ReconnectStoppedError) socket.reconnect();
      });
      transport.last().drop();
    },
    "a state listener, as the user's close() ends it": ({ socket }) => {
      socket.on('state', ({ to }) => {
        if (to === 'closed') socket.reconnect();
      });
      socket.close();
    },
  };

  for (const [name, restart] of Object.entries(restartsAsItStops)) {
    it(`sends no final close once ${name} restarted the loop with reconnect() (it came while connecting again)`, async () => {
      const t = setup({ retry: { classify: () => 'stop' } });
      const seen: string[] = [];
      t.socket.on('close', ({ willReconnect }) => seen.push(`willReconnect=${willReconnect} in ${t.socket.state}`));
      await settle();
      const queued = t.socket.sendWithReceipt('queued');
      restart(t);
      expect(t.socket.state).toBe('connecting');
      expect(seen).toEqual([]);
      // What was queued went with the stopped loop, reported once.
      expect(t.drops).toEqual([{ data: 'queued', reason: 'closed' }]);
      await expect(queued.delivered).rejects.toBeInstanceOf(MessageDroppedError);
      await settle();
      expect(t.transport.sockets).toHaveLength(2);
      t.transport.last().accept();
      expect(t.socket.state).toBe('open');
    });
  }

  it("arms no close deadline when a closing listener restarts the loop with reconnect() (its timer took the backoff timer's handle)", async () => {
    const signals = manualSignals(true);
    const { socket, clock, transport } = setup({
      closeTimeoutMs: 1000,
      backoff: { initialDelayMs: 10_000 },
      lifecycle: signals,
    });
    let restarted = false;
    socket.on('state', ({ to }) => {
      if (to === 'closing' && !restarted) {
        restarted = true;
        socket.reconnect();
      }
    });
    await settle();
    transport.last().accept();
    socket.close();
    expect(socket.state).toBe('connecting');
    await settle();
    transport.last().accept();
    expect(clock.pending).toBe(0);
    socket.close();
    transport.last().serverClose(1000);
    expect(socket.state).toBe('closed');
    expect(clock.pending).toBe(0);
    // A stray deadline firing now must not make the backoff timer impossible to clear.
    socket.reconnect();
    await settle();
    transport.last().drop();
    expect(socket.state).toBe('waiting');
    await clock.advance(1000);
    signals.fire('offline');
    await clock.advance(60_000);
    expect(transport.sockets).toHaveLength(3);
    expect(socket.state).toBe('waiting');
  });
});

describe('transports that break the error-then-close rule', () => {
  class ErrorOnly extends FakeWebSocket {
    /** Fires `error` and nothing else, as undici does when the peer resets during the handshake. */
    errorOnly(error: unknown = new Error('reset')): void {
      this.readyState = 3;
      for (const listener of this.listeners('error')) listener({ type: 'error', error });
    }
  }

  it('ends an attempt on an error before open, without waiting for a close that never comes', async () => {
    const { socket, transport, clock, failures } = setup({ connectionTimeoutMs: 10_000 }, ErrorOnly);
    await settle();
    transport.last().errorOnly();
    expect(failures[0]?.failure).toMatchObject({ kind: 'transport', code: 1006 });
    expect(socket.state).toBe('waiting');
    await clock.advance(500);
    expect(transport.sockets).toHaveLength(2);
  });

  it('after open, waits closeTimeoutMs for the close, then fails the connection', async () => {
    const { socket, transport, clock, failures } = setup({ closeTimeoutMs: 2000 }, ErrorOnly);
    await settle();
    transport.last().accept();
    transport.last().errorOnly();
    await clock.advance(1999);
    expect(socket.state).toBe('open');
    await clock.advance(1);
    expect(failures[0]?.failure).toMatchObject({ kind: 'close', code: 1006 });
    expect(socket.state).toBe('waiting');
  });

  it('after open, a second error during the wait for the close does not replace the first in the failure', async () => {
    const { transport, clock, failures } = setup({ closeTimeoutMs: 2000 }, ErrorOnly);
    await settle();
    transport.last().accept();
    const first = new Error('reset');
    transport.last().errorOnly(first);
    transport.last().errorOnly(new Error('write after end'));
    await clock.advance(2000);
    expect(failures[0]?.failure.error).toBe(first);
  });

  it('after open, a close() during the wait for that close ends the loop once (the wait threw closing → waiting)', async () => {
    const { socket, transport, clock, closes, failures } = setup({ closeTimeoutMs: 2000 }, ErrorOnly);
    await settle();
    transport.last().accept();
    transport.last().errorOnly();
    await clock.advance(1000);
    socket.close(1000, 'bye');
    expect(socket.state).toBe('closing');
    await clock.advance(1500);
    expect(socket.state).toBe('closing');
    await clock.advance(500);
    expect(socket.state).toBe('closed');
    expect(failures).toEqual([]);
    expect(closes).toEqual([{ code: 1006, reason: '', wasClean: false, willReconnect: false, failure: undefined }]);
    expect(clock.pending).toBe(0);
  });

  for (const connectionTimeoutMs of [0, 10_000]) {
    it(`keeps waiting for the close after an error while beforeFlush runs, and does not open (connectionTimeoutMs ${connectionTimeoutMs})`, async () => {
      let pass: () => void = () => undefined;
      const { socket, transport, clock, failures, states } = setup(
        {
          connectionTimeoutMs,
          closeTimeoutMs: 2000,
          beforeFlush: () => new Promise<void>((resolve) => (pass = resolve)),
        },
        ErrorOnly,
      );
      await settle();
      transport.last().accept();
      transport.last().errorOnly();
      pass();
      await settle();
      expect(socket.state).toBe('connecting');
      await clock.advance(2000);
      expect(failures).toHaveLength(1);
      expect(failures[0]?.failure).toMatchObject({ code: 1006 });
      expect(socket.state).toBe('waiting');
      expect(states).not.toContain('open');
    });
  }

  it('after open, takes the close code from a close that does follow the error', async () => {
    const { transport, clock, failures } = setup({}, ErrorOnly);
    await settle();
    transport.last().accept();
    transport.last().errorOnly();
    transport.last().serverClose(1011, 'oops');
    expect(failures[0]?.failure).toMatchObject({ kind: 'close', code: 1011 });
    await clock.advance(10_000);
    expect(failures).toHaveLength(1);
  });
});
