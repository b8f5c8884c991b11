import { describe, expect, it } from 'vitest';
import { FakeWebSocket, PingableFakeWebSocket } from '../test-support/fake-websocket.js';
import { headerOf } from './handshake-reader.js';
import { abandonSocket, errorOfEvent, hasProtocolPing, listenForProtocolPongs, sendProtocolPing } from './transport.js';

describe('transport capabilities', () => {
  it('pings through a promise-returning ping() and reports the pong', async () => {
    const socket = new PingableFakeWebSocket('ws://x/');
    let pongs = 0;
    expect(hasProtocolPing(socket)).toBe(true);
    expect(sendProtocolPing(socket, () => pongs++)).toBe(true);
    socket.answerPings();
    await Promise.resolve();
    expect(pongs).toBe(1);
    expect(hasProtocolPing(new FakeWebSocket('ws://x/'))).toBe(false);
    expect(sendProtocolPing(new FakeWebSocket('ws://x/'), () => pongs++)).toBe(false);
  });

  it("listens for ws-style 'pong' events through on()", () => {
    const handlers = new Map<string, () => void>();
    const socket = Object.assign(new FakeWebSocket('ws://x/'), {
      on: (event: string, listener: () => void) => handlers.set(event, listener),
    });
    let pongs = 0;
    listenForProtocolPongs(socket, () => pongs++);
    handlers.get('pong')?.();
    expect(pongs).toBe(1);
  });

  it('abandons a socket with close() (code only once open) and terminate() where offered', () => {
    let terminated = 0;
    const open = Object.assign(new FakeWebSocket('ws://x/'), { terminate: () => terminated++ });
    open.readyState = 1;
    abandonSocket(open, 4000, 'heartbeat timeout', true);
    expect(open.closeCalls).toEqual([{ code: 4000, reason: 'heartbeat timeout' }]);
    expect(terminated).toBe(1);
    const connecting = new FakeWebSocket('ws://x/');
    abandonSocket(connecting, 4000, 'x', false);
    expect(connecting.closeCalls).toEqual([{ code: undefined, reason: undefined }]);
    const throwing = Object.assign(new FakeWebSocket('ws://x/'), {
      close: () => {
        throw new Error('already closed');
      },
    });
    expect(() => abandonSocket(throwing, undefined, undefined, false)).not.toThrow();
  });

  it('reads the error of an error event, and headers case-insensitively', () => {
    const error = new Error('x');
    expect(errorOfEvent({ error })).toBe(error);
    const bare = { type: 'error' };
    expect(errorOfEvent(bare)).toBe(bare);
    expect(headerOf({ 'Retry-After': '3' }, 'retry-after')).toBe('3');
    expect(headerOf(undefined, 'retry-after')).toBeUndefined();
  });
});
