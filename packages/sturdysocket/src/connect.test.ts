import type { CreateWebSocketOptions, Transport } from '@sturdysocket/core';
import { heartbeat, type LifecycleSignals, type WebSocketLike } from '@sturdysocket/reconnect';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonCodec } from './codec.js';
import { type ConnectOptions, createConnect } from './connect.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Lifecycle signals that say offline, so a socket waits without ever opening one. */
function offlineSignals(): LifecycleSignals & { subscribers: number } {
  return {
    subscribers: 0,
    online: false,
    subscribe() {
      this.subscribers++;
      return () => {};
    },
  };
}

/** A WebSocket class that records the arguments of each construction and never opens. */
function recordingWebSocket() {
  const constructed: unknown[][] = [];
  class Recorder {
    readyState = 0;
    constructor(...args: unknown[]) {
      constructed.push(args);
    }
    addEventListener() {}
    close() {}
  }
  return { constructed, Recorder };
}

/** A runtime whose transport records what it is asked for and opens nothing. */
function fakeRuntime(lifecycle?: () => LifecycleSignals) {
  const requests: CreateWebSocketOptions[] = [];
  const transport: Transport<WebSocketLike> = {
    capabilities: { headers: true, ping: false, handshakeDetails: false },
    createWebSocket(_url, options = {}) {
      requests.push(options);
      throw new TypeError('this transport opens nothing');
    },
  };
  const connect = createConnect<never>({ transport: () => transport, lifecycle });
  return {
    requests,
    connect: (options: ConnectOptions<unknown, unknown, never> = {}) => {
      const socket = connect('ws://127.0.0.1:9/', options);
      cleanups.push(() => socket.close());
      return socket;
    },
  };
}

