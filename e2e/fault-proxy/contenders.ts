import { ReconnectingWebSocket } from '@sturdysocket/reconnect';
import PartySocket from 'partysocket/ws';
import RWS from 'reconnecting-websocket';
import WS from 'ws';

/** The part of each library the comparison drives: the WebSocket API they all share. */
export interface Contender {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close', listener: () => void): void;
}

/** Settings every library gets, in its own option names. */
export interface CommonSettings {
  minDelayMs: number;
  maxDelayMs: number;
  connectionTimeoutMs: number;
  maxQueued?: number;
}

export type UrlSource = string | (() => string | Promise<string>);

/** The three reconnecting sockets, over the same `ws` transport. */
export const contenders: Record<string, (url: UrlSource, settings: CommonSettings) => Contender> = {
  sturdysocket: (url, s) =>
    new ReconnectingWebSocket(url, undefined, {
      WebSocket: WS,
      backoff: { initialDelayMs: s.minDelayMs, maxDelayMs: s.maxDelayMs, factor: 2 },
      connectionTimeoutMs: s.connectionTimeoutMs,
      // Dead-peer detection on: the point of the comparison.
      heartbeat: { intervalMs: 300, timeoutMs: 300 },
      outbox: s.maxQueued === undefined ? {} : { maxMessages: s.maxQueued },
    }),
  'reconnecting-websocket': (url, s) =>
    new RWS(url as string, [], {
      WebSocket: WS,
      minReconnectionDelay: s.minDelayMs,
      maxReconnectionDelay: s.maxDelayMs,
      reconnectionDelayGrowFactor: 2,
      connectionTimeout: s.connectionTimeoutMs,
      ...(s.maxQueued === undefined ? {} : { maxEnqueuedMessages: s.maxQueued }),
    }) as unknown as Contender,
  partysocket: (url, s) =>
    new PartySocket(url as string, [], {
      WebSocket: WS,
      minReconnectionDelay: s.minDelayMs,
      maxReconnectionDelay: s.maxDelayMs,
      reconnectionDelayGrowFactor: 2,
      connectionTimeout: s.connectionTimeoutMs,
      ...(s.maxQueued === undefined ? {} : { maxEnqueuedMessages: s.maxQueued }),
    }) as unknown as Contender,
};
