import { createHash } from 'node:crypto';
import * as net from 'node:net';
import * as tls from 'node:tls';
import {
  HandshakeError,
  type HandshakeRequest,
  type HandshakeResult,
  type HttpResponseHead,
  HttpResponseHeadReader,
  MAX_TIMER_DELAY_MS,
  type Sha1,
  serializeHandshakeRequest,
  validateHandshakeResponse,
} from '@sturdysocket/core';
import { publishHandshakeRequest, publishHandshakeResponse } from './diagnostics.js';
import type { ResolvedNodeWebSocketOptions } from './options.js';
import { connectThroughProxy, resolveProxy } from './proxy.js';
import { followRedirect, type HopRequestFactory } from './redirect.js';
import { SocketInput } from './socket-input.js';

/**
 * SHA-1 for the accept check from `node:crypto`: synchronous and a few microseconds, where
 * WebCrypto's default costs a thread-pool round trip and several times the CPU per connection.
 */
const nodeSha1: Sha1 = (data) => createHash('sha1').update(data).digest();

/** An open TCP/TLS connection whose opening handshake succeeded. */
export interface EstablishedConnection {
  /** The request that succeeded (the last hop's, after redirects). */
  readonly request: HandshakeRequest;
  readonly socket: net.Socket;
  /** What the socket reads goes through this; the caller makes its engine the consumer. */
  readonly input: SocketInput;
  readonly head: HttpResponseHead;
  readonly result: HandshakeResult;
  /**
   * Bytes that followed the response head in the same read: the server's first frames. The
   * socket is paused; the caller feeds these to its protocol engine, then resumes it.
   */
  readonly rest: Uint8Array;
  /**
   * The server sent its FIN while the response was being validated (it may close right after
   * its first frames). The socket is half-open (`allowHalfOpen`), so the caller still writes.
   */
  readonly peerEnded: boolean;
}

/** A connection attempt in progress, which its owner may cancel (WHATWG `close()` while CONNECTING). */
export interface ConnectionAttempt {
  readonly established: Promise<EstablishedConnection>;
  /** Destroys the socket and rejects `established` with `error`, unless it has settled. */
  cancel(error: HandshakeError): void;
}

type Options = Pick<
  ResolvedNodeWebSocketOptions,
  | 'handshakeTimeoutMs'
  | 'maxResponseHeaderBytes'
  | 'ca'
  | 'cert'
  | 'key'
  | 'servername'
  | 'rejectUnauthorized'
  | 'signal'
  | 'family'
  | 'secretHeaders'
  | 'secretProtocols'
  | 'followRedirects'
  | 'maxRedirects'
  | 'allowInsecureRedirect'
  | 'proxy'
  | 'createConnection'
>;

/** What `createConnection` is called with. */
export interface CreateConnectionOptions {
  /** The WebSocket URL of this hop. */
  readonly url: URL;
  /** The host name to connect to (IPv6 without brackets). */
  readonly host: string;
  readonly port: number;
  /** `wss:`: the hook must return a TLS socket. */
  readonly secure: boolean;
}

function tlsOptions(request: HandshakeRequest, options: Options): tls.ConnectionOptions {
  const result: tls.ConnectionOptions = {
    // An HTTP/2-capable server must answer the upgrade over HTTP/1.1 (RFC 6455 is HTTP/1.1 only).
    ALPNProtocols: ['http/1.1'],
    rejectUnauthorized: options.rejectUnauthorized,
  };
  // SNI is the host unless it is an IP literal (RFC 6066 §3); an explicit name overrides it.
  if (options.servername !== undefined) result.servername = options.servername;
  else if (net.isIP(request.hostname) === 0) result.servername = request.hostname;
  if (options.ca !== undefined) result.ca = options.ca as tls.ConnectionOptions['ca'];
  if (options.cert !== undefined) result.cert = options.cert as tls.ConnectionOptions['cert'];
  if (options.key !== undefined) result.key = options.key as tls.ConnectionOptions['key'];
  return result;
}

/**
 * The socket to the server: from `createConnection`, through the proxy, or direct. `track`
 * receives every socket as soon as it exists, so a timeout or abort can destroy it. A socket
 * made here directly (TCP, or TLS over it) is read by `input` (`onread`: reads land where the
 * engine wants them); the caller reads any other (a tunnel's, a hook's) with `input.listen`.
 */
