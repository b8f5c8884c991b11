import type { HeadersInput, Transport } from '@sturdysocket/core';
import { headerRecord, invokeSafely } from '@sturdysocket/core';
import {
  type AttemptFailure,
  type BeforeFlushContext,
  type ClassifierResult,
  type ReconnectOptions,
  type RetryContext,
  TransportError,
  type WebSocketFactory,
  type WebSocketLike,
} from '@sturdysocket/reconnect';
import { AuthError } from './auth-error.js';
import {
  type AuthCarrier,
  assertSecureTransport,
  carryInHeader,
  carryInQuery,
  carryInSubprotocol,
  DEFAULT_SUBPROTOCOL_PREFIX,
  type HandshakeInputs,
} from './carriers.js';
import { type AuthClock, type AuthEvent, type AuthOptions, DEFAULT_AUTH_OPTIONS, systemAuthClock } from './options.js';
import { type IssuedToken, TokenSource } from './token-source.js';

/** Reconnect options plus what the auth layer needs to open authenticated connections. */
export interface AuthenticatedOptions extends Omit<ReconnectOptions, 'factory' | 'WebSocket'> {
  /** The runtime transport (`@sturdysocket/node`'s, the browser's, Deno's…): a factory and its capabilities. */
  transport: Transport<WebSocketLike>;
  /** Extra handshake headers, where the transport can send them. @default undefined */
  headers?: HeadersInput | undefined;
  /** The auth settings. */
  auth: AuthOptions;
  /**
   * As the reconnect layer's: the longest an attempt may take from its start to `open`, in
   * milliseconds. With the `message` carrier it includes the wait for the ack, which it may end
   * before `auth.message.timeoutMs` does (see there: `onEvent` still hears `ack-timeout`).
   * @default 10000
   */
  connectionTimeoutMs?: number | undefined;
}

type ConcreteCarrier = Exclude<AuthCarrier, 'auto'>;

type AuthFailureAction = Extract<AuthEvent, { type: 'auth-failure' }>['action'];

/** The carriers that put the token into the handshake; `message` sends it after open, in the gate. */
type HandshakeCarrier = Exclude<ConcreteCarrier, 'message'>;

/** Each handshake carrier, by the name that is also the key of its settings in `AuthOptions`. */
const HANDSHAKE_CARRIERS: {
  [K in HandshakeCarrier]: (inputs: HandshakeInputs, token: string, options: AuthOptions[K]) => HandshakeInputs;
} = { header: carryInHeader, subprotocol: carryInSubprotocol, query: carryInQuery };

/** Carries `token` by `carrier`, with the settings `auth` gives that carrier. */
function carryToken<K extends HandshakeCarrier>(
  carrier: K,
  inputs: HandshakeInputs,
  token: string,
  auth: AuthOptions,
): HandshakeInputs {
  return HANDSHAKE_CARRIERS[carrier](inputs, token, auth[carrier]);
}

/**
 * Picks the carrier. `auto` means `header` where the transport can send headers; elsewhere it is
 * refused, naming the choices, rather than silently choosing one that leaks.
 */
export function resolveCarrier(carrier: AuthCarrier, transport: Transport<unknown>): ConcreteCarrier {
  if (carrier === 'auto' || carrier === 'header') {
    if (transport.capabilities.headers) return 'header';
    throw new AuthError(
      'carrier-unavailable',
      `carrier '${carrier}' needs handshake headers, which this transport cannot send; use 'subprotocol', 'message' or 'query' (leaks into logs)`,
    );
  }
  if (carrier === 'message' || Object.hasOwn(HANDSHAKE_CARRIERS, carrier)) return carrier;
  throw new TypeError(`auth.carrier must be auto, header, subprotocol, query or message, not ${String(carrier)}`);
}

