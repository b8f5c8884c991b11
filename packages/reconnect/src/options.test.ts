import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RECONNECT_OPTIONS,
  ReconnectCloseCode,
  type ResolvedReconnectOptions,
  resolveReconnectOptions,
} from './options.js';

describe('resolveReconnectOptions', () => {
  it('fills every default from DEFAULT_RECONNECT_OPTIONS', () => {
    const resolved = resolveReconnectOptions();
    expect(resolved.backoff).toEqual(DEFAULT_RECONNECT_OPTIONS.backoff);
    expect(resolved.outbox).toEqual(DEFAULT_RECONNECT_OPTIONS.outbox);
    expect(resolved.retry).toMatchObject(DEFAULT_RECONNECT_OPTIONS.retry);
    expect(resolved.heartbeat).toMatchObject(DEFAULT_RECONNECT_OPTIONS.heartbeat);
    expect(resolved.connectionTimeoutMs).toBe(10_000);
  });

  it("writes the heartbeat's default close code as ReconnectCloseCode.HeartbeatTimeout's number", () => {
    expect(DEFAULT_RECONNECT_OPTIONS.heartbeat.closeCode).toBe(ReconnectCloseCode.HeartbeatTimeout);
  });

  it('merges nested options field by field', () => {
    const resolved = resolveReconnectOptions({ backoff: { maxDelayMs: 5000 }, outbox: { ttlMs: 100 } });
    expect(resolved.backoff).toEqual({ initialDelayMs: 1000, maxDelayMs: 5000, factor: 2, jitter: 'full' });
    expect(resolved.outbox.ttlMs).toBe(100);
    expect(resolved.outbox.maxMessages).toBe(1000);
  });

  it('resolves every field of ResolvedReconnectOptions and nothing else', () => {
    const resolved = resolveReconnectOptions({ unknown: 1, backoff: { unknown: 2 } } as never);
    const fields: { [K in keyof ResolvedReconnectOptions]-?: readonly string[] | true } = {
      WebSocket: true,
      factory: true,
      transportOptions: true,
      readHandshake: true,
      startClosed: true,
      connectionTimeoutMs: true,
      closeTimeoutMs: true,
      backoff: ['factor', 'initialDelayMs', 'jitter', 'maxDelayMs'],
      retry: [
        'applicationCloseCodeDefault',
        'applicationCloseCodes',
        'classify',
        'maxRetries',
        'maxRetryAfterMs',
        'minUptimeMs',
      ],
      outbox: ['maxBytes', 'maxMessages', 'overflow', 'ttlMs'],
      heartbeat: ['closeCode', 'intervalMs', 'isPong', 'message', 'mode', 'timeoutMs'],
      lifecycle: true,
      beforeFlush: true,
      binaryType: true,
      clock: true,
      random: true,
    };
    expect(Object.keys(resolved).sort()).toEqual(Object.keys(fields).sort());
    for (const [field, nested] of Object.entries(fields)) {
      if (nested !== true) expect(Object.keys(resolved[field as 'backoff']).sort()).toEqual(nested);
    }
  });

  it('takes the default for a null clock or close code, and rejects a null duration', () => {
    const resolved = resolveReconnectOptions({ clock: null, heartbeat: { closeCode: null } } as never);
    expect(resolved.clock).toBe(DEFAULT_RECONNECT_OPTIONS.clock);
    expect(resolved.heartbeat.closeCode).toBe(4000);
    expect(() => resolveReconnectOptions({ closeTimeoutMs: null } as never)).toThrow(
      'closeTimeoutMs must be a number ≥ 0, got null',
    );
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
