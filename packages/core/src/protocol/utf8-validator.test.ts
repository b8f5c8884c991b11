import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hex } from './harness.test-helper.js';
import { decodeUtf8, isValidTail, Utf8Validator } from './utf8-validator.js';

// Valid sequences in the spirit of Autobahn 6.2–6.23 (boundaries of each length class).
const VALID: readonly [string, string][] = [
  ['ascii', '48656c6c6f'],
  ['κόσμε (6.2.1)', 'cebae1bdb9cf83cebcceb5'],
  ['U+0080', 'c280'],
  ['U+07FF', 'dfbf'],
  ['U+0800', 'e0a080'],
  ['U+D7FF (last before surrogates)', 'ed9fbf'],
  ['U+E000 (first after surrogates)', 'ee8080'],
  ['U+FFFD', 'efbfbd'],
  ['U+FFFF (noncharacter, still valid)', 'efbfbf'],
  ['U+10000', 'f0908080'],
  ['U+10FFFF', 'f48fbfbf'],
  ['BOM kept', 'efbbbf41'],
];

// Invalid sequences (Autobahn 6.3, 6.6–6.22): overlongs, surrogates, > U+10FFFF, stray bytes.
const INVALID: readonly [string, string][] = [
  ['overlong "/" (2 bytes)', 'c0af'],
  ['overlong "/" (3 bytes)', 'e080af'],
  ['overlong "/" (4 bytes)', 'f08080af'],
  ['overlong U+07FF in 3 bytes', 'e09fbf'],
  ['overlong U+FFFF in 4 bytes', 'f08fbfbf'],
  ['C1 lead', 'c1bf'],
  ['surrogate D800', 'eda080'],
  ['surrogate DBFF', 'edafbf'],
  ['surrogate DC00', 'edb080'],
  ['surrogate DFFF', 'edbfbf'],
  ['surrogate pair D800 DC00 in CESU form', 'eda080edb080'],
  ['U+110000', 'f4908080'],
  ['F5 lead', 'f5808080'],
  ['FE', 'fe'],
  ['FF', 'ff'],
  ['lone continuation', '80'],
  ['κόσμε with an invalid byte (6.3.1)', 'cebae1bdb9cf83cebcceb5eda080656469746564'],
  ['missing continuation before ASCII', 'e0a041'],
  ['truncated 2-byte at end', 'ce'],
  ['truncated 3-byte at end', 'e1bd'],
  ['truncated 4-byte at end', 'f09080'],
];

function decodeInFragments(bytes: Uint8Array, cuts: readonly number[]): string | undefined {
  const validator = new Utf8Validator();
  const points = [0, ...cuts, bytes.length];
  let text = '';
  for (let i = 1; i < points.length; i++) {
    const piece = validator.decode(bytes.subarray(points[i - 1]!, points[i]!), i === points.length - 1);
    if (piece === undefined) return undefined;
    text += piece;
  }
  return text;
}

describe('Utf8Validator (RFC 6455 §8.1, RFC 3629)', () => {
  it.each(VALID)('accepts %s whole and split at every position', (_, bytes) => {
    const data = hex(bytes);
    const expected = new TextDecoder('utf-8', { ignoreBOM: true }).decode(data);
    expect(decodeUtf8(data)).toBe(expected);
    for (let cut = 0; cut <= data.length; cut++) expect(decodeInFragments(data, [cut])).toBe(expected);
    // every byte its own fragment
    expect(
      decodeInFragments(
        data,
        Array.from({ length: data.length }, (_, i) => i),
      ),
    ).toBe(expected);
  });

  it.each(INVALID)('rejects %s whole and split at every position', (_, bytes) => {
    const data = hex(bytes);
    expect(decodeUtf8(data)).toBeUndefined();
    for (let cut = 0; cut <= data.length; cut++) expect(decodeInFragments(data, [cut])).toBeUndefined();
    expect(
      decodeInFragments(
        data,
        Array.from({ length: data.length }, (_, i) => i),
      ),
    ).toBeUndefined();
  });

  it.each([
    ['F4 90 (> U+10FFFF)', 'f490'],
    ['ED A0 (surrogate)', 'eda0'],
    ['E0 80 (overlong)', 'e080'],
    ['F0 80 (overlong)', 'f080'],
    ['C0 (overlong)', 'c0'],
    ['F5 (never valid)', 'f5'],
  ])('fails fast on a non-final fragment ending in %s', (_, bytes) => {
    expect(isValidTail(hex(`41${bytes}`))).toBe(false);
    expect(new Utf8Validator().decode(hex(`41${bytes}`), false)).toBeUndefined();
  });

  it.each([
    ['ce', true],
    ['e1bd', true],
    ['f09080', true],
    ['f48f', true],
    ['41', true],
    ['cebae1bdb9', true],
  ])('lets the valid prefix %s wait for the next fragment', (bytes, expected) => {
    expect(isValidTail(hex(bytes))).toBe(expected);
    expect(new Utf8Validator().decode(hex(bytes), false)).toBeDefined();
  });

  it('decodes any string split anywhere into any number of fragments', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.array(fc.nat()), (text, rawCuts) => {
        const bytes = new TextEncoder().encode(text);
        const cuts = [...new Set(rawCuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
        expect(decodeInFragments(bytes, cuts)).toBe(text);
      }),
    );
  });

  it('starts clean after reset() drops a held partial sequence', () => {
    const validator = new Utf8Validator();
    expect(validator.decode(hex('ce'), false)).toBe('');
    validator.reset();
    expect(validator.decode(hex('41'), true)).toBe('A');
  });
});
