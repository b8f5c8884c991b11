import { inspect } from 'node:util';
import type { Transport } from '@sturdysocket/core';
import {
  type AttemptFailure,
  type FailureInfo,
  ReconnectingWebSocket,
  ReconnectStoppedError,
  type RetryContext,
  type WebSocketLike,
} from '@sturdysocket/reconnect';
import { describe, expect, it, vi } from 'vitest';
import { FakeClock, settle } from '../../reconnect/test-support/fake-clock.js';
import { FakeWebSocket } from '../../reconnect/test-support/fake-websocket.js';
import { AuthError } from './auth-error.js';
import type { AuthEvent, AuthOptions } from './options.js';
import { type AuthenticatedOptions, resolveCarrier, withAuth } from './with-auth.js';

/** A transport that records what each attempt was given; the sockets are never used here. */
function recordingTransport(capabilities: Partial<Transport['capabilities']> = {}) {
  const calls: Array<{ url: string; protocols: unknown; headers: unknown }> = [];
  const transport: Transport<WebSocketLike> = {
    capabilities: { headers: true, ping: false, handshakeDetails: true, ...capabilities },
    createWebSocket: (url, options = {}) => {
      calls.push({ url: String(url), protocols: options.protocols, headers: options.headers });
      return {} as WebSocketLike;
    },
  };
  return { transport, calls };
}

function failure(partial: Partial<AttemptFailure>): AttemptFailure {
  return {
    kind: 'close',
    code: 1006,
    closeReason: '',
    wasClean: false,
    error: undefined,
    handshake: undefined,
    retryAfterMs: undefined,
    uptimeMs: undefined,
    at: 0,
    ...partial,
  };
}

function context(current: AttemptFailure, previous?: AttemptFailure): RetryContext {
  return {
    attempt: previous ? 2 : 1,
    elapsedMs: 0,
    failure: current,
    previousFailure: previous,
    maxRetries: Number.POSITIVE_INFINITY,
    defaultDecision: { action: 'retry', reason: 'default' },
  };
}

const attempt = (n: number) => ({ attempt: n, transportOptions: undefined, signal: new AbortController().signal });

describe('resolveCarrier', () => {
  it('picks header where the transport can send headers, and refuses auto elsewhere naming the choices', () => {
    expect(resolveCarrier('auto', recordingTransport().transport)).toBe('header');
    const browser = recordingTransport({ headers: false }).transport;
    expect(() => resolveCarrier('auto', browser)).toThrow(/subprotocol.*message.*query/s);
    expect(resolveCarrier('subprotocol', browser)).toBe('subprotocol');
  });

  it('takes the other carriers anywhere and refuses an unknown name, even one on Object.prototype', () => {
    const browser = recordingTransport({ headers: false }).transport;
    for (const carrier of ['subprotocol', 'query', 'message'] as const)
      expect(resolveCarrier(carrier, browser)).toBe(carrier);
    for (const carrier of ['cookie', 'toString'])
      expect(() => resolveCarrier(carrier as never, browser)).toThrow(TypeError);
  });
});

