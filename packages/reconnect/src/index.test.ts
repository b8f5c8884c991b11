import { describe, expect, it, vi } from 'vitest';

describe('@sturdysocket/reconnect entry', () => {
  it('has no side effects when imported: no globals, no timers, no listeners', async () => {
    const globalsBefore = new Set(Reflect.ownKeys(globalThis));
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    const entry = await import('./index.js');
    expect(setTimeoutSpy).not.toHaveBeenCalled();
    expect(setIntervalSpy).not.toHaveBeenCalled();
    expect(Reflect.ownKeys(globalThis).filter((key) => !globalsBefore.has(key))).toEqual([]);
    expect(typeof entry.ReconnectingWebSocket).toBe('function');
    vi.restoreAllMocks();
  });

  it('exports exactly the documented surface', async () => {
    const entry = await import('./index.js');
    expect(Object.keys(entry).sort()).toEqual(
      [
        'ConnectionTimeoutError',
        'DEFAULT_CLASSIFIER_POLICY',
        'DEFAULT_RECONNECT_OPTIONS',
        'FATAL_CLOSE_CODES',
        'FATAL_HTTP_STATUSES',
        'Heartbeat',
        'HeartbeatTimeoutError',
        'IteratorOverflowError',
        'MessageDroppedError',
        'OpenGateError',
        'OutboxFullError',
        'ProviderError',
        'RETRY_AFTER_HTTP_STATUSES',
        'ReconnectCloseCode',
        'ReconnectStoppedError',
        'ReconnectingWebSocket',
        'ReconnectLoop',
        'ReconnectingWebSocketCore',
        'STATE_TRANSITIONS',
        'TransportError',
        'assertTransition',
        'backoffCeiling',
        'canTransition',
        'computeBackoffDelay',
        'defaultClassifier',
        'exceededLimit',
        'heartbeat',
        'messageByteLength',
        'messages',
        'normaliseDecision',
        'openGate',
        'parseRetryAfter',
        'readHandshake',
        'readyStateOf',
        'resolveReconnectOptions',
        'systemClock',
        'watchUnexpectedResponses',
      ].sort(),
    );
  });

  it('brands its errors so instanceof works across copies of the package', async () => {
    const { ReconnectStoppedError, SturdySocketErrorLike } = {
      ...(await import('./index.js')),
      SturdySocketErrorLike: (await import('@sturdysocket/core')).SturdySocketError,
    };
    const failure = {
      kind: 'close' as const,
      code: 1008,
      closeReason: '',
      wasClean: true,
      error: undefined,
      handshake: undefined,
      retryAfterMs: undefined,
      uptimeMs: undefined,
      at: 0,
    };
    const error = new ReconnectStoppedError('classified', failure, { action: 'stop', reason: 'close code 1008' });
    expect(error).toBeInstanceOf(SturdySocketErrorLike);
    expect(error.code).toBe('ERR_RECONNECT_STOPPED');
    expect(error.name).toBe('ReconnectStoppedError');
    // A second, independent module instance: what two installed copies of the package amount to.
    vi.resetModules();
    const copy = await import('./errors/index.js');
    expect(copy.ReconnectStoppedError).not.toBe(ReconnectStoppedError);
    const foreign = new copy.ReconnectStoppedError('classified', failure, { action: 'stop', reason: 'x' });
    expect(foreign).toBeInstanceOf(ReconnectStoppedError);
    expect(foreign).toBeInstanceOf(SturdySocketErrorLike);
    expect(error).toBeInstanceOf(copy.ReconnectStoppedError);
    expect(foreign).not.toBeInstanceOf(copy.OutboxFullError);
  });
});
