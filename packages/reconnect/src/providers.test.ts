import { describe, expect, it } from 'vitest';
import { normaliseProtocols, provide } from './providers.js';

describe('provide', () => {
  it('returns a value as it is, and calls and awaits a function', async () => {
    expect(await provide('ws://a.test/')).toBe('ws://a.test/');
    expect(await provide(() => 'ws://b.test/')).toBe('ws://b.test/');
    expect(await provide(async () => ['v1'])).toEqual(['v1']);
  });

  it('rejects with what the provider threw', async () => {
    const bug = new Error('no url');
    await expect(
      provide(() => {
        throw bug;
      }),
    ).rejects.toBe(bug);
  });
});

describe('normaliseProtocols', () => {
  it('turns one protocol into a list, copies a list, and keeps undefined', () => {
    const list = ['a', 'b'] as const;
    expect(normaliseProtocols('a')).toEqual(['a']);
    expect(normaliseProtocols(list)).toEqual(['a', 'b']);
    expect(normaliseProtocols(list)).not.toBe(list);
    expect(normaliseProtocols(undefined)).toBeUndefined();
  });
});
