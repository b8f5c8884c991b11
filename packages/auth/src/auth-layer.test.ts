import type { Transport } from '@sturdysocket/core';
import type { WebSocketLike } from '@sturdysocket/reconnect';
import { describe, expect, it } from 'vitest';
import { AuthError } from './auth-error.js';
import { tokenAuth } from './auth-layer.js';

function transport(headers: boolean): { transport: Transport<WebSocketLike>; headersSeen: unknown[] } {
  const headersSeen: unknown[] = [];
  return {
    headersSeen,
    transport: {
      capabilities: { headers, ping: false, handshakeDetails: false },
      createWebSocket: (_url, options = {}) => {
        headersSeen.push(options.headers);
        return {} as WebSocketLike;
      },
    },
  };
}

const attempt = { attempt: 1, transportOptions: undefined, signal: new AbortController().signal };

describe('tokenAuth', () => {
  it('keeps its options and checks nothing until composed', () => {
    const options = { token: 'secret', carrier: 'header' as const };
    const layer = tokenAuth(options);
    expect(layer.options).toBe(options);
    // No transport yet, so no carrier check: a browser-only mistake surfaces in compose().
    expect(() => tokenAuth({ token: 'secret', carrier: 'auto' })).not.toThrow();
  });

  it('composes reconnect options that carry the token, keeping the caller’s reconnect options', async () => {
    const { transport: headerTransport, headersSeen } = transport(true);
    const composed = tokenAuth({ token: 'secret' }).compose({
      transport: headerTransport,
      headers: { 'X-Trace': 'abc' },
      backoff: { initialDelayMs: 5 },
    });
    expect(composed.backoff).toEqual({ initialDelayMs: 5 });
    expect(typeof composed.beforeFlush?.open).toBe('function');
    expect(typeof composed.retry?.classify).toBe('function');
    await composed.factory?.('wss://example.test/', undefined, attempt);
    expect(headersSeen).toEqual([{ 'x-trace': 'abc', Authorization: 'Bearer secret' }]);
  });

  it('throws from compose what withAuth throws: auto over a transport without headers', () => {
    const layer = tokenAuth({ token: 'secret' });
    let thrown: unknown;
    try {
      layer.compose({ transport: transport(false).transport });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AuthError);
    expect((thrown as AuthError).reason).toBe('carrier-unavailable');
  });

  it('composes afresh each time, so one layer may serve several connections', async () => {
    const layer = tokenAuth({ token: 'secret' });
    const first = transport(true);
    const second = transport(true);
    await layer.compose({ transport: first.transport }).factory?.('wss://a.test/', undefined, attempt);
    await layer.compose({ transport: second.transport }).factory?.('wss://b.test/', undefined, attempt);
    expect(first.headersSeen).toHaveLength(1);
    expect(second.headersSeen).toHaveLength(1);
  });
});
