import { describe, expect, it } from 'vitest';
import { DEFAULT_NODE_WEBSOCKET_OPTIONS, resolveOptions, retainOptions } from './options.js';

describe('resolveOptions', () => {
  it('applies every default', () => {
    expect(resolveOptions(undefined, undefined)).toEqual({ ...DEFAULT_NODE_WEBSOCKET_OPTIONS });
  });

  it('takes protocols as the second argument and options as the third', () => {
    const resolved = resolveOptions(['a', 'b'], { handshakeTimeoutMs: 5, protocols: ['ignored'] });
    expect(resolved.protocols).toEqual(['a', 'b']);
    expect(resolved.handshakeTimeoutMs).toBe(5);
  });

  it('takes an options object as the second argument, merged with a third', () => {
    const resolved = resolveOptions({ protocols: 'x', maxPayload: 10 }, { maxPayload: 20 });
    expect(resolved).toMatchObject({
      protocols: 'x',
      maxPayload: 20,
      closeTimeoutMs: 30_000,
      closeFlushTimeoutMs: 30_000,
    });
  });

  it('keeps defaults for options given as undefined', () => {
    expect(resolveOptions({ closeTimeoutMs: undefined }, undefined).closeTimeoutMs).toBe(30_000);
  });

  it.each([
    ['handshakeTimeoutMs', -1],
    ['closeTimeoutMs', Number.NaN],
    ['closeFlushTimeoutMs', -1],
    ['maxPayload', -5],
    ['maxResponseHeaderBytes', -1],
  ])('refuses %s = %s with a RangeError', (name, value) => {
    expect(() => resolveOptions({ [name]: value }, undefined)).toThrow(RangeError);
  });

  it('refuses an unknown address family', () => {
    expect(() => resolveOptions({ family: 5 as never }, undefined)).toThrow(RangeError);
  });
});

describe('retainOptions', () => {
  it('gives sockets made alike one shared object, and a socket made otherwise its own', () => {
    const retain = (options: Parameters<typeof resolveOptions>[0]) => {
      const resolved = resolveOptions(options, undefined);
      return retainOptions(
        resolved,
        typeof resolved.protocols === 'string' ? [resolved.protocols] : [...resolved.protocols],
      );
    };
    const first = retain({ protocols: ['a', 'b'], maxPayload: 10 });
    expect(retain({ protocols: ['a', 'b'], maxPayload: 10 })).toBe(first);
    const other = retain({ protocols: ['a', 'c'], maxPayload: 10 });
    expect(other).not.toBe(first);
    expect(other.protocols).toEqual(['a', 'c']);
    expect(retain({ protocols: ['a', 'c'], maxPayload: 11 }).maxPayload).toBe(11);
    expect(retain({ protocols: ['a', 'c'], maxPayload: 11, closeFlushTimeoutMs: 5 }).closeFlushTimeoutMs).toBe(5);
  });
});
