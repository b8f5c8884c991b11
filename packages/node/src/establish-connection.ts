import * as net from 'node:net';
import * as tls from 'node:tls';
import {
  HandshakeError,
  type HandshakeRequest,
  type HandshakeResult,
  type HttpResponseHead,
  HttpResponseHeadReader,
  serializeHandshakeRequest,
  validateHandshakeResponse,
} from '@sturdysocket/core';
import { publishHandshakeRequest, publishHandshakeResponse } from './diagnostics.js';
import type { ResolvedNodeWebSocketOptions } from './options.js';

/** An open TCP/TLS connection whose opening handshake succeeded. */
export interface EstablishedConnection {
  readonly socket: net.Socket;
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
>;

function abortError(signal: AbortSignal): HandshakeError {
  return new HandshakeError('aborted', 'The connection was aborted before it opened', { cause: signal.reason });
}

function connectSocket(request: HandshakeRequest, options: Options): net.Socket {
  // Half-open: the server's FIN must not end our side before our close frame is out (§7.1.1).
  const common = { host: request.hostname, port: request.port, family: options.family, allowHalfOpen: true };
  if (!request.secure) return net.connect(common);
  const tlsOptions: tls.ConnectionOptions = {
    ...common,
    // An HTTP/2-capable server must answer the upgrade over HTTP/1.1 (RFC 6455 is HTTP/1.1 only).
    ALPNProtocols: ['http/1.1'],
    rejectUnauthorized: options.rejectUnauthorized,
  };
  // Node sends the host as SNI unless it is an IP literal (RFC 6066 §3); only an explicit name overrides.
  if (options.servername !== undefined) tlsOptions.servername = options.servername;
  if (options.ca !== undefined) tlsOptions.ca = options.ca as tls.ConnectionOptions['ca'];
  if (options.cert !== undefined) tlsOptions.cert = options.cert as tls.ConnectionOptions['cert'];
  if (options.key !== undefined) tlsOptions.key = options.key as tls.ConnectionOptions['key'];
  return tls.connect(tlsOptions);
}

/**
 * WHATWG WebSockets "establish a WebSocket connection" and RFC 6455 §4.1: open the TCP (and TLS)
 * connection, send the opening handshake, read the response head within `maxResponseHeaderBytes`
 * and validate it. Every failure rejects with a `HandshakeError`:
 * `network` (cause kept), `tls`, `timeout` (after `handshakeTimeoutMs`, covering DNS, connect,
 * TLS and the response), `aborted` (the signal, or `cancel()`), `response-too-large`,
 * `malformed-response`, or one of `validateHandshakeResponse`'s reasons.
 */
export function establishWebSocketConnection(request: HandshakeRequest, options: Options): ConnectionAttempt {
  let cancel: (error: HandshakeError) => void = () => {};
  const established = new Promise<EstablishedConnection>((resolve, reject) => {
    const { signal } = options;
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const socket = connectSocket(request, options);
    let settled = false;
    let tcpConnected = false;
    let tlsConnected = !request.secure;
    let headParsed = false;
    let peerEnded = false;
    let timer: NodeJS.Timeout | undefined;

    const cleanup = () => {
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.off('connect', onConnect);
      socket.off('secureConnect', onSecureConnect);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      socket.off('end', onEnd);
    };
    const fail = (error: HandshakeError) => {
      if (settled) return;
      cleanup();
      // Errors after this point (a reset racing the destroy) have nowhere to go and mean nothing.
      socket.on('error', () => {});
      socket.destroy();
      reject(error);
    };
    cancel = fail;

    function onAbort() {
      fail(abortError(signal as AbortSignal));
    }
    function onConnect() {
      tcpConnected = true;
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
    function onData(chunk: Buffer) {
      let parsed: ReturnType<HttpResponseHeadReader['push']>;
      try {
        parsed = reader.push(chunk);
      } catch (error) {
        fail(error as HandshakeError);
        return;
      }
      if (parsed === undefined) return;
      // Frames after the head wait in the socket until the engine is bound.
      headParsed = true;
      socket.pause();
      socket.off('data', onData);
      const { head, rest } = parsed;
      publishHandshakeResponse(request.url, head, options.secretHeaders);
      validateHandshakeResponse(request, { status: head.status, headers: head.headers }).then(
        (result) => {
          if (settled) return;
          cleanup();
          resolve({ socket, head, result, rest, peerEnded });
        },
        (error: HandshakeError) => fail(error),
      );
    }

    if (options.handshakeTimeoutMs > 0) {
      timer = setTimeout(
        () =>
          fail(new HandshakeError('timeout', `The handshake did not complete within ${options.handshakeTimeoutMs} ms`)),
        options.handshakeTimeoutMs,
      );
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('connect', onConnect);
    if (request.secure) socket.on('secureConnect', onSecureConnect);
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.on('end', onEnd);
    socket.setNoDelay(true);
    // RFC 6455 §4.1: the request is sent once the connection is up; net buffers it until then.
    socket.write(serializeHandshakeRequest(request));
    publishHandshakeRequest(request.url, request.headers, options.secretHeaders);
  });
  return { established, cancel: (error) => cancel(error) };
}
