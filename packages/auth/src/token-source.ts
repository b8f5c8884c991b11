import { AuthError } from './auth-error.js';
import { readJwtExpiryMs } from './jwt.js';

/** A token, or a function that fetches one. Called once per connection attempt unless cached. */
export type TokenProvider = string | (() => string | Promise<string>);

/** What a token source needs from the outside world; injected so tests can fake time. */
export interface TokenClock {
  now(): number;
}

export interface TokenSourceOptions {
  /**
   * Fetch a new JWT this long before its `exp`, so a connection never starts with a token about
   * to die. Opaque tokens (no readable `exp`) are kept until an auth failure.
   * @default 30000
   */
  refreshBeforeExpiryMs?: number;
  /** Where time comes from. @default Date */
  clock?: TokenClock;
}

/** A token handed to one connection attempt, with what is known of its life. */
export interface IssuedToken {
  readonly value: string;
  /** Epoch ms of the JWT `exp`, or `undefined` for an opaque token. */
  readonly expiresAtMs: number | undefined;
  /** Whether this token came straight from the provider for this request (not from the cache). */
  readonly fresh: boolean;
  /**
   * Why an early refresh failed, when the cached JWT was handed out again instead: inside the
   * refresh window it has not expired yet, so the provider's failure need not fail the attempt.
   */
  readonly refreshError?: AuthError | undefined;
}

/**
 * Fetches, caches and refreshes tokens. A cached token is reused while valid; otherwise each
 * request calls the provider, and only the newest call may fill the cache, so a slow answer for
 * an abandoned attempt never replaces (or lands on) a newer one. `invalidate(token)` drops the
 * cached token after an auth failure, only if it is still the cached one, so a late failure of an
 * old connection cannot throw away a newer token.
 */
export class TokenSource {
  #cached: IssuedToken | undefined;
  #generation = 0;
  readonly #refreshBeforeExpiryMs: number;
  readonly #clock: TokenClock;
  readonly #provider: TokenProvider;

  constructor(provider: TokenProvider, options: TokenSourceOptions = {}) {
    if (typeof provider !== 'string' && typeof provider !== 'function') {
      throw new TypeError('token must be a string or a function returning one');
    }
    this.#provider = provider;
    this.#refreshBeforeExpiryMs = options.refreshBeforeExpiryMs ?? 30_000;
    this.#clock = options.clock ?? Date;
  }

  /** Whether a cached token may still be used at this moment. */
  #usable(token: IssuedToken | undefined): token is IssuedToken {
    if (!token) return false;
    if (token.expiresAtMs === undefined) return true;
    return this.#clock.now() < token.expiresAtMs - this.#refreshBeforeExpiryMs;
  }

  /** A valid token: the cached one, or a fresh one from the provider. */
  async get(): Promise<IssuedToken> {
    if (this.#usable(this.#cached)) return { ...this.#cached, fresh: false };
    // Counted before the provider runs, so that only the newest call may fill the cache.
    const generation = ++this.#generation;
    let value: unknown;
    let failure: AuthError | undefined;
    try {
      value = typeof this.#provider === 'string' ? this.#provider : await this.#provider();
    } catch (cause) {
      // The provider's own error is kept as the cause; it is the provider's to keep secrets out of.
      failure = new AuthError('provider-failed', 'The token provider failed', { cause });
    }
    if (failure === undefined && (typeof value !== 'string' || value === '')) {
      failure = new AuthError('invalid-token', `The token provider returned ${value === '' ? "''" : typeof value}`);
    }
    if (failure !== undefined) {
      // A refresh ahead of expiry that fails leaves the cached JWT, which still works until its
      // `exp`: an identity service that is briefly down must not cut off a client that needs it
      // only later. Past `exp` (or with nothing cached), the failure is the attempt's.
      // (Read again: the provider ran meanwhile, and another request may have filled the cache.)
      const cached = this.#cached as IssuedToken | undefined;
      if (cached?.expiresAtMs !== undefined && this.#clock.now() < cached.expiresAtMs) {
        return { ...cached, fresh: false, refreshError: failure };
      }
      throw failure;
    }
    const token: IssuedToken = { value: value as string, expiresAtMs: readJwtExpiryMs(value as string), fresh: true };
    if (generation === this.#generation) this.#cached = token;
    return token;
  }

  /** Forgets `token` if it is the cached one, so the next `get()` asks the provider. */
  invalidate(token?: string): void {
    if (token === undefined || this.#cached?.value === token) this.#cached = undefined;
  }

  /** Milliseconds until the cached token should be refreshed, or `undefined` if never. */
  msUntilRefresh(): number | undefined {
    const expiry = this.#cached?.expiresAtMs;
    return expiry === undefined ? undefined : Math.max(0, expiry - this.#refreshBeforeExpiryMs - this.#clock.now());
  }
}
