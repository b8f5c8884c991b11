import { describe, expect, it } from 'vitest';
import { checkCloseArguments } from './close-arguments.js';

describe('checkCloseArguments (WHATWG close() steps 1–2)', () => {
  it.each([undefined, 1000, 3000, 4999])('accepts code %s', (code) => {
    expect(() => checkCloseArguments(code, undefined)).not.toThrow();
  });

  it.each([999, 1001, 1006, 2999, 5000, 3000.5])('refuses code %s with an InvalidAccessError', (code) => {
    expect(() => checkCloseArguments(code, undefined)).toThrow(
      expect.objectContaining({ name: 'InvalidAccessError' }) as Error,
    );
  });

  it('measures the reason in UTF-8 bytes: 123 pass, 124 throw a SyntaxError', () => {
    expect(() => checkCloseArguments(1000, `${'é'.repeat(61)}a`)).not.toThrow();
    expect(() => checkCloseArguments(1000, 'é'.repeat(62))).toThrow(
      expect.objectContaining({ name: 'SyntaxError' }) as Error,
    );
  });
});
