import { describe, expect, it } from 'vitest';
import { headerEntries, headerRecord } from './headers.js';

describe('headerEntries', () => {
  it('reads a record, pairs, and a forEach-only object in order, keeping repeats', () => {
    expect(headerEntries({ A: '1', B: ['2', '3'], C: undefined })).toEqual([
      ['A', '1'],
      ['B', '2'],
      ['B', '3'],
    ]);
    expect(
      headerEntries([
        ['a', '1'],
        ['a', '2'],
      ]),
    ).toEqual([
      ['a', '1'],
      ['a', '2'],
    ]);
    const forEachOnly = { forEach: (cb: (value: string, name: string) => void) => cb('v', 'x-only') };
    expect(headerEntries(forEachOnly)).toEqual([['x-only', 'v']]);
    expect(headerEntries(new Headers([['X-A', '1']]))).toEqual([['x-a', '1']]);
    expect(headerEntries(undefined)).toEqual([]);
  });
});

describe('headerRecord', () => {
  it('lower-cases names and joins a repeated field with ", " (RFC 9110 §5.3)', () => {
    expect(headerRecord({ 'X-List': ['a', 'b'], Other: 'c' })).toEqual({ 'x-list': 'a, b', other: 'c' });
    expect(
      headerRecord([
        ['Accept', 'x'],
        ['accept', 'y'],
      ]),
    ).toEqual({ accept: 'x, y' });
  });

  it('joins repeated Cookie fields with "; ", the one separator a cookie list takes (RFC 6265 §5.4)', () => {
    expect(
      headerRecord([
        ['Cookie', 'a=1'],
        ['cookie', 'b=2'],
      ]),
    ).toEqual({ cookie: 'a=1; b=2' });
    expect(headerRecord({ Cookie: ['a=1', 'b=2'] })).toEqual({ cookie: 'a=1; b=2' });
  });

  it("keeps names that Object.prototype holds as headers of their own ('constructor', '__proto__')", () => {
    const record = headerRecord([
      ['Constructor', 'a'],
      ['__proto__', 'b'],
    ]);
    expect(Object.entries(record)).toEqual([
      ['constructor', 'a'],
      ['__proto__', 'b'],
    ]);
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
  });
});
