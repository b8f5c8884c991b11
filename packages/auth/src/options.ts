import { systemClock } from '@sturdysocket/reconnect';
import type { AuthError } from './auth-error.js';
import type { AuthCarrier, HeaderCarrierOptions, QueryCarrierOptions, SubprotocolCarrierOptions } from './carriers.js';
import type { TokenProvider } from './token-source.js';

/** Data a WebSocket can send. */
export type AuthMessageData = string | ArrayBuffer | ArrayBufferView | Blob;

/** The first-message carrier: how to say the token, and how to hear the answer. */
export interface MessageCarrierOptions {
  /**
   * Builds the auth message from the token.
   * @default (token) => JSON.stringify({ type: 'auth', token })
   */
  build?: ((token: string) => AuthMessageData) | undefined;
  /**
   * Recognises the server's acknowledgement. Required: without it nothing tells the client that
   * sending may begin. Matching messages are consumed (the application never sees them).
   */
  // biome-ignore lint/suspicious/noExplicitAny: message data is whatever the transport delivers.
  isAck: (data: any) => boolean;
  /**
   * Recognises a refusal, which counts as an auth failure (refresh, retry once, then stop).
   * @default undefined (only the timeout ends a wait without an ack)
   */
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  isNack?: ((data: any) => boolean) | undefined;
  /**
   * How long to wait for the ack (or a refusal), in milliseconds, before the attempt fails with
   * `AuthError` reason `ack-timeout`. No answer is no refusal (the server may only be slow): the
   * classifier decides what follows (by default a retry after the backoff), and it never counts
   * toward the second-refusal stop. The token is offered once more; left unanswered a second time
   * in a row, it is dropped and the next attempt asks the provider for a fresh one, so a server
   * that silently ignores a token it will never accept is not offered that token forever.
   *
   * The reconnect layer's `connectionTimeoutMs` bounds the whole attempt from its start
   * (provider, handshake, this wait), so it may end the wait first: the loop then reports a
   * `connection-timeout`, and `onEvent` still hears `ack-timeout`, with the same rule for the
   * token. Keep `connectionTimeoutMs` above the handshake's time plus `timeoutMs` for this
   * timeout to be the one that ends the wait (the defaults, 10000 and 5000, leave the handshake 5 s).
   * @default 5000
   */
  timeoutMs?: number | undefined;
}

/** What the auth layer tells an observer. Never carries the token itself. */
export type AuthEvent =
  | {
      type: 'token';
      attempt: number;
      fresh: boolean;
      expiresAtMs: number | undefined;
      carrier: Exclude<AuthCarrier, 'auto'>;
      /**
       * Set when the provider failed to refresh a JWT ahead of its expiry and the cached one,
       * not yet expired, was sent instead: the provider's failure, to log or alert on.
       */
      refreshError?: AuthError | undefined;
    }
  | {
      type: 'auth-failure';
      attempt: number;
      /**
       * What failed. For a refresh, how the server refused the token: `http-401`, `close-<code>`
       * (a code of `expiredCloseCodes`) or `nack` (the auth message was refused). For a stop, the
       * `AuthError`'s reason (`rejected`, `forbidden`, `token-echoed`…). `ack-timeout` when the auth
       * message went unanswered for `message.timeoutMs`, or until `connectionTimeoutMs` ended the
       * attempt. `provider-failed` or `invalid-token` when the token provider threw or rejected, or
       * answered something that is not a usable token (see `error`).
       */
      reason: string;
      /**
       * What follows: `refresh`, a reconnect at once with a fresh token; `stop`, the end of the
       * loop (also whenever `retry.maxRetries` is spent); `retry`, a retry as the classifier
       * decided (after an `ack-timeout`, `provider-failed` or `invalid-token`, for which the
       * classifier decides: it may also say `refresh` or `stop`).
       */
      action: 'refresh' | 'retry' | 'stop';
      /**
       * For `provider-failed` and `invalid-token`: the `AuthError`, whose `cause` (for
       * `provider-failed`) is what the provider threw or rejected with, to log or alert on. The
       * token is never in it; the provider's own error is the provider's to keep secrets out of.
       */
      error?: AuthError | undefined;
    };

/** Options of the auth layer. Only `token` is required. */
export interface AuthOptions {
  /**
   * The token, or a function returning it (sync or async), called for each connection attempt
   * that has no valid cached token. A JWT is cached until `refreshBeforeExpiryMs` before its
   * `exp`; an opaque token until the server refuses it. A provider that throws is a failure the
   * reconnect layer backs off from like any other; `onEvent` hears it as `provider-failed`.
   */
  token: TokenProvider;
  /**
   * How the token travels; see `AuthCarrier`. `auto` picks `header` where the transport can send
   * headers (Node, Deno, Bun) and refuses elsewhere with an error naming the choices.
   * @default 'auto'
   */
  carrier?: AuthCarrier | undefined;
  /** Settings of the `header` carrier. @default { name: 'Authorization', scheme: 'Bearer' } */
  header?: HeaderCarrierOptions | undefined;
  /** Settings of the `subprotocol` carrier. @default { prefix: 'base64url.bearer.authorization.k8s.io.' } */
  subprotocol?: SubprotocolCarrierOptions | undefined;
  /** Settings of the `query` carrier (leaks into logs: opt-in only). @default { parameter: 'access_token' } */
  query?: QueryCarrierOptions | undefined;
  /** Settings of the `message` carrier; required when `carrier` is `'message'`. */
  message?: MessageCarrierOptions | undefined;
  /**
   * Fetch a new JWT this long before its `exp`, in milliseconds.
   * @default 30000
   */
  refreshBeforeExpiryMs?: number | undefined;
  /**
   * Close codes by which a server says "your credentials expired": the token is refreshed and
   * the client reconnects at once; a second consecutive refusal of a fresh token stops the loop
   * with an `AuthError`. (HTTP 401 on the handshake is treated the same way where the transport
   * reports statuses; HTTP 403 stops.)
   * @default [4001, 4401, 4403]
   */
  expiredCloseCodes?: readonly number[] | undefined;
  /**
   * Allow sending the token over `ws:` to a host that is not loopback. Anyone on the path can
   * read it there.
   * @default false
   */
  allowInsecureTransport?: boolean | undefined;
  /**
   * Told when a token is issued to an attempt, and of every auth failure: the server refused the
   * token or left the auth message unanswered, or the provider failed. Never receives the token.
   * One that throws is reported as an uncaught error and changes nothing. @default undefined
   */
  onEvent?: ((event: AuthEvent) => void) | undefined;
  /** Time source for expiry checks and the ack timeout; inject a fake in tests. @default Date and globalThis timers */
  clock?: AuthClock | undefined;
}

/** The clock the auth layer uses. */
export interface AuthClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const DEFAULT_AUTH_OPTIONS = {
  carrier: 'auto',
  refreshBeforeExpiryMs: 30_000,
  expiredCloseCodes: [4001, 4401, 4403],
  allowInsecureTransport: false,
  messageTimeoutMs: 5_000,
} as const;

/** The platform's timers: the reconnect layer's `systemClock`, whose delays are capped at the timer limit. */
export const systemAuthClock: AuthClock = systemClock;
