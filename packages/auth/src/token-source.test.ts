import { describe, expect, it } from 'vitest';
import { AuthError } from './auth-error.js';
import { TokenSource } from './token-source.js';

const b64url = (value: string) => btoa(value).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const makeJwt = (claims: object) => `${b64url('{"alg":"none"}')}.${b64url(JSON.stringify(claims))}.sig`;

function fakeClock(start = 1_000_000_000_000) {
  return {
    time: start,
    now() {
      return this.time;
    },
  };
}

describe('TokenSource', () => {
  it('caches an opaque token until invalidated', async () => {
    let calls = 0;
    const source = new TokenSource(() => `opaque-${++calls}`);
    expect((await source.get()).value).toBe('opaque-1');
    expect((await source.get()).fresh).toBe(false);
    expect(calls).toBe(1);
    source.invalidate('opaque-1');
    expect((await source.get()).value).toBe('opaque-2');
  });
  it('refreshes a JWT ahead of its expiry', async () => {
    const clock = fakeClock();
    let calls = 0;
    const source = new TokenSource(() => makeJwt({ exp: clock.time / 1000 + 60, n: ++calls }), {
      clock,
      refreshBeforeExpiryMs: 10_000,
    });
    await source.get();
    clock.time += 49_000;
    await source.get();
    expect(calls).toBe(1);
    expect(source.msUntilRefresh()).toBe(1_000);
    clock.time += 1_000;
    expect((await source.get()).fresh).toBe(true);
    expect(calls).toBe(2);
  });
  it('hands out the cached JWT, with the refresh error, when a refresh ahead of expiry fails', async () => {
    const clock = fakeClock();
    let fail: 'throw' | 'empty' | undefined;
    const source = new TokenSource(
      () => {
        if (fail === 'throw') throw new Error('identity service down');
        return fail === 'empty' ? '' : makeJwt({ exp: clock.time / 1000 + 60 });
      },
      { clock, refreshBeforeExpiryMs: 10_000 },
    );
    const first = await source.get();
    clock.time += 55_000; // inside the refresh window, 5 s before exp
    for (const mode of ['throw', 'empty'] as const) {
      fail = mode;
      const again = await source.get();
      expect(again).toMatchObject({ value: first.value, fresh: false });
      expect(again.refreshError).toBeInstanceOf(AuthError);
      expect(again.refreshError?.reason).toBe(mode === 'throw' ? 'provider-failed' : 'invalid-token');
    }
    clock.time += 5_000; // exp reached: nothing left to fall back on
    fail = 'throw';
    await expect(source.get()).rejects.toMatchObject({ reason: 'provider-failed' });
    fail = undefined;
    const renewed = await source.get();
    expect(renewed.fresh).toBe(true);
    expect(renewed.refreshError).toBeUndefined();
  });

  it('has no cached token to fall back on after an auth failure dropped it', async () => {
    const clock = fakeClock();
    let fail = false;
    const source = new TokenSource(
      () => {
        if (fail) throw new Error('down');
        return makeJwt({ exp: clock.time / 1000 + 60 });
      },
      { clock, refreshBeforeExpiryMs: 10_000 },
    );
    const first = await source.get();
    clock.time += 55_000;
    source.invalidate(first.value);
    fail = true;
    await expect(source.get()).rejects.toMatchObject({ reason: 'provider-failed' });
  });

  it('lets only the newest request fill the cache: a late answer never replaces a newer token', async () => {
    const releases: Array<(value: string) => void> = [];
    const source = new TokenSource(
      () =>
        new Promise<string>((resolve) => {
          releases.push(resolve);
        }),
    );
    const abandoned = source.get(); // attempt 1, abandoned while its provider call runs
    const current = source.get(); // attempt 2
    releases[1]?.('new');
    expect((await current).value).toBe('new');
    releases[0]?.('late');
    expect((await abandoned).value).toBe('late'); // handed only to the attempt that asked
    expect((await source.get()).value).toBe('new');
    expect(releases).toHaveLength(2);
  });
  it('ignores the invalidation of a token that is no longer the cached one', async () => {
    let calls = 0;
    const source = new TokenSource(() => `t${++calls}`);
    await source.get();
    source.invalidate('t1');
    await source.get();
    source.invalidate('t1'); // a late failure report for the old token
    expect((await source.get()).value).toBe('t2');
  });
  it('turns a throwing provider into a typed error that keeps the cause', async () => {
    const cause = new Error('backend down');
    const source = new TokenSource(() => {
      throw cause;
    });
    const error = await source.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).reason).toBe('provider-failed');
    expect((error as AuthError).cause).toBe(cause);
  });
  it.each([[''], [undefined], [42]])('refuses %j from the provider', async (value) => {
    const source = new TokenSource(() => value as never);
    const error = await source.get().catch((e: unknown) => e);
    expect((error as AuthError).reason).toBe('invalid-token');
  });
  it('refuses a provider that is neither string nor function', () => {
    expect(() => new TokenSource(42 as never)).toThrow(TypeError);
  });
});