async function openSocket(
  request: HandshakeRequest,
  options: Options,
  input: SocketInput,
  track: (socket: net.Socket) => void,
): Promise<{ socket: net.Socket; readByInput: boolean }> {
  if (options.createConnection) {
    const socket = options.createConnection({
      url: request.url,
      host: request.hostname,
      port: request.port,
      secure: request.secure,
    });
    track(socket);
    return { socket, readByInput: false };
  }
  // Half-open: the server's FIN must not end our side before our close frame is out (§7.1.1).
  let proxy: URL | undefined;
  try {
    proxy = resolveProxy(options.proxy, request);
  } catch (cause) {
    throw new HandshakeError('proxy-refused', (cause as Error).message, { cause });
  }
  if (proxy) {
    const tunnel = await connectThroughProxy(proxy, request, options, track);
    if (!request.secure) return { socket: tunnel, readByInput: false };
    // The TLS socket on top reports the tunnel's failures; the tunnel's own error events must
    // not go unheard (an unheard 'error' would crash the process).
    tunnel.on('error', () => {});
    const socket = tls.connect({ ...tlsOptions(request, options), socket: tunnel });
    track(socket);
    return { socket, readByInput: false };
  }
  const endpoint = { host: request.hostname, port: request.port, family: options.family, allowHalfOpen: true };
  const onread = input.readOptions();
  const socket = request.secure
    ? // Node documents `onread` for `tls.connect` without a `socket`; @types/node lacks it.
      tls.connect({ ...endpoint, ...tlsOptions(request, options), onread } as tls.ConnectionOptions)
    : net.connect({ ...endpoint, onread });
  track(socket);
  return { socket, readByInput: true };
}

/**
 * WHATWG WebSockets "establish a WebSocket connection" and RFC 6455 §4.1: open the TCP (and TLS)
 * connection, send the opening handshake, read the response head within `maxResponseHeaderBytes`
 * and validate it; with `followRedirects`, do it again where a 3xx points. Every failure rejects
 * with a `HandshakeError`: `network` (cause kept), `tls`, `timeout` (after `handshakeTimeoutMs`
 * for all hops together), `aborted` (the signal, or `cancel()`), `response-too-large`,
 * `malformed-response`, `redirect`, `insecure-redirect`, `proxy-refused`, `proxy-auth`,
 * `proxy-status`, or one of `validateHandshakeResponse`'s reasons.
 */
export function establishWebSocketConnection(
  initial: HandshakeRequest,
  options: Options,
  nextRequest: HopRequestFactory,
): ConnectionAttempt {
  const cancellation = new Cancellation();
  const deadline = options.handshakeTimeoutMs > 0 ? Date.now() + options.handshakeTimeoutMs : Number.POSITIVE_INFINITY;
  const established = (async () => {
    let request = initial;
    for (let redirects = 0; ; redirects++) {
      try {
        const hopOptions = request.url.origin === initial.url.origin ? options : withoutClientIdentity(options);
        return await performHandshake(request, hopOptions, cancellation, deadline);
      } catch (error) {
        if (!(error instanceof HandshakeError) || error.reason !== 'redirect') throw error;
        request = followRedirect(request, error, redirects, options, nextRequest);
      }
    }
  })();
  return { established, cancel: (error) => cancellation.cancel(error) };
}

/**
 * `options` for a redirect hop to another origin. A client certificate (`cert`, `key`) is a
 * credential given for the first URL's origin, and never follows a redirect away from it, as
 * `Authorization` does not; an explicit `servername` named that origin's host, so checking the
 * new host's certificate against it would be wrong.
 */
function withoutClientIdentity(options: Options): Options {
  return { ...options, cert: undefined, key: undefined, servername: undefined };
}

/**
 * What `cancel()` reaches: the hop in progress (one at a time, so one listener). Lighter than an
 * `AbortController`, an `EventTarget` and a signal per connection (several µs of each connect).
 */
class Cancellation {
  aborted = false;
  reason: unknown;
  #listener: (() => void) | undefined;

  cancel(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.#listener?.();
  }

  /** Sets (or with `undefined`, clears) what runs on cancellation. */
  onCancel(listener: (() => void) | undefined): void {
    this.#listener = listener;
  }
}

function abortError(signal: AbortSignal): HandshakeError {
  return new HandshakeError('aborted', 'The connection was aborted before it opened', { cause: signal.reason });
}

