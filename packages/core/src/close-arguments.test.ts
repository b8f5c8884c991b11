import { describe, expect, it } from 'vitest';
import { checkCloseArguments } from './close-arguments.js';

function nameOfThrown(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as Error).name;
  }
  return undefined;
}

describe('checkCloseArguments (WHATWG close() with its WebIDL conversions)', () => {
  it('passes 1000 and 3000–4999 through, and absent arguments as undefined', () => {
    for (const code of [1000, 3000, 4000, 4999])
      expect(checkCloseArguments(code, undefined)).toEqual([code, undefined]);
    expect(checkCloseArguments(undefined, undefined)).toEqual([undefined, undefined]);
  });

  it('gives a non-empty reason without a code the code 1000; an empty one stays without', () => {
    expect(checkCloseArguments(undefined, 'bye')).toEqual([1000, 'bye']);
    expect(checkCloseArguments(undefined, '')).toEqual([undefined, '']);
  });

  it('refuses every other integer with an InvalidAccessError DOMException', () => {
    for (const code of [0, 999, 1001, 1005, 1006, 1015, 2999, 5000, 65535]) {
      expect(
        nameOfThrown(() => checkCloseArguments(code, undefined)),
        String(code),
      ).toBe('InvalidAccessError');
    }
    expect(() => checkCloseArguments(1001, undefined)).toThrow(DOMException);
  });

  it('converts the code as a [Clamp] unsigned short: rounded to the nearest integer, ties to even', () => {
    expect(checkCloseArguments(999.5, undefined)[0]).toBe(1000);
    expect(checkCloseArguments(1000.5, undefined)[0]).toBe(1000);
    expect(checkCloseArguments(1000.4, undefined)[0]).toBe(1000);
    expect(checkCloseArguments(2999.5, undefined)[0]).toBe(3000);
    expect(checkCloseArguments(3000.5, undefined)[0]).toBe(3000);
    expect(checkCloseArguments(3001.5, undefined)[0]).toBe(3002);
    expect(checkCloseArguments(4999.4, undefined)[0]).toBe(4999);
    expect(nameOfThrown(() => checkCloseArguments(4999.5, undefined))).toBe('InvalidAccessError');
    expect(nameOfThrown(() => checkCloseArguments(1000.6, undefined))).toBe('InvalidAccessError');
  });

  it('clamps rather than wraps, and takes NaN, null and non-numeric strings as 0', () => {
    // ToUint16 would wrap 66536 to 1000; [Clamp] makes it 65535.
    for (const code of [66_536, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, Number.NaN, null, 'bye']) {
      expect(
        nameOfThrown(() => checkCloseArguments(code, undefined)),
        String(code),
      ).toBe('InvalidAccessError');
    }
    expect(() => checkCloseArguments('bye', undefined)).toThrow('not 0 (from a string)');
    // An object is converted once: its toString is not called again for the message.
    const code = {
      valueOf: () => 1,
      toString: () => {
        throw new Error('toString');
      },
    };
    expect(nameOfThrown(() => checkCloseArguments(code, undefined))).toBe('InvalidAccessError');
    expect(checkCloseArguments('4000', undefined)[0]).toBe(4000);
    expect(checkCloseArguments({ valueOf: () => 3000 }, undefined)[0]).toBe(3000);
  });

  it('throws a TypeError for a code that ToNumber refuses (a Symbol, a BigInt) and a Symbol reason', () => {
    expect(nameOfThrown(() => checkCloseArguments(Symbol('code'), undefined))).toBe('TypeError');
    expect(nameOfThrown(() => checkCloseArguments(4000n, undefined))).toBe('TypeError');
    expect(nameOfThrown(() => checkCloseArguments(4000, Symbol('reason')))).toBe('TypeError');
  });

  it('converts both arguments before checking either, and checks the code before the reason', () => {
    expect(nameOfThrown(() => checkCloseArguments(1001, Symbol('reason')))).toBe('TypeError');
    expect(nameOfThrown(() => checkCloseArguments(1001, 'a'.repeat(200)))).toBe('InvalidAccessError');
  });

  it('measures the reason in UTF-8 bytes as a USVString: 123 pass, 124 are a SyntaxError', () => {
    expect(checkCloseArguments(4000, 'a'.repeat(123))).toEqual([4000, 'a'.repeat(123)]);
    expect(nameOfThrown(() => checkCloseArguments(4000, 'a'.repeat(124)))).toBe('SyntaxError');
    // 62 characters, 124 bytes.
    expect(nameOfThrown(() => checkCloseArguments(4000, 'é'.repeat(62)))).toBe('SyntaxError');
    // A lone surrogate becomes U+FFFD, three bytes: 41 of them fit, 42 do not.
    expect(nameOfThrown(() => checkCloseArguments(4000, '\ud800'.repeat(41)))).toBeUndefined();
    expect(nameOfThrown(() => checkCloseArguments(4000, '\ud800'.repeat(42)))).toBe('SyntaxError');
  });

  it('returns the reason as its USVString: lone surrogates replaced by U+FFFD, pairs kept', () => {
    expect(checkCloseArguments(4000, 'a\ud800b')).toEqual([4000, 'a\ufffdb']);
    expect(checkCloseArguments(undefined, '\ude00\ud83d')).toEqual([1000, '\ufffd\ufffd']);
    expect(checkCloseArguments(4000, 'x\ud83d\ude00')).toEqual([4000, 'x\ud83d\ude00']);
  });

  it('makes any other reason its string', () => {
    expect(checkCloseArguments(4000, null)).toEqual([4000, 'null']);
    expect(checkCloseArguments(4000, 42)).toEqual([4000, '42']);
  });
});
