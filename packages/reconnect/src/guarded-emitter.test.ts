import { afterEach, describe, expect, it, vi } from 'vitest';
import { GuardedEmitter } from './guarded-emitter.js';

interface Events {
  ping: (n: number) => void;
  done: () => void;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('GuardedEmitter', () => {
  it('delivers in order; a throwing listener is reported and the rest still run', () => {
    const reported: unknown[] = [];
    vi.stubGlobal('reportError', (error: unknown) => reported.push(error));
    const events = new GuardedEmitter<Events>();
    const seen: string[] = [];
    const bug = new Error('listener bug');
    events.on('ping', (n) => seen.push(`a${n}`));
    events.on('ping', () => {
      throw bug;
    });
    events.on('ping', (n) => seen.push(`c${n}`));
    expect(() => events.emit('ping', 1)).not.toThrow();
    expect(seen).toEqual(['a1', 'c1']);
    expect(reported).toEqual([bug]);
  });

  it('an emit calls the listeners subscribed when it began, but none removed before its turn', () => {
    const events = new GuardedEmitter<Events>();
    const seen: string[] = [];
    const late = (n: number) => seen.push(`late${n}`);
    const second = (n: number) => seen.push(`b${n}`);
    events.on('ping', (n) => {
      seen.push(`a${n}`);
      events.off('ping', second);
      events.on('ping', late);
    });
    events.on('ping', second);
    events.emit('ping', 1);
    expect(seen).toEqual(['a1']);
    seen.length = 0;
    events.emit('ping', 2);
    expect(seen).toEqual(['a2', 'late2']);
  });

  it('once runs once; off and the returned function each remove one registration', () => {
    const events = new GuardedEmitter<Events>();
    const calls: string[] = [];
    const listener = () => calls.push('listener');
    events.on('done', () => calls.push('once'), true);
    const off = events.on('done', listener);
    events.on('done', listener);
    expect(events.count('done')).toBe(3);
    events.emit('done');
    expect(calls).toEqual(['once', 'listener', 'listener']);
    off();
    off();
    expect(events.count('done')).toBe(1);
    events.off('done', listener);
    events.off('done', listener);
    events.emit('done');
    expect(calls).toHaveLength(3);
    expect(events.count()).toBe(0);
  });

  it('a once listener runs once even when an earlier listener emits the same event again', () => {
    const events = new GuardedEmitter<Events>();
    const seen: number[] = [];
    events.on('ping', (n) => {
      if (n === 1) events.emit('ping', 2);
    });
    events.on('ping', (n) => seen.push(n), true);
    events.emit('ping', 1);
    expect(seen).toEqual([2]);
    expect(events.count('ping')).toBe(1);
  });

  it('counts every event when none is named', () => {
    const events = new GuardedEmitter<Events>();
    events.on('ping', () => undefined);
    events.on('done', () => undefined);
    expect(events.count()).toBe(2);
    expect(events.count('ping')).toBe(1);
  });
});
