// The reconnect layer over real sockets: server restarts, refused connections and fatal answers,
// through the fault-injection proxy, with `ws` and @sturdysocket/node as transports.
import { WebSocket as NodeWebSocket } from '@sturdysocket/node';
import {
  type FailureInfo,
  ReconnectingWebSocket,
  ReconnectStoppedError,
  type SendStatus,
} from '@sturdysocket/reconnect';
import IsomorphicWebSocket from 'isomorphic-ws';
import { describe, expect, it } from 'vitest';
import WS from 'ws';
import { waitFor } from '../fault-proxy/echo-server.js';
import { useFaultProxy } from '../fault-proxy/fixture.js';
import { countingClock, nextEvent, sleep } from '../fault-proxy/harness.js';

const net = useFaultProxy<ReconnectingWebSocket>();

const transports = { ws: WS, 'isomorphic-ws': IsomorphicWebSocket, '@sturdysocket/node': NodeWebSocket } as const;

describe.each(Object.entries(transports))('over %s', (_name, Transport) => {
  it('recovers from a server restart and delivers every queued message once, in order', async () => {
    const { clock, pending } = countingClock();
    const socket = new ReconnectingWebSocket(net.proxy.url, undefined, {
      WebSocket: Transport,
      clock,
      backoff: { initialDelayMs: 100, maxDelayMs: 400 },
      heartbeat: { mode: 'off' },
    });
    net.sockets.push(socket);
    await nextEvent(socket, 'open');
    const statuses: SendStatus[] = [];
    for (let i = 0; i < 20; i++) statuses.push(socket.send(`m${i}`));
    await waitFor(() => net.server.received.length === 20, 5000, 'the first 20 messages');

    await net.server.stop();
    await waitFor(() => socket.state !== 'open', 5000, 'the drop to be noticed');
    for (let i = 20; i < 70; i++) statuses.push(socket.send(`m${i}`));
    await sleep(300);
    for (let i = 70; i < 100; i++) statuses.push(socket.send(`m${i}`));
    expect(statuses.slice(0, 20).every((s) => s === 'sent')).toBe(true);
    expect(statuses.slice(20).every((s) => s === 'queued')).toBe(true);

    const reopened = nextEvent(socket, 'open');
    const restartedAt = performance.now();
    await net.server.restart();
    const open = await reopened;
    const recoveryMs = performance.now() - restartedAt;
    expect(open.flushed).toBe(80);
    await waitFor(() => net.server.received.length >= 100, 5000, 'the queued messages');
    await sleep(50);
    expect(net.server.received).toEqual(Array.from({ length: 100 }, (_, i) => `m${i}`));
    console.info(`[reconnect] ${_name}: server restart recovered in ${recoveryMs.toFixed(0)} ms, 0 of 80 queued lost`);

    socket.close();
    await waitFor(() => socket.state === 'closed', 5000, 'close');
    expect(pending()).toBe(0);
  });

  it('stops on close code 1008 from the server, and tries no more', async () => {
    net.server.onConnection = (ws) => ws.close(1008, 'policy');
    const socket = new ReconnectingWebSocket(net.proxy.url, undefined, {
      WebSocket: Transport,
      backoff: { initialDelayMs: 10, maxDelayMs: 10 },
    });
    net.sockets.push(socket);
    const errors: unknown[] = [];
    socket.on('error', (error) => errors.push(error));
    const close = await waitForFinalClose(socket);
    expect(close.code).toBe(1008);
    expect(errors.at(-1)).toBeInstanceOf(ReconnectStoppedError);
    await sleep(300);
    expect(net.proxy.accepted).toBe(1);
    expect(socket.state).toBe('closed');
  });

  it('stops on HTTP 403', async () => {
    net.server.refuseWith(403);
    const failures: FailureInfo[] = [];
    const socket = new ReconnectingWebSocket(net.proxy.url, undefined, {
      WebSocket: Transport,
      backoff: { initialDelayMs: 10, maxDelayMs: 10 },
    });
    net.sockets.push(socket);
    socket.on('failure', (info) => failures.push(info));
    await waitForFinalClose(socket);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.failure).toMatchObject({ kind: 'handshake', handshake: { status: 403 } });
    await sleep(300);
    expect(net.proxy.accepted).toBe(1);
  });

  it('retries while the port refuses connections, and connects once it listens again', async () => {
    await net.proxy.refuse(true);
    const failures: FailureInfo[] = [];
    const socket = new ReconnectingWebSocket(net.proxy.url, undefined, {
      WebSocket: Transport,
      backoff: { initialDelayMs: 50, maxDelayMs: 100 },
    });
    net.sockets.push(socket);
    socket.on('failure', (info) => failures.push(info));
    await waitFor(() => failures.length >= 3, 5000, 'three refused attempts');
    expect(failures.every((f) => f.decision.action === 'retry')).toBe(true);
    await net.proxy.refuse(false);
    await nextEvent(socket, 'open');
    expect(socket.state).toBe('open');
  });
});

it('honours Retry-After from a 503 (the Node transport reports the headers)', async () => {
  net.server.refuseWith(503, { 'Retry-After': '1' });
  const socket = new ReconnectingWebSocket(net.proxy.url, undefined, {
    WebSocket: NodeWebSocket,
    backoff: { initialDelayMs: 10, maxDelayMs: 10 },
  });
  net.sockets.push(socket);
  const reconnecting = await nextEvent(socket, 'reconnecting');
  expect(reconnecting.failure.handshake).toMatchObject({ status: 503 });
  expect(reconnecting.delayMs).toBe(1000);
  net.server.refuseWith(undefined);
  const failedAt = performance.now();
  await nextEvent(socket, 'open');
  // Not a speed claim: the wait must not be shorter than the server asked for.
  expect(performance.now() - failedAt).toBeGreaterThanOrEqual(900);
  expect(net.proxy.accepted).toBe(2);
});

function waitForFinalClose(socket: ReconnectingWebSocket) {
  return new Promise<{ code: number }>((resolve) => {
    socket.on('close', (info) => {
      if (!info.willReconnect) resolve(info);
    });
  });
}