/** Walks an error's `cause` chain for an `AuthError`. */
function authErrorIn(error: unknown): AuthError | undefined {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    if (current instanceof AuthError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Composes reconnect options that authenticate every connection attempt:
 * - each attempt gets a token from the provider (or the cache) and carries it by the chosen
 *   carrier; the token is bound to that attempt, so a provider answering after the attempt was
 *   abandoned never reaches a newer connection;
 * - an auth failure (HTTP 401, an `expiredCloseCodes` close, a refused auth message) drops the
 *   token and reconnects at once with a fresh one; a second consecutive refusal stops the loop
 *   with an `AuthError` (`rejected`); HTTP 403 stops with `forbidden`;
 * - an auth message left unanswered twice in a row with the same token drops that token;
 * - the token never goes over `ws:` to a non-loopback host unless `allowInsecureTransport`.
 *
 * Use the result as `new ReconnectingWebSocket(url, protocols, withAuth({ transport, auth, … }))`.
 */
export function withAuth(options: AuthenticatedOptions): ReconnectOptions {
  const { transport, headers, auth, ...reconnect } = options;
  if (typeof auth !== 'object' || auth === null) throw new TypeError('auth options are required');
  // The transport takes protocols and headers only: anything else would be dropped without a word.
  if (reconnect.transportOptions !== undefined) {
    throw new TypeError('withAuth opens connections through transport: pass extra handshake headers as headers');
  }
  const carrier = resolveCarrier(auth.carrier ?? DEFAULT_AUTH_OPTIONS.carrier, transport);
  if (carrier === 'message' && typeof auth.message?.isAck !== 'function') {
    throw new TypeError("carrier 'message' needs auth.message.isAck");
  }
  const clock: AuthClock = auth.clock ?? systemAuthClock;
  const source = new TokenSource(auth.token, {
    refreshBeforeExpiryMs: auth.refreshBeforeExpiryMs ?? DEFAULT_AUTH_OPTIONS.refreshBeforeExpiryMs,
    clock,
  });
  const expiredCodes = auth.expiredCloseCodes ?? DEFAULT_AUTH_OPTIONS.expiredCloseCodes;
  const allowInsecure = auth.allowInsecureTransport ?? DEFAULT_AUTH_OPTIONS.allowInsecureTransport;
  const baseHeaders = headerRecord(headers);
  const tokenEntryPrefix = auth.subprotocol?.prefix ?? DEFAULT_SUBPROTOCOL_PREFIX;

  // An observer that throws is reported as uncaught, as a throwing listener is: it must not fail
  // the attempt it watches, or turn the classifier's refresh into a stop.
  const tell = (event: AuthEvent): void => invokeSafely(() => auth.onEvent?.(event));

  /**
   * The most recent attempt, which is the one any failure is about, with its token once the
   * provider (or the cache) gave it one.
   */
  let current: CurrentAttempt | undefined;
  /** The attempt whose auth message awaits its answer, while it does. */
  let awaitingAck: CurrentAttempt | undefined;
  /** The last auth message left unanswered: the failure that ended its wait, and its token. */
  let unanswered: { failure: AttemptFailure; token: string } | undefined;

  const factory: WebSocketFactory = async (url, protocols, context) => {
    assertSecureTransport(url, allowInsecure);
    // Set before the provider runs, so that its failure is told with this attempt's number.
    current = { attempt: context.attempt, token: undefined };
    const token = await source.get();
    // The attempt that asked may have been abandoned while the provider ran: its token must not
    // reach whatever connection is current now.
    if (context.signal.aborted) throw new AuthError('provider-failed', 'The attempt ended before its token arrived');
    let inputs: HandshakeInputs = { url, protocols: [...(protocols ?? [])], headers: { ...baseHeaders } };
    if (carrier !== 'message') {
      try {
        inputs = carryToken(carrier, inputs, token.value, auth);
      } catch (error) {
        // A token that cannot travel (CR, LF or NUL in a header) would fail every attempt from the
        // cache: the next one asks the provider again.
        source.invalidate(token.value);
        throw error;
      }
    }
    current = { attempt: context.attempt, token };
    tell({
      type: 'token',
      attempt: context.attempt,
      fresh: token.fresh,
      expiresAtMs: token.expiresAtMs,
      carrier,
      ...(token.refreshError === undefined ? {} : { refreshError: token.refreshError }),
    });
    // A listener may have ended the attempt (close(), reconnect()): the token must not go out on a
    // connection the loop would only drop. (The loop ignores what an abandoned attempt throws.)
    if (context.signal.aborted) throw context.signal.reason;
    const hasHeaders = Object.keys(inputs.headers).length > 0;
    try {
      return transport.createWebSocket(inputs.url, {
        protocols: inputs.protocols,
        ...(hasHeaders ? { headers: inputs.headers } : {}),
        ...(inputs.secretProtocols ? { secretProtocols: inputs.secretProtocols } : {}),
      });
    } catch (error) {
      // The transport refused to open (a malformed URL or subprotocol): a transport failure, as
      // when the loop calls the transport itself, so a SyntaxError stops the loop.
      throw new TransportError('The transport refused to open the connection', error);
    }
  };

  const beforeFlush = async (context: BeforeFlushContext): Promise<void> => {
    // A server that echoes the token entry has "chosen" a credential as its protocol: it does
    // not understand the carrier, and the token would now sit in `socket.protocol`.
    if (carrier === 'subprotocol' && context.protocol.startsWith(tokenEntryPrefix)) {
      throw new AuthError('token-echoed', 'The server chose the token entry as its subprotocol');
    }
    const token = current?.token;
    if (carrier === 'message' && current && token && auth.message) {
      const { build, isAck, isNack, timeoutMs } = auth.message;
      context.send(build ? build(token.value) : JSON.stringify({ type: 'auth', token: token.value }));
      // Cleared once the wait settles, however it ends. The loop classifies an attempt it abandons
      // (a connection timeout) before that: `classify` still sees the message unanswered.
      awaitingAck = current;
      let reply: unknown;
      try {
        reply = await withTimeout(
          context.nextMessage((data) => isAck(data) || (isNack?.(data) ?? false)),
          timeoutMs ?? DEFAULT_AUTH_OPTIONS.messageTimeoutMs,
          clock,
        );
      } finally {
        awaitingAck = undefined;
      }
      if (!isAck(reply)) throw new AuthError('nack', 'The server refused the auth message');
    }
    await reconnect.beforeFlush?.(context);
  };

  /**
   * How the server refused the credentials of a failed attempt, as `onEvent` names it, or
   * `undefined` if it did not. A refused auth message is found by its `AuthError`: the loop closes
   * that connection itself, with the open gate's code, which says nothing about why.
   */
  const refusalOf = (failure: AttemptFailure | undefined): string | undefined => {
    if (!failure) return undefined;
    if (failure.handshake?.status === 401) return 'http-401';
    if (authErrorIn(failure.error)?.reason === 'nack') return 'nack';
    if (failure.kind === 'close' && failure.code !== undefined && expiredCodes.includes(failure.code)) {
      return `close-${failure.code}`;
    }
    return undefined;
  };

  /**
   * After an unanswered auth message. The server may only be slow, so its token is offered once
   * more; a server that ignores a token it will never accept leaves it unanswered again, and then
   * the token is dropped, so the next attempt asks the provider instead of offering it forever.
   */
  const forgetTokenIgnoredTwice = (failure: AttemptFailure, previousFailure: AttemptFailure | undefined): void => {
    const token = current?.token?.value;
    if (token === undefined) return;
    if (previousFailure !== undefined && unanswered?.failure === previousFailure && unanswered.token === token) {
      source.invalidate(token);
      unanswered = undefined;
    } else {
      unanswered = { failure, token };
    }
  };

  const classify = (context: RetryContext): ClassifierResult & { error?: unknown } => {
    const { failure } = context;
    const authError = authErrorIn(failure.error);
    const attempt = current?.attempt ?? context.attempt;
    const stop = (error: AuthError) => {
      tell({ type: 'auth-failure', attempt, reason: error.reason, action: 'stop' });
      return { action: 'stop' as const, reason: error.message, error };
    };
    if (authError && ['token-echoed', 'insecure-transport', 'carrier-unavailable'].includes(authError.reason)) {
      return stop(authError);
    }
    if (failure.handshake?.status === 403) {
      return stop(new AuthError('forbidden', 'HTTP 403', { cause: failure.error }));
    }
    const refusal = refusalOf(failure);
    if (refusal !== undefined) {
      const used = current?.token;
      if (used?.fresh && refusalOf(context.previousFailure) !== undefined) {
        return stop(
          new AuthError('rejected', `The server refused a fresh token twice (${refusal})`, { cause: failure.error }),
        );
      }
      source.invalidate(used?.value);
      tell({ type: 'auth-failure', attempt, reason: refusal, action: followingAction('refresh-auth', context) });
      return { action: 'refresh-auth', delayMs: 0, reason: `credentials refused (${refusal})` };
    }
    // Where the runtime hides the handshake's status (browsers), a 401 looks like any failure to
    // open. After two such failures in a row the token may be the cause: drop it, so the next
    // attempt asks the provider again instead of offering a dead token forever.
    if (!transport.capabilities.handshakeDetails && failedToOpen(failure) && failedToOpen(context.previousFailure)) {
      source.invalidate(current?.token?.value);
    }
    // An auth message that went unanswered, for `message.timeoutMs` or until the connection
    // timeout abandoned the attempt first (the wait was still on when the loop gave up).
    const ackTimedOut =
      authError?.reason === 'ack-timeout' ||
      (failure.kind === 'connection-timeout' && awaitingAck !== undefined && awaitingAck === current);
    if (ackTimedOut) forgetTokenIgnoredTwice(failure, context.previousFailure);
    const user = reconnect.retry?.classify;
    const decision = user ? user(context) : context.defaultDecision;
    const action = typeof decision === 'string' ? decision : decision?.action;
    // `refresh-auth` promises a retry with refreshed credentials, whoever decided it (the user's
    // classifier, or `retry.applicationCloseCodes` through the default).
    if (action === 'refresh-auth') source.invalidate(current?.token?.value);
    // No answer to the auth message is no refusal (the server may only be slow), and the provider
    // is not the server: the classifier decides, and the observer hears of it with what follows.
    // A provider's failure comes with its AuthError, whose `cause` is the provider's own error.
    const providerFailure =
      authError?.reason === 'provider-failed' || authError?.reason === 'invalid-token' ? authError : undefined;
    if (ackTimedOut || providerFailure) {
      tell({
        type: 'auth-failure',
        attempt,
        reason: providerFailure?.reason ?? 'ack-timeout',
        action: followingAction(action, context),
        ...(providerFailure ? { error: providerFailure } : {}),
      });
    }
    return decision;
  };

  return {
    ...reconnect,
    factory,
    beforeFlush,
    retry: { ...reconnect.retry, classify },
  };
}

/**
 * What follows a failure, as `onEvent` names it. The loop stops on an action it does not know, and
 * once `retry.maxRetries` is spent, whatever was decided.
 */
function followingAction(action: unknown, context: RetryContext): AuthFailureAction {
  if (context.attempt > context.maxRetries) return 'stop';
  return action === 'refresh-auth' ? 'refresh' : action === 'retry' ? 'retry' : 'stop';
}

/** The attempt the auth layer serves, and its token once the provider (or the cache) gave one. */
interface CurrentAttempt {
  readonly attempt: number;
  readonly token: IssuedToken | undefined;
}

/** Whether a failure is an attempt that never opened and gave no reason (a refused upgrade, maybe). */
function failedToOpen(failure: AttemptFailure | undefined): boolean {
  if (!failure || failure.uptimeMs !== undefined || failure.handshake !== undefined) return false;
  return failure.kind === 'transport' || failure.kind === 'close';
}

/** `promise`, or an `ack-timeout` failure if it has not settled within `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number, clock: AuthClock): Promise<T> {
  let timer: unknown;
  const timeout = new Promise<never>((_, reject) => {
    timer = clock.setTimeout(() => reject(new AuthError('ack-timeout', `No auth acknowledgement within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clock.clearTimeout(timer));
}
