import { isApplicationCloseCode } from '@sturdysocket/core';

/**
 * What to do after a failed attempt or a dropped connection:
 * - `retry`: wait (backoff, or the decision's `delayMs`) and try again.
 * - `stop`: end the loop; the socket becomes `closed` and reports a `ReconnectStoppedError`.
 * - `refresh-auth`: the credentials were refused; retry like `retry`, after the auth layer (which
 *   listens to the `failure` event) has invalidated its token. Without an auth layer it is a retry.
 */
export type RetryAction = 'retry' | 'stop' | 'refresh-auth';

/** A classifier's verdict, normalised. */
export interface RetryDecision {
  readonly action: RetryAction;
  /** Overrides the backoff delay (milliseconds), e.g. from `Retry-After`. */
  readonly delayMs?: number | undefined;
  /** Why, in a few words, for logs and errors. */
  readonly reason: string;
  /**
   * An error that explains a `stop` better than the failure's own (the auth layer's `AuthError`):
   * it becomes the `cause` of the `ReconnectStoppedError` and is reported on `error`.
   */
  readonly error?: unknown;
}

/**
 * How an attempt or a connection ended:
 * - `close`: the connection (open or not) closed; see `code`, `closeReason`, `wasClean`.
 * - `handshake`: the transport reported a typed handshake failure; see `handshake`, `status`.
 * - `transport`: the transport reported an untyped error, or its constructor threw.
 * - `provider`: `url`, `protocols`, `transportOptions` or the factory threw or rejected.
 * - `connection-timeout`: nothing opened within `connectionTimeoutMs`.
 * - `heartbeat-timeout`: an open connection stopped answering pings.
 * - `open-gate`: the `beforeFlush` hook rejected.
 */
export type AttemptFailureKind =
  | 'close'
  | 'handshake'
  | 'transport'
  | 'provider'
  | 'connection-timeout'
  | 'heartbeat-timeout'
  | 'open-gate';

/** The typed handshake failure, when the transport reports one (our Node transport does). */
export interface HandshakeFailure {
  /** `HandshakeError.reason` (`http-status`, `bad-accept`, `timeout`…). */
  readonly reason: string;
  /** The HTTP status, where the transport can see it. */
  readonly status: number | undefined;
  /** The response headers (lower-cased names), where the transport can see them. */
  readonly headers: Readonly<Record<string, string>> | undefined;
}

/** Everything known about one failure. */
export interface AttemptFailure {
  readonly kind: AttemptFailureKind;
  /** The close code reported by the transport (1006 where none was received). */
  readonly code: number | undefined;
  /** The close reason, if any. */
  readonly closeReason: string;
  /** Whether the closing handshake completed. */
  readonly wasClean: boolean;
  /** The error behind the failure (`HandshakeError`, `ProviderError`, `ConnectionTimeoutError`…). */
  readonly error: unknown;
  /** The typed handshake failure, when the transport reports one. */
  readonly handshake: HandshakeFailure | undefined;
  /** `Retry-After` of a refused handshake, in milliseconds from the failure. */
  readonly retryAfterMs: number | undefined;
  /** How long the connection had been open, in milliseconds; `undefined` if it never opened. */
  readonly uptimeMs: number | undefined;
  /** When it happened (`clock.now()`). */
  readonly at: number;
}

/** What a classifier sees. */
export interface RetryContext {
  /** Consecutive failures so far, this one included (1 after the first failure). */
  readonly attempt: number;
  /** Milliseconds since the first failure of this outage. */
  readonly elapsedMs: number;
  /** This failure. */
  readonly failure: AttemptFailure;
  /** The failure before it in this outage, if any. */
  readonly previousFailure: AttemptFailure | undefined;
  /** `retry.maxRetries`: the loop stops when `attempt` exceeds it, whatever the classifier says. */
  readonly maxRetries: number;
  /** What `defaultClassifier` (with the configured application codes) decided: a starting point. */
  readonly defaultDecision: RetryDecision;
}

/** A classifier may answer with just the action, or with an action and a delay. */
export type ClassifierResult =
  | RetryAction
  | { action: RetryAction; delayMs?: number | undefined; reason?: string; error?: unknown };

/** Decides per failure; see `retry.classify`. */
export type Classifier = (context: RetryContext) => ClassifierResult;

/** The configurable part of the default classification. */
export interface ClassifierPolicy {
  /** Per-code actions for application close codes (4000–4999). */
  readonly applicationCloseCodes: Readonly<Record<number, RetryAction>>;
  /** The action for an application close code not listed in `applicationCloseCodes`. */
  readonly applicationCloseCodeDefault: RetryAction;
  /** The longest `Retry-After` honoured, in milliseconds; longer ones are capped. */
  readonly maxRetryAfterMs: number;
}