describe('withAuth classification', () => {
  it('refreshes at once on a 401, stops on the second refusal of a fresh token', async () => {
    const { transport } = recordingTransport();
    let calls = 0;
    const options = withAuth({ transport, auth: { token: () => `t${++calls}` } });
    await options.factory?.('wss://h/', [], attempt(1));
    const refused = failure({
      kind: 'handshake',
      handshake: { reason: 'http-status', status: 401, headers: undefined },
    });
    expect(options.retry?.classify?.(context(refused))).toMatchObject({ action: 'refresh-auth', delayMs: 0 });
    await options.factory?.('wss://h/', [], attempt(2));
    expect(calls).toBe(2);
    const decision = options.retry?.classify?.(context(refused, refused)) as { action: string; error: unknown };
    expect(decision.action).toBe('stop');
    expect((decision.error as AuthError).reason).toBe('rejected');
  });

  it('where statuses are hidden, drops the token after two failures to open in a row', async () => {
    const { transport } = recordingTransport({ headers: false, handshakeDetails: false });
    let calls = 0;
    const options = withAuth({ transport, auth: { token: () => `t${++calls}`, carrier: 'subprotocol' } });
    await options.factory?.('wss://h/', [], attempt(1));
    options.retry?.classify?.(context(failure({})));
    await options.factory?.('wss://h/', [], attempt(2));
    expect(calls).toBe(1); // one unexplained failure: the cached token is kept
    options.retry?.classify?.(context(failure({}), failure({})));
    await options.factory?.('wss://h/', [], attempt(3));
    expect(calls).toBe(2);
  });

  it('keeps the token when the connection had opened before it dropped', async () => {
    const { transport } = recordingTransport({ headers: false, handshakeDetails: false });
    let calls = 0;
    const options = withAuth({ transport, auth: { token: () => `t${++calls}`, carrier: 'subprotocol' } });
    await options.factory?.('wss://h/', [], attempt(1));
    options.retry?.classify?.(context(failure({ uptimeMs: 10 }), failure({ uptimeMs: 20 })));
    await options.factory?.('wss://h/', [], attempt(2));
    expect(calls).toBe(1);
  });

  it('drops the token on a refresh-auth decision from retry.applicationCloseCodes or the user classifier', async () => {
    const { transport } = recordingTransport();
    let calls = 0;
    const fromCodes = withAuth({ transport, auth: { token: () => `t${++calls}` } });
    await fromCodes.factory?.('wss://h/', [], attempt(1));
    // What defaultClassifier decides for a close code mapped by retry.applicationCloseCodes.
    const mapped: RetryContext = {
      ...context(failure({ code: 4010 })),
      defaultDecision: { action: 'refresh-auth', reason: 'application close code 4010' },
    };
    expect(fromCodes.retry?.classify?.(mapped)).toMatchObject({ action: 'refresh-auth' });
    await fromCodes.factory?.('wss://h/', [], attempt(2));
    expect(calls).toBe(2);

    for (const answer of ['refresh-auth', { action: 'refresh-auth' }] as const) {
      let fetched = 0;
      const fromUser = withAuth({
        transport,
        auth: { token: () => `u${++fetched}` },
        retry: { classify: (c) => (c.failure.code === 4010 ? answer : c.defaultDecision) },
      });
      await fromUser.factory?.('wss://h/', [], attempt(1));
      expect(fromUser.retry?.classify?.(context(failure({ code: 4010 })))).toEqual(answer);
      await fromUser.factory?.('wss://h/', [], attempt(2));
      expect(fetched).toBe(2);
    }
  });

  it('an onEvent observer that throws is reported, and changes no decision (a refresh became a stop)', async () => {
    const reported: unknown[] = [];
    vi.stubGlobal('reportError', (error: unknown) => reported.push(error));
    const { transport, calls } = recordingTransport();
    const bug = new Error('observer bug');
    const options = withAuth({
      transport,
      auth: {
        token: 't',
        onEvent: () => {
          throw bug;
        },
      },
    });
    await options.factory?.('wss://h/', [], attempt(1));
    expect(calls).toHaveLength(1);
    const refused = failure({
      kind: 'handshake',
      handshake: { reason: 'http-status', status: 401, headers: undefined },
    });
    expect(options.retry?.classify?.(context(refused))).toMatchObject({ action: 'refresh-auth' });
    expect(reported).toEqual([bug, bug]);
    vi.unstubAllGlobals();
  });

  it('connects with the cached JWT when a refresh ahead of its expiry fails, and tells onEvent why', async () => {
    const { transport, calls } = recordingTransport();
    let now = 1_000_000_000_000;
    const jwt = (exp: number) =>
      `e30.${btoa(JSON.stringify({ exp })).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.sig`;
    const first = jwt(now / 1000 + 60);
    let down = false;
    const events: AuthEvent[] = [];
    const options = withAuth({
      transport,
      auth: {
        token: () => {
          if (down) throw new Error('identity service down');
          return first;
        },
        clock: { now: () => now, setTimeout, clearTimeout },
        onEvent: (event) => events.push(event),
      },
    });
    await options.factory?.('wss://h/', [], attempt(1));
    now += 45_000; // 15 s before exp, inside the default 30 s refresh window
    down = true;
    await options.factory?.('wss://h/', [], attempt(2));
    expect(calls.map((call) => call.headers)).toEqual([
      { Authorization: `Bearer ${first}` },
      { Authorization: `Bearer ${first}` },
    ]);
    expect(events[1]).toMatchObject({
      type: 'token',
      attempt: 2,
      fresh: false,
      refreshError: { reason: 'provider-failed' },
    });
  });

  it('passes everything else to the user classifier, or the default', async () => {
    const { transport } = recordingTransport();
    const options = withAuth({ transport, auth: { token: 't' }, retry: { classify: () => 'stop' } });
    expect(options.retry?.classify?.(context(failure({ code: 1011 })))).toBe('stop');
  });

  it('asks the provider again after a token the carrier refused (it was cached and offered forever)', async () => {
    const { transport, calls } = recordingTransport();
    const answers = ['tok\n', 'tok'];
    let fetched = 0;
    const options = withAuth({ transport, auth: { token: () => answers[fetched++] ?? 'tok' } });
    await expect(options.factory?.('wss://h/', [], attempt(1))).rejects.toMatchObject({ reason: 'invalid-token' });
    await options.factory?.('wss://h/', [], attempt(2));
    expect(fetched).toBe(2);
    expect(calls).toEqual([{ url: 'wss://h/', protocols: [], headers: { Authorization: 'Bearer tok' } }]);
  });

  it('refuses transportOptions, which its factory never passed on (they were dropped without a word)', () => {
    const { transport } = recordingTransport();
    expect(() =>
      withAuth({ transport, auth: { token: 't' }, transportOptions: { headers: { 'X-Client': '1' } } }),
    ).toThrow(/headers/);
  });

  it('carries the token by the chosen carrier, beside the caller headers and protocols', async () => {
    const { transport, calls } = recordingTransport();
    const header = withAuth({ transport, headers: { 'X-A': '1' }, auth: { token: 'tok' } });
    await header.factory?.('wss://h/', ['chat'], attempt(1));
    expect(calls[0]).toEqual({
      url: 'wss://h/',
      protocols: ['chat'],
      headers: { 'x-a': '1', Authorization: 'Bearer tok' },
    });
    const query = withAuth({ transport, auth: { token: 'tok', carrier: 'query' } });
    await query.factory?.('wss://h/x', [], attempt(1));
    expect(calls[1]?.url).toBe('wss://h/x?access_token=tok');
  });
});

