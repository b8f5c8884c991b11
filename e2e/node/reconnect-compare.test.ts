// The same fault scenarios, through the same proxy, for sturdysocket, reconnecting-websocket and
// partysocket. Prints the figures; asserts only sturdysocket's guarantees.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { type Contender, contenders } from '../fault-proxy/contenders.js';
import { waitFor } from '../fault-proxy/echo-server.js';
import { useFaultProxy } from '../fault-proxy/fixture.js';
import { interquartileRange, sleep } from '../fault-proxy/harness.js';

const net = useFaultProxy<Contender>();
const execFileAsync = promisify(execFile);
const figures: Record<string, Record<string, string>> = {};

const record = (library: string, figure: string, value: string): void => {
  figures[figure] ??= {};
  figures[figure][library] = value;
};

afterAll(() => {
  const libraries = Object.keys(contenders);
  const rows = Object.entries(figures).map(([figure, values]) => [figure, ...libraries.map((l) => values[l] ?? '–')]);
  const table = [['scenario', ...libraries], ...rows];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  const lines = table.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | '));
  console.info(`[reconnect] comparison through the fault proxy\n${lines.join('\n')}`);
});

interface ProbeResult {
  crashed: boolean;
  error: string;
  opens: number;
  closes: number;
  firstOpenMs: number;
  firstCloseMs: number;
}