/**
 * Close codes after which reconnecting would only repeat the same refusal (RFC 6455 §7.4.1):
 * `CloseCode.ProtocolError`, `UnsupportedData`, `InvalidPayload`, `PolicyViolation` and
 * `MandatoryExtension`. Written as numbers, as in the rest of this package, so that a browser
 * bundle need not carry the whole `CloseCode` map for five of them (classifier.test.ts holds them
 * to the map).
 */
export const FATAL_CLOSE_CODES: readonly number[] = [1002, 1003, 1007, 1008, 1010];

/** HTTP statuses of a refused handshake that retrying cannot fix. */
export const FATAL_HTTP_STATUSES: readonly number[] = [400, 403, 404];

/** HTTP statuses whose `Retry-After` is honoured (RFC 9110 §15.6.4, RFC 6585 §4). */
export const RETRY_AFTER_HTTP_STATUSES: readonly number[] = [429, 503];

export const DEFAULT_CLASSIFIER_POLICY: ClassifierPolicy = {
  applicationCloseCodes: {},
  applicationCloseCodeDefault: 'retry',
  maxRetryAfterMs: 300_000,
};

/**
 * The default classification of a failure:
 * - close codes 1002, 1003, 1007, 1008, 1010: `stop`; 4000–4999: `policy.applicationCloseCodes`,
 *   else `policy.applicationCloseCodeDefault`; every other code (1000 and 1001 from the server,
 *   1006, 1011–1014, 3000–3999): `retry`.
 * - handshake refused with HTTP 400, 403, 404: `stop`; 401: `refresh-auth`; 429 and 503: `retry`
 *   after `Retry-After` (capped at `policy.maxRetryAfterMs`) when given; any other: `retry`.
 * - the transport's constructor threw a `SyntaxError` (a malformed URL or protocol): `stop`.
 * - provider failures, timeouts, heartbeat timeouts, `beforeFlush` rejections: `retry`.
 *
 * The user's own `close()` never reaches a classifier: it always ends the loop.
 */
export function defaultClassifier(
  context: Pick<RetryContext, 'failure'>,
  policy: ClassifierPolicy = DEFAULT_CLASSIFIER_POLICY,
): RetryDecision {
  const { failure } = context;
  const status = failure.handshake?.status;
  if (status !== undefined) {
    if (RETRY_AFTER_HTTP_STATUSES.includes(status) && failure.retryAfterMs !== undefined) {
      const delayMs = Math.min(failure.retryAfterMs, policy.maxRetryAfterMs);
      return { action: 'retry', delayMs, reason: `HTTP ${status} with Retry-After` };
    }
    const action = FATAL_HTTP_STATUSES.includes(status) ? 'stop' : status === 401 ? 'refresh-auth' : 'retry';
    return { action, reason: `HTTP ${status}` };
  }
  if (failure.kind === 'transport' && isSyntaxError(failure.error)) {
    return { action: 'stop', reason: 'the transport rejected the URL or protocols' };
  }
  const code = failure.code;
  if (failure.kind === 'close' && code !== undefined) {
    if (isApplicationCloseCode(code)) {
      const action = policy.applicationCloseCodes[code] ?? policy.applicationCloseCodeDefault;
      return { action, reason: `application close code ${code}` };
    }
    return { action: FATAL_CLOSE_CODES.includes(code) ? 'stop' : 'retry', reason: `close code ${code}` };
  }
  if (failure.handshake !== undefined)
    return { action: 'retry', reason: `handshake failed (${failure.handshake.reason})` };
  return { action: 'retry', reason: failure.kind };
}

/** Turns what a classifier returned into a `RetryDecision`; anything unrecognised becomes `stop`. */
export function normaliseDecision(result: ClassifierResult, fallbackReason: string): RetryDecision {
  const raw = typeof result === 'string' ? { action: result } : result;
  const action: unknown = raw?.action;
  if (action !== 'retry' && action !== 'stop' && action !== 'refresh-auth') {
    return { action: 'stop', reason: `the classifier returned an unknown action (${String(action)})` };
  }
  const reason = typeof raw.reason === 'string' && raw.reason !== '' ? raw.reason : fallbackReason;
  const delayMs = 'delayMs' in raw && typeof raw.delayMs === 'number' && raw.delayMs >= 0 ? raw.delayMs : undefined;
  const error = 'error' in raw ? raw.error : undefined;
  return {
    action,
    reason,
    ...(delayMs === undefined ? {} : { delayMs }),
    ...(error === undefined ? {} : { error }),
  };
}

/** Whether `error` is a `SyntaxError` (a JavaScript one, or a `DOMException` so named, as browsers throw). */
export function isSyntaxError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'SyntaxError';
}
