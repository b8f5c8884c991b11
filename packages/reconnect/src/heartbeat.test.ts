import { describe, expect, it } from 'vitest';
import { FakeClock } from '../test-support/fake-clock.js';
import { Heartbeat } from './heartbeat.js';

function setup(intervalMs = 1000, timeoutMs = 500) {
  const clock = new FakeClock(0);
  const log: string[] = [];
  const heartbeat = new Heartbeat(
    clock,
    { intervalMs, timeoutMs },
    {
      sendPing: () => log.push(`ping@${clock.now()}`),
      onTimeout: () => log.push(`timeout@${clock.now()}`),
      onPong: (rtt) => log.push(`pong rtt=${rtt}`),
    },
  );
  return { clock, log, heartbeat };
}

describe('Heartbeat', () => {
  it('pings after intervalMs of silence and times out timeoutMs later', async () => {
    const { clock, log, heartbeat } = setup();
    heartbeat.start();
    await clock.advance(1499);
    expect(log).toEqual(['ping@1000']);
    await clock.advance(1);
    expect(log).toEqual(['ping@1000', 'timeout@1500']);
    expect(clock.pending).toBe(0);
  });

  it('treats incoming traffic as liveness: the idle timer re-arms from the last activity', async () => {
    const { clock, log, heartbeat } = setup();
    heartbeat.start();
    await clock.advance(900);
    heartbeat.activity();
    await clock.advance(900);
    expect(log).toEqual([]);
    await clock.advance(100);
    expect(log).toEqual(['ping@1900']);
  });

  it('a pong (or any traffic) answers the ping and reports the round trip', async () => {
    const { clock, log, heartbeat } = setup();
    heartbeat.start();
    await clock.advance(1000);
    await clock.advance(120);
    heartbeat.pong();
    await clock.advance(1000);
    expect(log).toEqual(['ping@1000', 'pong rtt=120', 'ping@2120']);
  });

  it('does not declare a frozen page dead: a deadline that fires far too late pings again', async () => {
    const { clock, log, heartbeat } = setup();
    heartbeat.start();
    await clock.advance(1000);
    clock.jump(60_000); // the page was frozen for a minute; the deadline timer now fires very late
    await clock.advance(0);
    expect(log).toEqual(['ping@1000', 'ping@61000']);
    heartbeat.pong();
    expect(heartbeat.awaitingPong).toBe(false);
    expect(log.some((line) => line.startsWith('timeout'))).toBe(false);
  });

  it('checkNow pings at once, once', async () => {
    const { clock, log, heartbeat } = setup();
    heartbeat.start();
    heartbeat.checkNow();
    heartbeat.checkNow();
    expect(log).toEqual(['ping@0']);
    await clock.advance(500);
    expect(log).toEqual(['ping@0', 'timeout@500']);
  });

  it('stop leaves no timer', () => {
    const { clock, heartbeat } = setup();
    heartbeat.start();
    heartbeat.stop();
    expect(clock.pending).toBe(0);
  });
});
