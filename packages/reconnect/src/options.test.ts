import { describe, expect, it } from 'vitest';
import { DEFAULT_RECONNECT_OPTIONS, resolveReconnectOptions } from './options.js';

describe('resolveReconnectOptions', () => {
  it('fills every default from DEFAULT_RECONNECT_OPTIONS', () => {
    const resolved = resolveReconnectOptions();
    expect(resolved.backoff).toEqual(DEFAULT_RECONNECT_OPTIONS.backoff);
    expect(resolved.outbox).toEqual(DEFAULT_RECONNECT_OPTIONS.outbox);
    expect(resolved.retry).toMatchObject(DEFAULT_RECONNECT_OPTIONS.retry);
    expect(resolved.heartbeat).toMatchObject(DEFAULT_RECONNECT_OPTIONS.heartbeat);
    expect(resolved.connectionTimeoutMs).toBe(10_000);
  });

  it('merges nested options field by field', () => {
    const resolved = resolveReconnectOptions({ backoff: { maxDelayMs: 5000 }, outbox: { ttlMs: 100 } });
    expect(resolved.backoff).toEqual({ initialDelayMs: 1000, maxDelayMs: 5000, factor: 2, jitter: 'full' });
    expect(resolved.outbox.ttlMs).toBe(100);
    expect(resolved.outbox.maxMessages).toBe(1000);
  });

  it.each([
    [{ backoff: { factor: 0.5 } }, /backoff.factor/],
    [{ backoff: { initialDelayMs: 5000, maxDelayMs: 10 } }, /maxDelayMs must be at least/],
    [{ retry: { maxRetries: -1 } }, /retry.maxRetries/],
    [{ retry: { applicationCloseCodeDefault: 'later' as never } }, /applicationCloseCodeDefault/],
    [{ heartbeat: { mode: 'application' as const } }, /needs heartbeat.message/],
    [{ heartbeat: { timeoutMs: Number.NaN } }, /heartbeat.timeoutMs/],
    [{ retry: { classify: 'stop' as never } }, /retry.classify must be a function/],
  ])('rejects %j', (options, message) => {
    expect(() => resolveReconnectOptions(options)).toThrow(message);
  });
});

describe("reconnecting-websocket's and partysocket's option names", () => {
  it('map onto the nested options, which win when both are given', () => {
    const resolved = resolveReconnectOptions({
      minReconnectionDelay: 200,
      maxReconnectionDelay: 4000,
      reconnectionDelayGrowFactor: 1.5,
      minUptime: 1000,
      connectionTimeout: 3000,
      maxRetries: 7,
      maxEnqueuedMessages: 50,
      debug: true,
      backoff: { maxDelayMs: 9000 },
    });
    expect(resolved.backoff).toEqual({ initialDelayMs: 200, maxDelayMs: 9000, factor: 1.5, jitter: 'full' });
    expect(resolved.retry).toMatchObject({ minUptimeMs: 1000, maxRetries: 7 });
    expect(resolved.connectionTimeoutMs).toBe(3000);
    expect(resolved.outbox.maxMessages).toBe(50);
  });
});