describe('withAuth message carrier', () => {
  /** A clock whose timers run only when the test says so. */
  function manualClock() {
    const timers = new Map<number, () => void>();
    let next = 0;
    return {
      timers,
      now: () => 0,
      setTimeout: (callback: () => void) => {
        timers.set(++next, callback);
        return next;
      },
      clearTimeout: (handle: unknown) => timers.delete(handle as number),
      fire: () => {
        for (const callback of [...timers.values()]) callback();
      },
    };
  }

  /** A gate context whose replies the test feeds in. */
  function gateContext() {
    const sent: unknown[] = [];
    let waiting: { predicate: (data: unknown) => boolean; resolve: (data: unknown) => void } | undefined;
    const context = {
      socket: {} as WebSocketLike,
      attempt: 1,
      url: 'wss://h/',
      protocol: '',
      signal: new AbortController().signal,
      send: (data: unknown) => sent.push(data),
      nextMessage: (predicate: (data: unknown) => boolean = () => true) =>
        new Promise((resolve) => {
          waiting = { predicate, resolve };
        }),
    };
    const reply = (data: unknown) => {
      if (waiting?.predicate(data)) waiting.resolve(data);
    };
    return { context, sent, reply };
  }

  async function composed(clock: ReturnType<typeof manualClock>) {
    const { transport } = recordingTransport();
    const options = withAuth({
      transport,
      auth: {
        token: 'tok',
        carrier: 'message',
        clock,
        message: { isAck: (data) => data === 'ok', isNack: (data) => data === 'no', timeoutMs: 100 },
      },
    });
    await options.factory?.('wss://h/', [], attempt(1));
    return options;
  }

  it('sends the auth message first and opens on the ack, clearing its timer', async () => {
    const clock = manualClock();
    const options = await composed(clock);
    const { context, sent, reply } = gateContext();
    const gate = options.beforeFlush?.(context);
    expect(sent).toEqual([JSON.stringify({ type: 'auth', token: 'tok' })]);
    reply('unrelated');
    reply('ok');
    await expect(gate).resolves.toBeUndefined();
    expect(clock.timers.size).toBe(0);
  });

  it('fails with nack on a refusal, and with ack-timeout when no answer comes in time', async () => {
    const clock = manualClock();
    const options = await composed(clock);
    const refused = gateContext();
    const nack = options.beforeFlush?.(refused.context);
    refused.reply('no');
    await expect(nack).rejects.toMatchObject({ reason: 'nack' });
    expect(clock.timers.size).toBe(0);

    const silent = gateContext();
    const timedOut = options.beforeFlush?.(silent.context);
    clock.fire();
    const error = await (timedOut as Promise<void>).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'ack-timeout' });
    expect(String((error as Error).message)).not.toContain('tok');
  });
});

