import type { AttemptFailure, RetryContext, RetryDecision } from './classifier.js';
import type { DropReason, MessageData } from './outbox.js';
import type { ReconnectState } from './state-machine.js';

/** `connecting`: an attempt starts. */
export interface ConnectingInfo {
  /** 1 for the first attempt of an outage, 2 for the first retry… */
  readonly attempt: number;
}

/** `open`: a connection opened (after `beforeFlush`, after the outbox flushed). */
export interface OpenInfo {
  readonly attempt: number;
  readonly url: string;
  readonly protocol: string;
  readonly extensions: string;
  /** How many queued messages were flushed before this event. */
  readonly flushed: number;
}

/** `close`: a connection or an attempt ended. */
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
  /** Whether the loop goes on (`false` for the last `close`: the user's `close()` or a stop). */
  readonly willReconnect: boolean;
  /** The classified failure, unless the user closed or reconnected. */
  readonly failure: AttemptFailure | undefined;
}

/** `reconnecting`: the loop waits before retry number `attempt`. */
export interface ReconnectingInfo {
  /** Consecutive failures so far; the coming attempt is retry number `attempt`. */
  readonly attempt: number;
  /** The wait, in milliseconds. */
  readonly delayMs: number;
  /** The failure being retried. */
  readonly failure: AttemptFailure;
  /** How it was classified. */
  readonly decision: RetryDecision;
  /** True while attempts are paused (offline): the wait lasts until `online`. */
  readonly paused: boolean;
}

/** `failure`: every failed attempt or dropped connection, with its classification. */
export interface FailureInfo {
  readonly failure: AttemptFailure;
  readonly decision: RetryDecision;
  readonly context: RetryContext;
}

/** `drop`: a message was dropped. Nothing is dropped without this event. */
export interface DropInfo {
  readonly data: MessageData;
  readonly reason: DropReason;
}

/** `state`: the state changed. */
export interface StateChange {
  readonly from: ReconnectState;
  readonly to: ReconnectState;
}

/** The typed events of `ReconnectingWebSocket.on()`. */
export interface ReconnectEventMap {
  connecting: (info: ConnectingInfo) => void;
  open: (info: OpenInfo) => void;
  // biome-ignore lint/suspicious/noExplicitAny: message data is whatever the transport delivers, as in `MessageEvent.data`.
  message: (data: any) => void;
  close: (info: CloseInfo) => void;
  reconnecting: (info: ReconnectingInfo) => void;
  error: (error: unknown) => void;
  state: (change: StateChange) => void;
  failure: (info: FailureInfo) => void;
  drop: (info: DropInfo) => void;
  /** A heartbeat ping was answered after `rttMs`. */
  pong: (rttMs: number) => void;
}

/** The WHATWG-style events of `addEventListener` and `on…` handlers. */
export interface WebSocketEventLike {
  readonly type: string;
  readonly target: unknown;
  readonly currentTarget: unknown;
  readonly timeStamp: number;
}

export interface ReconnectingMessageEvent extends WebSocketEventLike {
  readonly type: 'message';
  // biome-ignore lint/suspicious/noExplicitAny: as `MessageEvent.data`.
  readonly data: any;
  readonly origin: string;
  readonly lastEventId: string;
}

export interface ReconnectingCloseEvent extends WebSocketEventLike {
  readonly type: 'close';
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
  readonly willReconnect: boolean;
}

export interface ReconnectingErrorEvent extends WebSocketEventLike {
  readonly type: 'error';
  readonly error: unknown;
  readonly message: string;
}

export interface ReconnectingOpenEvent extends WebSocketEventLike {
  readonly type: 'open';
}

export interface WebSocketEventMapLike {
  open: ReconnectingOpenEvent;
  message: ReconnectingMessageEvent;
  close: ReconnectingCloseEvent;
  error: ReconnectingErrorEvent;
}

export type WebSocketEventType = keyof WebSocketEventMapLike;

export type EventListenerLike<E> = ((event: E) => void) | { handleEvent(event: E): void };

/** Options of `addEventListener`, as WHATWG DOM §2.7. */
export type AddEventListenerOptionsLike = boolean | { once?: boolean; signal?: AbortSignal; capture?: boolean };
