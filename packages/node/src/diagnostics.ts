import { channel } from 'node:diagnostics_channel';
import { redactHeaders } from '@sturdysocket/core';

/**
 * `node:diagnostics_channel` channels this package publishes on, for tracing and logging without
 * wrapping the class. Messages are published only while a channel has subscribers. Header
 * values named secret (`Authorization`, `Cookie`, `Proxy-Authorization`, `Set-Cookie` and the
 * `secretHeaders` option) are always `[redacted]`, and URLs carry no user info.
 */
export const DIAGNOSTICS_CHANNELS = Object.freeze({
  handshakeRequest: 'sturdysocket:handshake-request',
  handshakeResponse: 'sturdysocket:handshake-response',
  open: 'sturdysocket:open',
  close: 'sturdysocket:close',
  ping: 'sturdysocket:ping',
  pong: 'sturdysocket:pong',
} as const);

/** `sturdysocket:handshake-request`: an opening handshake request is sent (one per redirect hop). */
export interface HandshakeRequestMessage {
  readonly url: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

/** `sturdysocket:handshake-response`: a response head arrived (before it is validated). */
export interface HandshakeResponseMessage {
  readonly url: string;
  readonly status: number;
  readonly statusText: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

/** `sturdysocket:open`. */
export interface OpenMessage {
  readonly websocket: EventTarget;
  readonly url: string;
  readonly protocol: string;
  readonly extensions: string;
}

/** `sturdysocket:close`: what the `close` event says. */
export interface CloseMessage {
  readonly websocket: EventTarget;
  readonly url: string;
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
}

/** `sturdysocket:ping` / `sturdysocket:pong`: a control frame `sent` or `received`. */
export interface ControlFrameMessage {
  readonly websocket: EventTarget;
  readonly direction: 'sent' | 'received';
  readonly payload: Uint8Array;
}

/** The URL without user info: a password in a URL is a credential too. */
function withoutUserinfo(url: string | URL): string {
  const copy = new URL(String(url));
  copy.username = '';
  copy.password = '';
  return copy.href;
}

const channels = {
  handshakeRequest: channel(DIAGNOSTICS_CHANNELS.handshakeRequest),
  handshakeResponse: channel(DIAGNOSTICS_CHANNELS.handshakeResponse),
  open: channel(DIAGNOSTICS_CHANNELS.open),
  close: channel(DIAGNOSTICS_CHANNELS.close),
  ping: channel(DIAGNOSTICS_CHANNELS.ping),
  pong: channel(DIAGNOSTICS_CHANNELS.pong),
};

export function publishHandshakeRequest(
  url: URL,
  headers: ReadonlyArray<readonly [string, string]>,
  secretHeaders: readonly string[],
  secretProtocols: readonly string[],
): void {
  if (!channels.handshakeRequest.hasSubscribers) return;
  const message: HandshakeRequestMessage = {
    url: withoutUserinfo(url),
    headers: redactHeaders(headers, secretHeaders, secretProtocols),
  };
  channels.handshakeRequest.publish(message);
}

export function publishHandshakeResponse(
  url: URL,
  head: { status: number; statusText: string; headers: ReadonlyArray<readonly [string, string]> },
  secretHeaders: readonly string[],
): void {
  if (!channels.handshakeResponse.hasSubscribers) return;
  const message: HandshakeResponseMessage = {
    url: withoutUserinfo(url),
    status: head.status,
    statusText: head.statusText,
    headers: redactHeaders(head.headers, secretHeaders),
  };
  channels.handshakeResponse.publish(message);
}

export function publishOpen(message: OpenMessage): void {
  if (channels.open.hasSubscribers) channels.open.publish({ ...message, url: withoutUserinfo(message.url) });
}

export function publishClose(message: CloseMessage): void {
  if (channels.close.hasSubscribers) channels.close.publish({ ...message, url: withoutUserinfo(message.url) });
}

export function publishControlFrame(kind: 'ping' | 'pong', message: ControlFrameMessage): void {
  const target = channels[kind];
  if (target.hasSubscribers) target.publish(message);
}