/** A reconnecting socket with the auth layer, over fake sockets the test answers; tokens t1, t2… unless `auth.token`. */
function loopSocket(auth: Partial<AuthOptions> = {}, reconnect: Partial<AuthenticatedOptions> = {}) {
  const clock = new FakeClock();
  const sockets: FakeWebSocket[] = [];
  const transport: Transport<WebSocketLike> = {
    capabilities: { headers: true, ping: false, handshakeDetails: true },
    createWebSocket: (url) => {
      const socket = new FakeWebSocket(String(url));
      sockets.push(socket);
      return socket;
    },
  };
  const events: AuthEvent[] = [];
  let issued = 0;
  const socket = new ReconnectingWebSocket(
    'wss://h/',
    undefined,
    withAuth({
      transport,
      clock,
      random: () => 0.5,
      ...reconnect,
      auth: { token: () => `t${++issued}`, clock, onEvent: (event) => events.push(event), ...auth },
    }),
  );
  const failures: FailureInfo[] = [];
  socket.on('failure', (info) => failures.push(info));
  const errors: unknown[] = [];
  socket.on('error', (error) => errors.push(error));
  /** Lets the next attempt reach its gate: the provider and the factory settle, the socket opens. */
  const opened = async (): Promise<FakeWebSocket> => {
    await settle();
    const last = sockets.at(-1);
    if (last === undefined) throw new Error('no socket was made');
    last.accept();
    await settle();
    return last;
  };
  return { clock, socket, sockets, events, failures, errors, opened };
}

/** A backoff whose every delay is `ms`. */
const everyDelay = (ms: number) => ({ initialDelayMs: ms, maxDelayMs: ms, jitter: 'none' as const });

/** The auth failures `onEvent` heard, in order. */
const authFailures = (events: AuthEvent[]) => events.filter((event) => event.type === 'auth-failure');

