import { describe, expect, it } from 'vitest';
import { jsonCodec } from './codec.js';

describe('jsonCodec', () => {
  it('refuses a value JSON cannot represent with a TypeError (the text "undefined" went on the wire)', () => {
    const codec = jsonCodec();
    for (const value of [undefined, () => 1, Symbol('x')]) {
      expect(() => codec.encode(value)).toThrow(TypeError);
      expect(() => codec.encode(value)).toThrow(/JSON codec cannot encode/);
    }
    // Values inside objects and arrays follow JSON.stringify's rules, as before.
    expect(codec.encode({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
    expect(codec.encode(null)).toBe('null');
  });

  it('decodes text and bytes alike', () => {
    const codec = jsonCodec();
    expect(codec.decode('{"n":1}')).toEqual({ n: 1 });
    expect(codec.decode(new TextEncoder().encode('{"n":2}'))).toEqual({ n: 2 });
    expect(codec.decode(new TextEncoder().encode('{"n":3}').buffer)).toEqual({ n: 3 });
  });
});
