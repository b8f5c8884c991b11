import { describe, expect, it } from 'vitest';
import { decodeBase64 } from './base64.js';
import { generateKey, isValidKey } from './key.js';

describe('generateKey', () => {
  it('gives 10,000 distinct keys, each base64 of exactly 16 bytes', () => {
    const keys = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const key = generateKey();
      expect(key).toHaveLength(24);
      expect(decodeBase64(key)?.length).toBe(16);
      keys.add(key);
    }
    expect(keys.size).toBe(10_000);
  });
  it('draws from the CSPRNG', () => {
    const original = crypto.getRandomValues.bind(crypto);
    let calls = 0;
    crypto.getRandomValues = ((array: Uint8Array) => {
      calls++;
      return original(array);
    }) as typeof crypto.getRandomValues;
    try {
      generateKey();
    } finally {
      crypto.getRandomValues = original;
    }
    expect(calls).toBe(1);
  });
});

describe('isValidKey', () => {
  it.each([
    ['dGhlIHNhbXBsZSBub25jZQ==', true],
    ['dGhlIHNhbXBsZSBub25jZQ', false],
    ['dGhlIHNhbXBsZSBub25jZQ=', false],
    ['dGhlIHNhbXBsZSBub25jZR==', false], // non-zero trailing bits: not canonical
    ['AAAAAAAAAAAAAAAAAAAAAAAA', false], // 18 bytes
    ['', false],
  ])('%s → %s', (key, valid) => {
    expect(isValidKey(key)).toBe(valid);
  });
});
