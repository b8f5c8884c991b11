import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeAccept, constantTimeEqual, verifyAccept } from './accept.js';
import { generateKey } from './key.js';

describe('computeAccept', () => {
  it('matches the RFC 6455 §1.3 vector', async () => {
    expect(await computeAccept('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });
  it('matches the second vector', async () => {
    expect(await computeAccept('08kp54j1E3z4IfuM1m75tQ==')).toBe('Dhg2s/gXkbuTiYk690dns7LmEhY=');
  });
  it('rejects a key that is not base64 of 16 bytes', async () => {
    await expect(computeAccept('short')).rejects.toThrow(TypeError);
  });
});

describe('verifyAccept', () => {
  const key = 'dGhlIHNhbXBsZSBub25jZQ==';
  const good = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';
  it('accepts the right value', async () => {
    expect(await verifyAccept(key, good)).toBe(true);
  });
  it.each([
    ['wrong', 'Dhg2s/gXkbuTiYk690dns7LmEhY='],
    ['truncated', good.slice(0, 20)],
    ['unpadded', good.slice(0, -1)],
    ['double padded', `${good}=`],
    ['not base64', 's3pPLMBiTxaQ9kYGzzhZRbK+xO!='],
    ['case changed', good.toLowerCase()],
    ['empty', ''],
    ['surrounded by space', ` ${good}`],
  ])('refuses a %s accept value', async (_label, accept) => {
    expect(await verifyAccept(key, accept)).toBe(false);
  });
  it.each([
    ['not base64', '!!!'],
    ['15 bytes', 'AAAAAAAAAAAAAAAAAAAA'],
    ['empty', ''],
  ])('is false, not an exception, for a malformed key (%s)', async (_label, badKey) => {
    expect(await verifyAccept(badKey, good)).toBe(false);
  });
  it('is false for non-string input', async () => {
    expect(await verifyAccept(undefined as never, good)).toBe(false);
    expect(await verifyAccept(key, null as never)).toBe(false);
  });
  it('accepts exactly the value computeAccept gives, for any key', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 16, maxLength: 16 }), async (bytes) => {
        const k = btoa(String.fromCharCode(...bytes));
        const accept = await computeAccept(k);
        expect(await verifyAccept(k, accept)).toBe(true);
        expect(await verifyAccept(generateKey(), accept)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('constantTimeEqual', () => {
  it('agrees with === for any strings', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => constantTimeEqual(a, b) === (a === b)));
  });
});