/** Runs a scenario for another library in a child process: some of them crash the process. */
async function runProbe(library: string, scenario: string, url: string, windowMs: number): Promise<ProbeResult> {
  const script = fileURLToPath(new URL('../fault-proxy/crash-probe.mjs', import.meta.url));
  const { stdout } = await execFileAsync(process.execPath, [script, library, scenario, url, String(windowMs)], {
    timeout: windowMs + 10_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ProbeResult;
}

function track(socket: Contender) {
  net.sockets.push(socket);
  const state = { opens: 0, closes: 0, lastOpenAt: 0, lastCloseAt: 0 };
  socket.addEventListener('open', () => {
    state.opens++;
    state.lastOpenAt = performance.now();
  });
  socket.addEventListener('close', () => {
    state.closes++;
    state.lastCloseAt = performance.now();
  });
  return state;
}

const settings = { minDelayMs: 100, maxDelayMs: 1000, connectionTimeoutMs: 1000 };
const ROUNDS = 5;

describe.each(Object.keys(contenders))('%s', (library) => {
  const make = contenders[library]!;

  it('server restart (down 500 ms): recovery time and queued messages lost', async () => {
    const socket = make(net.proxy.url, settings);
    const state = track(socket);
    await waitFor(() => state.opens === 1, 5000, 'open');
    const recoveries: number[] = [];
    let lost = 0;
    let duplicates = 0;
    let inOrder = true;
    for (let round = 0; round < ROUNDS; round++) {
      const closes = state.closes;
      const opens = state.opens;
      const receivedBefore = net.server.received.length;
      await net.server.stop();
      await waitFor(() => state.closes > closes, 5000, 'the drop');
      for (let i = 0; i < 50; i++) socket.send(`q${round}-${i}`);
      await sleep(500);
      const restartedAt = performance.now();
      await net.server.restart();
      await waitFor(() => state.opens > opens, 10_000, 'reopen');
      recoveries.push(state.lastOpenAt - restartedAt);
      await sleep(300);
      const queued = net.server.received.slice(receivedBefore).filter((m) => m.startsWith(`q${round}-`));
      const unique = new Set(queued);
      lost += 50 - unique.size;
      duplicates += queued.length - unique.size;
      inOrder &&= queued.every((m, i) => i === 0 || Number(m.split('-')[1]) > Number(queued[i - 1]!.split('-')[1]));
    }
    const sorted = [...recoveries].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    record(
      library,
      `restart: recovery after server is back, median (min–max) of ${ROUNDS}`,
      `${median.toFixed(0)} (${sorted[0]?.toFixed(0)}–${sorted.at(-1)?.toFixed(0)}) ms`,
    );
    record(
      library,
      `restart: queued messages lost (of ${50 * ROUNDS})`,
      `${lost}${duplicates ? `, ${duplicates} duplicated` : ''}${inOrder ? '' : ', out of order'}`,
    );
    if (library === 'sturdysocket') {
      expect(lost).toBe(0);
      expect(duplicates).toBe(0);
      expect(inOrder).toBe(true);
    }
  });

  it('half-open connection: time to detect', async () => {
    const socket = make(net.proxy.url, settings);
    const state = track(socket);
    await waitFor(() => state.opens === 1, 5000, 'open');
    net.proxy.freeze();
    const frozenAt = performance.now();
    const windowMs = 3000;
    await waitFor(() => state.closes >= 1 || performance.now() - frozenAt > windowMs, windowMs + 1000);
    const detected = state.closes >= 1;
    record(
      library,
      'half-open: detection (heartbeat 300+300 ms)',
      detected ? `${(state.lastCloseAt - frozenAt).toFixed(0)} ms` : `not within ${windowMs / 1000} s`,
    );
    net.proxy.thaw();
    if (library === 'sturdysocket') expect(detected).toBe(true);
  });

  it('handshake black hole (connection timeout 500 ms): attempt abandoned after', async () => {
    net.proxy.blackHole(true);
    if (library !== 'sturdysocket') {
      const probe = await runProbe(library, 'black-hole', net.proxy.url, 1500);
      record(
        library,
        'black hole: first attempt abandoned after',
        probe.firstCloseMs >= 0 ? `${probe.firstCloseMs} ms` : 'never',
      );
      record(library, 'black hole: process survives', probe.crashed ? `no (${probe.error})` : 'yes');
      return;
    }
    const socket = make(net.proxy.url, { ...settings, connectionTimeoutMs: 500 });
    const state = track(socket);
    const startedAt = performance.now();
    await waitFor(() => state.closes >= 1, 3000, 'the timeout');
    record(library, 'black hole: first attempt abandoned after', `${(state.lastCloseAt - startedAt).toFixed(0)} ms`);
    record(library, 'black hole: process survives', 'yes');
    socket.close();
    await waitFor(() => net.proxy.activeConnections === 0, 2000, 'the abandoned attempt to be closed');
  });

  it('URL provider rejecting once: connected afterwards', async () => {
    if (library !== 'sturdysocket') {
      const probe = await runProbe(library, 'provider-rejects', net.proxy.url, 1500);
      record(
        library,
        'provider rejects once: connects',
        probe.opens > 0 ? `yes, ${probe.firstOpenMs} ms` : 'no (stalled)',
      );
      record(library, 'provider rejects once: process survives', probe.crashed ? `no (${probe.error})` : 'yes');
      return;
    }
    let calls = 0;
    const url = async () => {
      calls++;
      if (calls === 1) throw new Error('token service down');
      return net.proxy.url;
    };
    const socket = make(url, settings);
    const state = track(socket);
    const startedAt = performance.now();
    await waitFor(() => state.opens >= 1, 3000, 'open after the provider recovers');
    record(library, 'provider rejects once: connects', `yes, ${(state.lastOpenAt - startedAt).toFixed(0)} ms`);
    record(library, 'provider rejects once: process survives', 'yes');
  });

  it('outbox overflow while down (limit 10, 20 sent): drops reported', async () => {
    const socket = make(net.proxy.url, { ...settings, maxQueued: 10 });
    const state = track(socket);
    await waitFor(() => state.opens === 1, 5000, 'open');
    await net.server.stop();
    await waitFor(() => state.closes >= 1, 5000, 'the drop');
    let reported = 0;
    const events = socket as unknown as { on?: (event: 'drop', listener: () => void) => void };
    events.on?.('drop', () => reported++);
    for (let i = 0; i < 20; i++) socket.send(`o${i}`);
    await net.server.restart();
    await waitFor(() => state.opens >= 2, 10_000, 'reopen');
    await sleep(300);
    const delivered = net.server.received.filter((m) => m.startsWith('o'));
    record(
      library,
      'overflow: delivered / dropped / drops reported',
      `${delivered.length} / ${20 - delivered.length} / ${reported}`,
    );
    if (library === 'sturdysocket') expect(reported).toBe(20 - delivered.length);
  });

  it('herd of 200 (min delay 1 s): reconnect spread', async () => {
    const herd = Array.from({ length: 200 }, () =>
      make(net.proxy.url, { ...settings, minDelayMs: 1000, maxDelayMs: 1000 }),
    );
    const states = herd.map(track);
    await waitFor(() => states.every((s) => s.opens === 1), 20_000, 'the herd to connect');
    const before = net.proxy.acceptedAt.length;
    const cutAt = performance.now();
    net.proxy.cutAll('rst');
    await waitFor(() => states.every((s) => s.opens >= 2), 20_000, 'the herd to reconnect');
    const arrivals = net.proxy.acceptedAt.slice(before).map((at) => at - cutAt);
    const buckets = new Map<number, number>();
    for (const arrival of arrivals)
      buckets.set(Math.floor(arrival / 100), (buckets.get(Math.floor(arrival / 100)) ?? 0) + 1);
    const busiest = Math.max(...buckets.values());
    const span = Math.max(...arrivals) - Math.min(...arrivals);
    const iqr = interquartileRange(arrivals);
    record(
      library,
      'herd 200: span / middle 50% within / busiest 100 ms',
      `${span.toFixed(0)} ms / ${iqr.toFixed(0)} ms / ${busiest}`,
    );
    if (library === 'sturdysocket') expect(iqr).toBeGreaterThan(250);
  });
});
