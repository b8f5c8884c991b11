// Dead-peer detection and handshake black holes over real sockets, through the fault proxy.
import { WebSocket as NodeWebSocket } from '@sturdysocket/node';
import { type FailureInfo, ReconnectingWebSocket, type ReconnectOptions } from '@sturdysocket/reconnect';
import { describe, expect, it } from 'vitest';
import WS from 'ws';
import { waitFor } from '../fault-proxy/echo-server.js';
import { useFaultProxy } from '../fault-proxy/fixture.js';
import { nextEvent, sleep } from '../fault-proxy/harness.js';

const net = useFaultProxy<ReconnectingWebSocket>();

const INTERVAL_MS = 300;
const TIMEOUT_MS = 500;
/** Timer and event-loop latency allowed on a loaded 2-core machine; the bound itself is the algorithm's. */
const SCHEDULING_SLACK_MS = 400;

const heartbeats: Array<[string, Pick<ReconnectOptions, 'WebSocket' | 'heartbeat'>]> = [
  [
    'ws, protocol ping',
    { WebSocket: WS, heartbeat: { mode: 'protocol', intervalMs: INTERVAL_MS, timeoutMs: TIMEOUT_MS } },
  ],
  [
    '@sturdysocket/node, protocol ping',
    { WebSocket: NodeWebSocket, heartbeat: { mode: 'protocol', intervalMs: INTERVAL_MS, timeoutMs: TIMEOUT_MS } },
  ],
  [
    'ws, application ping',
    {
      WebSocket: WS,
      heartbeat: {
        mode: 'application',
        intervalMs: INTERVAL_MS,
        timeoutMs: TIMEOUT_MS,
        message: 'ping',
        isPong: (data) => data === 'pong',
      },
    },
  ],
];

describe.each(heartbeats)('heartbeat (%s)', (_name, options) => {
  it('keeps an idle but live connection open', async () => {
    const socket = new ReconnectingWebSocket(net.proxy.url, undefined, options);
    net.sockets.push(socket);
    const pongs: number[] = [];
    const messages: unknown[] = [];
    socket.on('pong', (rtt) => pongs.push(rtt));
    socket.on('message', (data) => messages.push(data));
    await nextEvent(socket, 'open');
    await sleep(4 * (INTERVAL_MS + TIMEOUT_MS));
    expect(socket.state).toBe('open');
    expect(pongs.length).toBeGreaterThanOrEqual(3);
    expect(messages).toEqual([]); // application pongs are consumed
    expect(net.proxy.accepted).toBe(1);
  });

  it('detects a half-open connection within intervalMs + timeoutMs, and recovers after the thaw', async () => {
    const socket = new ReconnectingWebSocket(net.proxy.url, undefined, {
      ...options,
      connectionTimeoutMs: 500,
      backoff: { initialDelayMs: 50, maxDelayMs: 100 },
    });
    net.sockets.push(socket);
    const failures: FailureInfo[] = [];
    socket.on('failure', (info) => failures.push(info));
    await nextEvent(socket, 'open');
    await sleep(100);
    net.proxy.freeze();
    const frozenAt = performance.now();
    await waitFor(() => failures.length > 0, 5000, 'the heartbeat to notice');
    const detectionMs = performance.now() - frozenAt;
    expect(failures[0]?.failure.kind).toBe('heartbeat-timeout');
    expect(detectionMs).toBeLessThanOrEqual(INTERVAL_MS + TIMEOUT_MS + SCHEDULING_SLACK_MS);
    console.info(
      `[reconnect] ${_name}: half-open detected after ${detectionMs.toFixed(0)} ms (bound ${INTERVAL_MS + TIMEOUT_MS} ms)`,
    );
    // New attempts go through the frozen proxy and time out, until it thaws.
    await waitFor(() => failures.some((f) => f.failure.kind === 'connection-timeout'), 5000, 'a timed-out attempt');
    net.proxy.thaw();
    await nextEvent(socket, 'open');
    socket.send('echo:after');
    await waitFor(() => net.server.received.includes('echo:after'), 5000, 'traffic after recovery');
  });
});

describe('handshake black hole', () => {
  it.each([
    ['ws', WS],
    ['@sturdysocket/node', NodeWebSocket],
  ] as const)('is ended by connectionTimeoutMs (%s), leaving no connection behind', async (_name, Transport) => {
    net.proxy.blackHole(true);
    const failures: FailureInfo[] = [];
    const socket = new ReconnectingWebSocket(net.proxy.url, undefined, {
      WebSocket: Transport,
      connectionTimeoutMs: 400,
      backoff: { initialDelayMs: 20, maxDelayMs: 20 },
    });
    net.sockets.push(socket);
    socket.on('failure', (info) => failures.push(info));
    const startedAt = performance.now();
    await waitFor(() => failures.length >= 3, 10_000, 'three timed-out attempts');
    const elapsed = performance.now() - startedAt;
    expect(failures.every((f) => f.failure.kind === 'connection-timeout')).toBe(true);
    // Three attempts of 400 ms cannot end sooner than 1200 ms: the timeout is what ended them.
    expect(elapsed).toBeGreaterThanOrEqual(1150);
    await waitFor(() => net.proxy.activeConnections <= 1, 2000, 'abandoned attempts to be closed');
    net.proxy.blackHole(false);
    await nextEvent(socket, 'open');
  });
});

describe('slow network (proxy delay)', () => {
  it('tolerates latency under the pong deadline, and times out what exceeds its deadlines', async () => {
    net.proxy.setDelay(60); // each direction: a round trip of about 120 ms, under timeoutMs
    const failures: FailureInfo[] = [];
    const socket = new ReconnectingWebSocket(net.proxy.url, undefined, {
      WebSocket: WS,
      connectionTimeoutMs: 1000,
      backoff: { initialDelayMs: 50, maxDelayMs: 100 },
      heartbeat: { intervalMs: INTERVAL_MS, timeoutMs: TIMEOUT_MS },
    });
    net.sockets.push(socket);
    socket.on('failure', (info) => failures.push(info));
    const rtts: number[] = [];
    socket.on('pong', (rtt) => rtts.push(rtt));
    await nextEvent(socket, 'open');
    await sleep(3 * (INTERVAL_MS + TIMEOUT_MS));
    expect(failures).toEqual([]);
    expect(rtts.length).toBeGreaterThanOrEqual(2);
    expect(Math.min(...rtts)).toBeGreaterThanOrEqual(100);

    // Now a round trip of 1.2 s: the pong misses its 500 ms deadline, and the opening handshake
    // (one round trip through the proxy) misses the 1 s connection timeout.
    net.proxy.setDelay(600);
    await waitFor(() => failures.some((f) => f.failure.kind === 'heartbeat-timeout'), 5000, 'the heartbeat timeout');
    await waitFor(() => failures.some((f) => f.failure.kind === 'connection-timeout'), 5000, 'a connection timeout');
    net.proxy.setDelay(0);
    await nextEvent(socket, 'open', 5000);
    expect(socket.state).toBe('open');
  });
});