describe('createConnect', () => {
  it("reads binary messages as ArrayBuffers with the JSON codec, unless reconnect's binaryType says otherwise", () => {
    const { connect } = fakeRuntime();
    expect(connect({ codec: 'json' }).raw.binaryType).toBe('arraybuffer');
    expect(connect({ codec: 'json', reconnect: { binaryType: 'blob' } }).raw.binaryType).toBe('blob');
    expect(connect().raw.binaryType).toBe('blob');
    // `null` from JavaScript callers reads as no reconnect options, as it always did.
    expect(connect({ codec: 'json', reconnect: null as never }).raw.binaryType).toBe('arraybuffer');
  });

  it("reads binary messages as ArrayBuffers with jsonCodec() given as the codec, as with 'json' (they came as Blobs it cannot read)", () => {
    const { connect } = fakeRuntime();
    expect(connect({ codec: jsonCodec() }).raw.binaryType).toBe('arraybuffer');
    expect(connect({ codec: jsonCodec(), reconnect: { binaryType: 'blob' } }).raw.binaryType).toBe('blob');
    // A codec of your own says how it wants binary messages; one that says nothing gets the default.
    const bytes = { encode: (value: Uint8Array) => value, decode: (data: unknown) => data, binaryType: 'arraybuffer' };
    expect(connect({ codec: bytes as never }).raw.binaryType).toBe('arraybuffer');
    expect(connect({ codec: { encode: String, decode: String } as never }).raw.binaryType).toBe('blob');
  });

  it("uses the runtime's lifecycle signals unless given others or false", () => {
    const runtimeSignals = offlineSignals();
    const { connect } = fakeRuntime(() => runtimeSignals);
    expect(connect().state).toBe('waiting');
    expect(runtimeSignals.subscribers).toBe(1);
    const given = offlineSignals();
    connect({ lifecycle: given });
    expect([runtimeSignals.subscribers, given.subscribers]).toEqual([1, 1]);
    // `false` turns the runtime's off; signals given to the reconnect layer itself still count.
    const inReconnect = offlineSignals();
    expect(connect({ lifecycle: false }).state).toBe('connecting');
    connect({ lifecycle: false, reconnect: { lifecycle: inReconnect } });
    expect([runtimeSignals.subscribers, inReconnect.subscribers]).toEqual([1, 1]);
  });

  it('asks the transport for the protocols offered and the headers given', async () => {
    const { connect, requests } = fakeRuntime();
    connect({ protocols: ['a'], headers: { 'X-A': '1' } });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(requests[0]).toEqual({ protocols: ['a'], headers: { 'X-A': '1' } });
  });

  it('gives a WebSocket class you bring headers given as pairs, a Map or a Headers as a record (ws sent "0: X-A")', async () => {
    const { constructed, Recorder } = recordingWebSocket();
    const { connect } = fakeRuntime();
    const inputs = [
      { 'X-A': '1' },
      [['X-A', '1']] as Array<[string, string]>,
      new Map([['X-A', '1']]),
      new Headers({ 'X-A': '1' }),
    ];
    for (const headers of inputs) {
      connect({ WebSocket: Recorder as never, capabilities: { headers: true }, headers });
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    // Names in lower case, as a Headers spells them (and as HTTP/2 sends them).
    expect(constructed.map((args) => args[2])).toEqual(Array(4).fill({ headers: { 'x-a': '1' } }));
    // A class that cannot send headers refuses them in every form, rather than dropping a Headers.
    for (const headers of inputs) {
      expect(() => connect({ WebSocket: Recorder as never, headers })).toThrow(/cannot send custom handshake headers/);
    }
    expect(constructed).toHaveLength(4);
  });

  it('merges headers for a WebSocket class you bring as core does: a forEach-only Headers, repeated names, undefined values', async () => {
    const { constructed, Recorder } = recordingWebSocket();
    /** A Headers polyfill of old: `forEach`, but no iterator (it reached the class as itself). */
    const forEachOnly = {
      forEach(callback: (value: string, name: string) => void) {
        callback('1', 'X-A');
      },
    };
    const { connect } = fakeRuntime();
    const inputs = [
      forEachOnly,
      // Object.fromEntries kept the last of a repeated name.
      [
        ['X-A', '1'],
        ['x-a', '2'],
      ] as Array<[string, string]>,
      // ws sends `undefined` to http.request, which throws.
      { 'X-A': '1', 'X-B': undefined },
    ];
    for (const headers of inputs) {
      connect({ WebSocket: Recorder as never, capabilities: { headers: true }, headers });
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    // Strict: toEqual would take `'x-b': undefined` for a header left out.
    expect(constructed.map((args) => args[2])).toStrictEqual([
      { headers: { 'x-a': '1' } },
      { headers: { 'x-a': '1, 2' } },
      { headers: { 'x-a': '1' } },
    ]);
  });

  it('refuses heartbeat options given in reconnect, naming heartbeat(), and takes the heartbeat layer', () => {
    const { connect } = fakeRuntime();
    const plain = { heartbeat: { intervalMs: 1000 } } as unknown as ConnectOptions['reconnect'];
    expect(() => connect({ reconnect: plain })).toThrow(TypeError);
    expect(() => connect({ reconnect: plain })).toThrow(/heartbeat\(\{ intervalMs \}\)/);
    expect(() => connect({ heartbeat: heartbeat({ intervalMs: 1000 }) })).not.toThrow();
    // The layer itself, or null, in the wrong place is refused too (it would override heartbeat: false).
    for (const misplaced of [heartbeat(), null]) {
      const reconnect = { heartbeat: misplaced } as unknown as ConnectOptions['reconnect'];
      expect(() => connect({ heartbeat: false, reconnect })).toThrow(/heartbeat\(\{ intervalMs \}\)/);
    }
  });

  it('reads the handshakes of a WebSocket class you bring only with a reader, and says so to the auth layer', async () => {
    const { HandshakeError } = await import('@sturdysocket/core');
    const { readHandshake } = await import('@sturdysocket/reconnect');
    /** A WebSocket whose server refuses the upgrade with 403, reported as our Node class does. */
    class Refused {
      readyState = 0;
      readonly #listeners: Array<[string, (event: unknown) => void]> = [];
      constructor() {
        setTimeout(() => {
          this.readyState = 3;
          const error = new HandshakeError('http-status', 'Forbidden', { status: 403, headers: {} });
          for (const [type, listener] of this.#listeners) if (type === 'error') listener({ error });
          for (const [type, listener] of this.#listeners) if (type === 'close') listener({ code: 1006 });
        }, 0);
      }
      addEventListener(type: string, listener: (event: unknown) => void) {
        this.#listeners.push([type, listener]);
      }
      close() {}
    }
    const composedWith: boolean[] = [];
    const spyAuth = {
      compose: (options: { transport: Transport<WebSocketLike> } & Record<string, unknown>) => {
        composedWith.push(options.transport.capabilities.handshakeDetails);
        const { transport, headers: _headers, ...rest } = options;
        return { ...rest, factory: (url: string) => transport.createWebSocket(url) };
      },
    } as never;
    const { connect } = fakeRuntime();
    const capabilities = { handshakeDetails: true };
    const kinds: string[] = [];
    for (const reconnect of [{}, { readHandshake }]) {
      const socket = connect({ WebSocket: Refused as never, capabilities, auth: spyAuth, reconnect });
      socket.on('error', () => undefined);
      // The first failure, however long a loaded machine takes to get there (a fixed 5 ms wait was flaky).
      await new Promise<void>((resolve) =>
        socket.on('failure', ({ failure }) => {
          kinds.push(failure.kind);
          resolve();
        }),
      );
      socket.close();
    }
    expect(composedWith).toEqual([false, true]);
    expect(kinds).toEqual(['transport', 'handshake']);
  });

  it('refuses auth and codec options that are not what they must be', () => {
    const { connect } = fakeRuntime();
    // reconnecting-websocket's names are the drop-in classes'; here each is refused, naming ours.
    expect(() => connect({ reconnect: { maxRetries: 0 } as never })).toThrow(/retry\.maxRetries/);
    expect(() => connect({ auth: { token: 'x' } as never })).toThrow(/tokenAuth/);
    expect(() => connect({ codec: 'xml' as never })).toThrow(TypeError);
    expect(() => connect({ codec: { encode: String } as never })).toThrow(/encode and decode/);
  });
});
