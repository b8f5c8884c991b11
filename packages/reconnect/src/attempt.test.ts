import { describe, expect, it } from 'vitest';
import { FakeClock } from '../test-support/fake-clock.js';
import { type Attempt, abandonAttempt } from './attempt.js';
import type { WebSocketLike } from './transport.js';

function socketIn(readyState: number) {
  const calls: string[] = [];
  const socket = {
    readyState,
    close: (code?: number, reason?: string) => calls.push(code === undefined ? 'close()' : `close(${code},${reason})`),
    terminate: () => calls.push('terminate()'),
  } as unknown as WebSocketLike;
  return { socket, calls };
}

function attemptWith(socket: WebSocketLike, clock: FakeClock): Attempt {
  return {
    number: 1,
    controller: new AbortController(),
    url: 'ws://a.test/',
    socket,
    timer: clock.setTimeout(() => undefined, 1000),
  };
}

describe('abandonAttempt', () => {
  it('clears the timer, aborts the signal and closes a live socket with the code given', () => {
    const clock = new FakeClock();
    const { socket, calls } = socketIn(1);
    const attempt = attemptWith(socket, clock);
    abandonAttempt(attempt, { closeCode: 1000, closeReason: 'reconnect' }, clock);
    expect(clock.pending).toBe(0);
    expect(attempt.controller.signal.aborted).toBe(true);
    expect(calls).toEqual(['close(1000,reconnect)']);
  });

  it('leaves a closing socket alone unless asked to terminate, and then sends it no code', () => {
    const clock = new FakeClock();
    const closing = socketIn(2);
    abandonAttempt(attemptWith(closing.socket, clock), { closeCode: 1000 }, clock);
    expect(closing.calls).toEqual([]);
    abandonAttempt(attemptWith(closing.socket, clock), { closeCode: 1000, terminate: true }, clock);
    expect(closing.calls).toEqual(['close()', 'terminate()']);
  });

  it('ends a pending beforeFlush gate and stops the heartbeat', () => {
    const clock = new FakeClock();
    const ended: string[] = [];
    const attempt: Attempt = {
      ...attemptWith(socketIn(3).socket, clock),
      gate: { end: (error: Error) => ended.push(error.message) } as never,
      heartbeat: { stop: () => ended.push('heartbeat stopped') } as never,
    };
    abandonAttempt(attempt, {}, clock);
    expect(ended).toEqual(['heartbeat stopped', 'The attempt was abandoned']);
    expect(attempt.gate).toBeUndefined();
    expect(attempt.heartbeat).toBeUndefined();
  });
});
