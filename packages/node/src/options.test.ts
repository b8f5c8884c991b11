import { describe, expect, it } from 'vitest';
import { DEFAULT_NODE_WEBSOCKET_OPTIONS, resolveOptions } from './options.js';

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
    expect(resolved).toMatchObject({ protocols: 'x', maxPayload: 20, closeTimeoutMs: 30_000 });
  });

  it('keeps defaults for options given as undefined', () => {
    expect(resolveOptions({ closeTimeoutMs: undefined }, undefined).closeTimeoutMs).toBe(30_000);
  });

  it.each([
    ['handshakeTimeoutMs', -1],
    ['closeTimeoutMs', Number.NaN],
    ['maxPayload', -5],
    ['maxResponseHeaderBytes', -1],
  ])('refuses %s = %s with a RangeError', (name, value) => {
    expect(() => resolveOptions({ [name]: value }, undefined)).toThrow(RangeError);
  });

  it('refuses an unknown address family', () => {
    expect(() => resolveOptions({ family: 5 as never }, undefined)).toThrow(RangeError);
  });
});
