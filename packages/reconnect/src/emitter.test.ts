import { describe, expect, it } from 'vitest';
import { Emitter } from './emitter.js';

interface Events {
  tick: (value: number) => void;
  done: () => void;
}

describe('Emitter', () => {
  it('calls listeners in order, a listener added twice twice, and off() removes every registration', () => {
    const emitter = new Emitter<Events>();
    const calls: string[] = [];
    const a = (value: number) => calls.push(`a${value}`);
    const b = (value: number) => calls.push(`b${value}`);
    emitter.on('tick', a);
    emitter.on('tick', b);
    emitter.on('tick', a);
    emitter.emit('tick', 1);
    expect(calls).toEqual(['a1', 'b1', 'a1']);
    emitter.off('tick', a);
    emitter.emit('tick', 2);
    expect(calls).toEqual(['a1', 'b1', 'a1', 'b2']);
    expect(emitter.count('tick')).toBe(1);
  });

  it('runs a once listener once', () => {
    const emitter = new Emitter<Events>();
    let calls = 0;
    emitter.on('done', () => calls++, true);
    emitter.emit('done');
    emitter.emit('done');
    expect(calls).toBe(1);
    expect(emitter.count()).toBe(0);
  });

  it('calls the listeners registered when emit() began, even those removed meanwhile', () => {
    const emitter = new Emitter<Events>();
    const calls: string[] = [];
    const late = () => calls.push('late');
    const second = () => calls.push('second');
    emitter.on('done', () => {
      calls.push('first');
      emitter.off('done', second);
      emitter.on('done', late);
    });
    emitter.on('done', second);
    emitter.emit('done');
    expect(calls).toEqual(['first', 'second']);
    expect(emitter.count('done')).toBe(2);
  });

  it('lets a throwing listener stop the rest of that emit()', () => {
    const emitter = new Emitter<Events>();
    const calls: string[] = [];
    emitter.on('done', () => {
      throw new Error('boom');
    });
    emitter.on('done', () => calls.push('after'));
    expect(() => emitter.emit('done')).toThrow('boom');
    expect(calls).toEqual([]);
  });

  it('refuses a listener that is not a function', () => {
    expect(() => new Emitter<Events>().on('done', 'nope' as never)).toThrow(TypeError);
  });
});