describe('withAuth message carrier, in the reconnect loop', () => {
  /** Authenticated by the first message: `ok` acks it, `no` refuses it. */
  const messageSocket = (timeoutMs = 100, reconnect: Partial<AuthenticatedOptions> = {}) =>
    loopSocket(
      { carrier: 'message', message: { isAck: (data) => data === 'ok', isNack: (data) => data === 'no', timeoutMs } },
      reconnect,
    );

  /** Walks `cause` links from `error`. */
  function causes(error: unknown): unknown[] {
    const chain: unknown[] = [];
    for (let current = error; current !== undefined && current !== null; current = (current as Error).cause)
      chain.push(current);
    return chain;
  }

  it('tells onEvent a refusal is a nack (it said close-4002, the open gate’s close code), and errors lead to the AuthError', async () => {
    const { clock, socket, events, failures, errors, opened } = messageSocket();
    (await opened()).receive('no');
    await settle();
    expect(events[1]).toEqual({ type: 'auth-failure', attempt: 1, reason: 'nack', action: 'refresh' });
    expect(failures[0]?.decision).toMatchObject({ action: 'refresh-auth', reason: 'credentials refused (nack)' });
    expect(causes(errors[0]).find((error) => error instanceof AuthError)).toMatchObject({ reason: 'nack' });

    // The fresh token is refused too: the loop stops, and the stop's error still leads to the nack.
    await clock.advance(0);
    (await opened()).receive('no');
    await settle();
    expect(events.slice(2)).toEqual([
      expect.objectContaining({ type: 'token', attempt: 2, fresh: true }),
      { type: 'auth-failure', attempt: 2, reason: 'rejected', action: 'stop' },
    ]);
    const stop = errors.find((error) => error instanceof ReconnectStoppedError);
    expect(failures[1]?.decision.reason).toBe('The server refused a fresh token twice (nack)');
    const authErrors = causes(stop).filter((error) => error instanceof AuthError);
    expect(authErrors.map((error) => error.reason)).toEqual(['rejected', 'nack']);
    expect(socket.state).toBe('closed');
  });

  it('tells onEvent of an ack timeout, as ack-timeout, with the retry that follows (it was told nothing)', async () => {
    const { clock, socket, events, failures, errors, opened } = messageSocket(100);
    await opened();
    await clock.advance(100);
    expect(events[1]).toEqual({ type: 'auth-failure', attempt: 1, reason: 'ack-timeout', action: 'retry' });
    expect(failures[0]?.decision.action).toBe('retry');
    expect(causes(errors[0]).find((error) => error instanceof AuthError)).toMatchObject({ reason: 'ack-timeout' });
    socket.close();
  });

  /** The token each socket was offered in its auth message (its first message), in order. */
  const offered = (sockets: FakeWebSocket[]) =>
    sockets.map((socket) => (JSON.parse(String(socket.sent[0])) as { token: string }).token);

  it('offers a token the server left unanswered once more, then fetches a fresh one (a server that ignored it got it forever)', async () => {
    const { clock, socket, sockets, events, opened } = messageSocket(100, { backoff: everyDelay(100) });
    for (const _ of [1, 2]) {
      await opened();
      await clock.advance(100); // the ack timeout
      await clock.advance(100); // the backoff: the next attempt starts
    }
    // The fresh token is refused: a refresh, not a stop, since the ack timeouts were no refusals.
    (await opened()).receive('no');
    await clock.advance(0);
    (await opened()).receive('ok');
    await settle();
    expect(offered(sockets)).toEqual(['t1', 't1', 't2', 't3']);
    expect(authFailures(events)).toEqual([
      { type: 'auth-failure', attempt: 1, reason: 'ack-timeout', action: 'retry' },
      { type: 'auth-failure', attempt: 2, reason: 'ack-timeout', action: 'retry' },
      { type: 'auth-failure', attempt: 3, reason: 'nack', action: 'refresh' },
    ]);
    expect(socket.state).toBe('open');
    socket.close();
  });

  it('names an auth message that connectionTimeoutMs cut off ack-timeout too (it said nothing), and treats it the same', async () => {
    const { clock, socket, sockets, events, failures, opened } = messageSocket(1_000, {
      connectionTimeoutMs: 150,
      backoff: everyDelay(100),
    });
    for (const _ of [1, 2]) {
      await opened();
      await clock.advance(150); // the connection timeout, before message.timeoutMs
      await clock.advance(100);
    }
    await opened();
    expect(failures.map((info) => info.failure.kind)).toEqual(['connection-timeout', 'connection-timeout']);
    expect(authFailures(events)).toEqual([
      { type: 'auth-failure', attempt: 1, reason: 'ack-timeout', action: 'retry' },
      { type: 'auth-failure', attempt: 2, reason: 'ack-timeout', action: 'retry' },
    ]);
    expect(offered(sockets)).toEqual(['t1', 't1', 't2']);
    socket.close();
  });

  it('tells of no ack timeout when the connection timed out before the socket opened, or after the ack', async () => {
    const unopened = messageSocket(1_000, { connectionTimeoutMs: 150 });
    await unopened.clock.advance(150);
    expect(unopened.failures[0]?.failure.kind).toBe('connection-timeout');
    expect(authFailures(unopened.events)).toEqual([]);
    unopened.socket.close();

    // The server answered; the caller's own gate, which runs after the auth layer's, never ends.
    const acked = messageSocket(1_000, { connectionTimeoutMs: 150, beforeFlush: () => new Promise(() => {}) });
    (await acked.opened()).receive('ok');
    await acked.clock.advance(150);
    expect(acked.failures[0]?.failure.kind).toBe('connection-timeout');
    expect(authFailures(acked.events)).toEqual([]);
    acked.socket.close();
  });
});

