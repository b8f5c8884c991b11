import type { ReconnectLoop } from '@sturdysocket/reconnect';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CodecError, jsonCodec } from './codec.js';
import { SturdySocket } from './sturdy-socket.js';

/** The part of the raw socket `on()` uses: typed events with unsubscribe, and a way to emit them. */
function fakeRaw() {
  const listeners: Array<[string, (...args: unknown[]) => void]> = [];
  const raw = {
    on(event: string, listener: (...args: unknown[]) => void) {
      const entry: [string, (...args: unknown[]) => void] = [event, listener];
      listeners.push(entry);
      return () => {
        const index = listeners.indexOf(entry);
        if (index !== -1) listeners.splice(index, 1);
      };
    },
  };
  return {
    raw: raw as unknown as ReconnectLoop,
    emit: (event: string, ...args: unknown[]) => {
      for (const [name, listener] of [...listeners]) if (name === event) listener(...args);
    },
    count: (event: string) => listeners.filter(([name]) => name === event).length,
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('SturdySocket.on', () => {
  it('decodes each message once for every message listener', () => {
    const { raw, emit, count } = fakeRaw();
    let decodes = 0;
    const socket = new SturdySocket<never, number>(raw, {
      encode: String,
      decode: (data) => {
        decodes++;
        return Number(data);
      },
    });
    const a: number[] = [];
    const b: number[] = [];
    socket.on('message', (message) => a.push(message));
    socket.on('message', (message) => b.push(message));
    expect(count('message')).toBe(1);
    emit('message', '7');
    expect([a, b, decodes]).toEqual([[7], [7], 1]);
  });

  it('subscribes to raw messages only while it has message listeners', () => {
    const { raw, count } = fakeRaw();
    const socket = new SturdySocket(raw, jsonCodec());
    const offA = socket.on('message', () => {});
    const offB = socket.on('message', () => {});
    offA();
    offA();
    expect(count('message')).toBe(1);
    offB();
    expect(count('message')).toBe(0);
    const offC = socket.on('message', () => {});
    expect(count('message')).toBe(1);
    offC();
    expect(count('message')).toBe(0);
  });

  it('reports an undecodable message as a CodecError to error listeners, and skips it', () => {
    const { raw, emit, count } = fakeRaw();
    const socket = new SturdySocket(raw, jsonCodec());
    const messages: unknown[] = [];
    const errors: unknown[] = [];
    socket.on('message', (message) => messages.push(message));
    const offError = socket.on('error', (error) => errors.push(error));
    expect(count('error')).toBe(1);
    emit('message', 'not json');
    emit('message', '{"ok":true}');
    expect(messages).toEqual([{ ok: true }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(CodecError);
    expect((errors[0] as CodecError).cause).toBeInstanceOf(SyntaxError);
    // The raw socket's own errors reach the same listeners; unsubscribing stops both.
    emit('error', 'raw');
    expect(errors[1]).toBe('raw');
    offError();
    expect(count('error')).toBe(0);
    emit('message', 'still not json');
    expect(errors).toHaveLength(2);
  });

  it('keeps a function subscribed twice until both unsubscribe, as the raw socket does (one unsubscribe silenced both)', () => {
    const { raw, emit } = fakeRaw();
    const socket = new SturdySocket(raw, jsonCodec());
    const messages: unknown[] = [];
    const errors: unknown[] = [];
    const onMessage = (message: unknown) => messages.push(message);
    const onError = (error: unknown) => errors.push(error);
    // Two parts of an application subscribe the same function; one of them leaves.
    const offMessage = socket.on('message', onMessage);
    socket.on('message', onMessage);
    const offError = socket.on('error', onError);
    socket.on('error', onError);
    offMessage();
    offError();
    emit('message', '{"n":1}');
    emit('message', 'not json');
    expect(messages).toEqual([{ n: 1 }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(CodecError);
  });

  it('reports a message listener that throws, and still gives the message to the others', () => {
    const reported: unknown[] = [];
    vi.stubGlobal('reportError', (error: unknown) => reported.push(error));
    const { raw, emit } = fakeRaw();
    const socket = new SturdySocket<never, string>(raw, { encode: String, decode: String });
    const bug = new Error('listener bug');
    const seen: string[] = [];
    socket.on('message', () => {
      throw bug;
    });
    socket.on('message', (message) => seen.push(message));
    expect(() => emit('message', 'hi')).not.toThrow();
    expect(seen).toEqual(['hi']);
    expect(reported).toEqual([bug]);
  });

  it('skips a listener removed during a dispatch and does not call one added during it, as DOM dispatch does', () => {
    const { raw, emit } = fakeRaw();
    const socket = new SturdySocket<never, string>(raw, { encode: String, decode: JSON.parse });
    const seen: string[] = [];
    let offSecond = (): void => {};
    let offSecondError = (): void => {};
    socket.on('message', (message) => {
      seen.push(`first ${message}`);
      offSecond();
      socket.on('message', (late) => seen.push(`late ${late}`));
    });
    offSecond = socket.on('message', (message) => seen.push(`second ${message}`));
    socket.on('error', () => {
      seen.push('first error');
      offSecondError();
    });
    offSecondError = socket.on('error', () => seen.push('second error'));
    emit('message', '"a"');
    emit('message', 'not json');
    expect(seen).toEqual(['first a', 'first error']);
  });

  it('passes other events straight through to the raw socket', () => {
    const { raw, emit, count } = fakeRaw();
    const socket = new SturdySocket(raw, jsonCodec());
    const seen: unknown[] = [];
    const off = socket.on('state', (change) => seen.push(change));
    emit('state', { from: 'connecting', to: 'open' });
    expect(seen).toEqual([{ from: 'connecting', to: 'open' }]);
    off();
    expect(count('state')).toBe(0);
  });
});
