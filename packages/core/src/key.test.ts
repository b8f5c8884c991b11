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
  it('draws from the CSPRNG, one call for every 256 keys', () => {
    const original = crypto.getRandomValues.bind(crypto);
    let calls = 0;
    crypto.getRandomValues = ((array: Uint8Array) => {
      calls++;
      return original(array);
    }) as typeof crypto.getRandomValues;
    try {
      for (let i = 0; i < 512; i++) generateKey();
    } finally {
      crypto.getRandomValues = original;
    }
    expect(calls).toBe(2);
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
    ['dGhlIHNhbXBsZSBub25jZQ==\n', false],
    ['dGhlIHNhbXBsZSBub25jZ-==', false], // URL-safe letter
  ])('%s → %s', (key, valid) => {
    expect(isValidKey(key)).toBe(valid);
  });
});

describe('isValidKey against decoding', () => {
  it('agrees with a strict base64 decoder on every last data character', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    for (const last of alphabet) {
      const key = `dGhlIHNhbXBsZSBub25jZ${last}==`;
      expect(isValidKey(key)).toBe(decodeBase64(key)?.length === 16);
    }
  });
});