describe('withAuth provider failures, in the reconnect loop', () => {
  it('tells onEvent of a provider that throws or answers no token, with the attempt that failed and the provider’s error (it told nothing)', async () => {
    const down = new Error('identity service down');
    const answers: Array<() => unknown> = [() => 't1', () => Promise.reject(down), () => 42, () => 't2'];
    let asked = 0;
    const { clock, socket, events, opened } = loopSocket(
      { token: () => answers[asked++]?.() as string },
      { backoff: everyDelay(100) },
    );
    (await opened()).serverClose(4001); // the server ends the session: the next attempt asks the provider
    await clock.advance(0); // attempt 2: the provider rejects
    await clock.advance(100); // attempt 3: it answers a number
    await clock.advance(100); // attempt 4: t2
    await opened();
    expect(authFailures(events)).toEqual([
      { type: 'auth-failure', attempt: 1, reason: 'close-4001', action: 'refresh' },
      { type: 'auth-failure', attempt: 2, reason: 'provider-failed', action: 'retry', error: expect.any(AuthError) },
      { type: 'auth-failure', attempt: 3, reason: 'invalid-token', action: 'retry', error: expect.any(AuthError) },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'token', attempt: 4, fresh: true });
    const providerFailed = authFailures(events)[1] as { error: AuthError };
    expect(providerFailed.error.cause).toBe(down);
    expect(socket.state).toBe('open');
    socket.close();
  });

  it('tells of a token the carrier cannot send, and of what the classifier made of a provider failure', async () => {
    const { clock, socket, events } = loopSocket(
      { token: () => 'tok\n' },
      { retry: { classify: (context) => (context.attempt > 1 ? 'stop' : context.defaultDecision) } },
    );
    await clock.advance(0);
    await clock.advance(60_000);
    expect(authFailures(events)).toEqual([
      { type: 'auth-failure', attempt: 1, reason: 'invalid-token', action: 'retry', error: expect.any(AuthError) },
      { type: 'auth-failure', attempt: 2, reason: 'invalid-token', action: 'stop', error: expect.any(AuthError) },
    ]);
    expect(socket.state).toBe('closed');
  });

  it('says stop once retry.maxRetries is spent, whatever was decided (it said retry or refresh as the loop stopped)', async () => {
    const failing = loopSocket(
      {
        token: () => {
          throw new Error('identity service down');
        },
      },
      { retry: { maxRetries: 1 } },
    );
    await failing.clock.advance(0);
    await failing.clock.advance(60_000);
    expect(authFailures(failing.events).map((event) => event.action)).toEqual(['retry', 'stop']);
    expect(failing.socket.state).toBe('closed');

    const refused = loopSocket({}, { retry: { maxRetries: 0 } });
    (await refused.opened()).serverClose(4001);
    await settle();
    expect(authFailures(refused.events)).toEqual([
      { type: 'auth-failure', attempt: 1, reason: 'close-4001', action: 'stop' },
    ]);
    expect(refused.socket.state).toBe('closed');
  });

  it('never puts the token into the event, even when the provider wraps it in an object', async () => {
    const secret = 'tok-SECRET-1b7e';
    const { clock, socket, events, errors } = loopSocket({ token: () => ({ access_token: secret }) as never });
    await clock.advance(0);
    expect(authFailures(events)).toEqual([expect.objectContaining({ reason: 'invalid-token' })]);
    expect(inspect([events, errors], { depth: 10, showHidden: true })).not.toContain(secret);
    socket.close();
  });
});

describe('withAuth and a listener that ends the attempt', () => {
  it('opens no connection with the token when the token event’s listener closed the socket (one was made and dropped)', async () => {
    let close = (): void => {};
    const { socket, sockets, events } = loopSocket({
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'token') close();
      },
    });
    close = () => socket.close();
    await settle();
    expect(events).toEqual([expect.objectContaining({ type: 'token', attempt: 1 })]);
    expect(sockets).toEqual([]);
    expect(socket.state).toBe('closed');
  });
});
