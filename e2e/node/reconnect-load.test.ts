// Load over real sockets: a herd of clients losing the same server, and thousands of forced cuts.
import { ReconnectingWebSocket } from '@sturdysocket/reconnect';
import { expect, it } from 'vitest';
import WS from 'ws';
import { waitFor } from '../fault-proxy/echo-server.js';
import { useFaultProxy } from '../fault-proxy/fixture.js';
import { collectGarbage, countingClock, interquartileRange, nextEvent, sleep } from '../fault-proxy/harness.js';

const net = useFaultProxy<ReconnectingWebSocket>();

const HERD = 200;

it(`spreads the reconnects of ${HERD} clients with jitter`, async () => {
  const initialDelayMs = 1000;
  let opens = 0;
  for (let i = 0; i < HERD; i++) {
    const socket = new ReconnectingWebSocket(net.proxy.url, undefined, {
      WebSocket: WS,
      backoff: { initialDelayMs, maxDelayMs: initialDelayMs },
      heartbeat: { mode: 'off' },
    });
    socket.on('open', () => opens++);
    net.sockets.push(socket);
  }
  await waitFor(() => opens === HERD, 20_000, 'the herd to connect');
  const cutAt = performance.now();
  expect(net.proxy.cutAll('rst')).toBe(HERD);
  await waitFor(() => opens === 2 * HERD, 20_000, 'the herd to reconnect');
  const arrivals = net.proxy.acceptedAt.slice(HERD).map((at) => at - cutAt);
  expect(arrivals).toHaveLength(HERD);
  const buckets = new Array<number>(Math.ceil(initialDelayMs / 100) + 5).fill(0);
  for (const arrival of arrivals) buckets[Math.min(buckets.length - 1, Math.floor(arrival / 100))]! += 1;
  const busiest = Math.max(...buckets);
  const span = Math.max(...arrivals) - Math.min(...arrivals);
  const iqr = interquartileRange(arrivals);
  console.info(
    `[reconnect] herd of ${HERD}: reconnects spread over ${span.toFixed(0)} ms, the middle half within ${iqr.toFixed(0)} ms; busiest 100 ms window ${busiest} clients; per 100 ms: ${buckets.join(' ')}`,
  );
  // Full jitter draws each delay uniformly in [0, 1000 ms): the middle half of the arrivals spans
  // about 500 ms, and about 20 land in each 100 ms. Without jitter they all land together. The
  // bounds leave room for a loaded event loop, which bunches arrivals.
  expect(iqr).toBeGreaterThan(initialDelayMs / 4);
  expect(busiest).toBeLessThan(HERD / 2);
});

const CUTS = 2000;

it(`survives ${CUTS} forced cuts with no growth in memory, listeners or timers`, async () => {
  const { clock, pending } = countingClock();
  const socket = new ReconnectingWebSocket(net.proxy.url, undefined, {
    WebSocket: WS,
    clock,
    backoff: { initialDelayMs: 1, maxDelayMs: 1 },
    retry: { minUptimeMs: 0 },
    heartbeat: { intervalMs: 60_000, mode: 'protocol' },
  });
  net.sockets.push(socket);
  let opens = 0;
  socket.on('open', () => opens++);
  const onMessage = (): void => undefined;
  socket.addEventListener('message', onMessage);
  await nextEvent(socket, 'open');
  const listenersBefore = socket.listenerCount();
  let baselineHeap = 0;
  for (let cut = 1; cut <= CUTS; cut++) {
    const reopened = nextEvent(socket, 'open');
    net.proxy.cutAll(cut % 2 === 0 ? 'fin' : 'rst');
    await reopened;
    if (cut === 200) {
      collectGarbage();
      baselineHeap = process.memoryUsage().heapUsed;
    }
  }
  await sleep(200);
  collectGarbage();
  const growth = process.memoryUsage().heapUsed - baselineHeap;
  console.info(
    `[reconnect] ${CUTS} cuts: heap growth after the first 200 cuts ${(growth / 1024).toFixed(0)} KiB; ` +
      `timers pending ${pending()}; listeners ${socket.listenerCount()}; server clients ${net.server.clients}`,
  );
  expect(opens).toBe(CUTS + 1);
  expect(socket.listenerCount()).toBe(listenersBefore);
  // An open connection holds at most its heartbeat timer; nothing accumulates per cut.
  expect(pending()).toBeLessThanOrEqual(1);
  await waitFor(
    () => net.server.clients === 1 && net.proxy.activeConnections === 1,
    5000,
    'old connections to be gone',
  );
  // A leaked socket per cut would be tens of KiB each, i.e. tens of MiB over 1800 cuts.
  expect(growth).toBeLessThan(4 * 1024 * 1024);
  socket.close();
  await waitFor(() => socket.state === 'closed', 5000, 'close');
  expect(pending()).toBe(0);
}, 60_000);