/** One hop: connect, send the request, read and validate the answer. */
function performHandshake(
  request: HandshakeRequest,
  options: Options,
  cancellation: Cancellation,
  deadline: number,
): Promise<EstablishedConnection> {
  return new Promise<EstablishedConnection>((resolve, reject) => {
    const { signal } = options;
    if (cancellation.aborted) return reject(cancellation.reason);
    if (signal?.aborted) return reject(abortError(signal));
    const sockets: net.Socket[] = [];
    let socket: net.Socket | undefined;
    let settled = false;
    let tcpConnected = false;
    let tlsConnected = !request.secure;
    let headParsed = false;
    let peerEnded = false;
    const input = new SocketInput();

    const cleanup = () => {
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      cancellation.onCancel(undefined);
      if (socket) {
        socket.off('connect', onConnect);
        socket.off('secureConnect', onSecureConnect);
        input.setConsumer(undefined);
        socket.off('error', onError);
        socket.off('close', onClose);
        socket.off('end', onEnd);
      }
    };
    const fail = (error: unknown) => {
      if (settled) return;
      cleanup();
      for (const opened of sockets) {
        // Errors after this point (a reset racing the destroy) have nowhere to go and mean nothing.
        opened.on('error', () => {});
        opened.destroy();
      }
      reject(error);
    };

    function onAbort() {
      fail(abortError(signal as AbortSignal));
    }
    function onCancel() {
      fail(cancellation.reason);
    }
    function onConnect() {
      tcpConnected = true;
      if (!requestSent) sendRequest();
    }
    // RFC 6455 §4.1: the request is sent once the connection is up.
    let requestSent = false;
    function sendRequest() {
      requestSent = true;
      (socket as net.Socket).write(serializeHandshakeRequest(request));
      publishHandshakeRequest(request.url, request.headers, options.secretHeaders, options.secretProtocols);
    }
    function onSecureConnect() {
      tlsConnected = true;
    }
    function onError(error: Error) {
      // An error after TCP connected but before the TLS handshake finished is the TLS handshake's.
      const tlsFailure = tcpConnected && !tlsConnected;
      fail(
        new HandshakeError(
          tlsFailure ? 'tls' : 'network',
          `${tlsFailure ? 'The TLS handshake' : 'The connection'} failed: ${error.message}`,
          { cause: error },
        ),
      );
    }
    function onEnd() {
      if (headParsed) peerEnded = true;
      else onClose();
    }
    function onClose() {
      fail(new HandshakeError('network', 'The server closed the connection before completing the handshake'));
    }

    const reader = new HttpResponseHeadReader(options.maxResponseHeaderBytes);
    function onData(chunk: Uint8Array) {
      let parsed: ReturnType<HttpResponseHeadReader['push']>;
      try {
        parsed = reader.push(chunk);
      } catch (error) {
        fail(error);
        return;
      }
      if (parsed === undefined) return;
      // Frames after the head wait in the socket until the engine is bound.
      headParsed = true;
      const current = socket as net.Socket;
      current.pause();
      input.setConsumer(undefined);
      const { head, rest } = parsed;
      publishHandshakeResponse(request.url, head, options.secretHeaders);
      validateHandshakeResponse(request, { status: head.status, headers: head.headers }, { sha1: nodeSha1 }).then(
        (result) => {
          if (settled) return;
          cleanup();
          resolve({ request, socket: current, input, head, result, rest, peerEnded });
        },
        fail,
      );
    }

    const timer = setTimeout(
      () =>
        fail(new HandshakeError('timeout', `The handshake did not complete within ${options.handshakeTimeoutMs} ms`)),
      Math.min(Math.max(0, deadline - Date.now()), MAX_TIMER_DELAY_MS),
    );
    if (deadline === Number.POSITIVE_INFINITY) clearTimeout(timer);
    signal?.addEventListener('abort', onAbort, { once: true });
    cancellation.onCancel(onCancel);

    openSocket(request, options, input, (opened) => {
      sockets.push(opened);
      if (settled) opened.destroy();
    }).then(({ socket: opened, readByInput }) => {
      if (settled) return;
      socket = opened;
      // A socket that arrives connected (a proxy tunnel, a hook's) can only fail in TLS from here.
      tcpConnected = !opened.connecting;
      opened.on('connect', onConnect);
      if (request.secure) opened.on('secureConnect', onSecureConnect);
      if (!readByInput) input.listen(opened);
      input.setConsumer({ receive: onData });
      opened.on('error', onError);
      opened.on('close', onClose);
      opened.on('end', onEnd);
      opened.setNoDelay(true);
      // A TCP socket still connecting gets the request from `onConnect`: a write before then costs
      // Node a listener for 'connect' and one for 'close'. A TLS socket buffers it until it is up.
      if (!opened.connecting || request.secure) sendRequest();
      // A tunnel is paused after CONNECT; reading starts now.
      opened.resume();
    }, fail);
  });
}
