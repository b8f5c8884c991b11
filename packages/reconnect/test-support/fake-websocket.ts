import type { MessageData } from '../src/outbox.js';
import type { WebSocketLike } from '../src/transport.js';

type Listener = (event: unknown) => void;

/**
 * An in-memory WebSocket-shaped object for state-machine tests: it does nothing on its own, the
 * test drives it (`accept`, `receive`, `drop`, `refuse`). Real sockets are exercised in e2e/node.
 */
export class FakeWebSocket implements WebSocketLike {
  readyState = 0;
  protocol = '';
  extensions = '';
  bufferedAmount = 0;
  binaryType = 'blob';
  readonly url: string;
  readonly protocols: string[] | undefined;
  readonly options: unknown;
  readonly sent: MessageData[] = [];
  readonly closeCalls: Array<{ code: number | undefined; reason: string | undefined }> = [];
  readonly #listeners = new Map<string, Listener[]>();

  constructor(url: string, protocols?: string | string[], options?: unknown) {
    this.url = url;
    this.protocols = protocols === undefined ? undefined : typeof protocols === 'string' ? [protocols] : protocols;
    this.options = options;
  }

  addEventListener(type: string, listener: Listener): void {
    const list = this.#listeners.get(type) ?? [];
    list.push(listener);
    this.#listeners.set(type, list);
  }

  /** The listeners of one event type (for fakes that fire events their own way). */
  listeners(type: string): Listener[] {
    return [...(this.#listeners.get(type) ?? [])];
  }

  listenerCount(): number {
    let total = 0;
    for (const list of this.#listeners.values()) total += list.length;
    return total;
  }

  send(data: MessageData): void {
    if (this.readyState !== 1) throw new Error(`send in readyState ${this.readyState}`);
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closeCalls.push({ code, reason });
    if (this.readyState === 0) {
      this.readyState = 3;
      queueMicrotask(() => {
        this.#fire('error', { type: 'error' });
        this.#fire('close', { type: 'close', code: 1006, reason: '', wasClean: false });
      });
    } else if (this.readyState === 1) {
      this.readyState = 2;
    }
  }

  /** Whether the reconnecting socket let go of this one (closed it, or it closed). */
  get released(): boolean {
    return this.readyState >= 2;
  }

  // ── driven by the test ──

  accept(protocol = ''): void {
    this.protocol = protocol;
    this.readyState = 1;
    this.#fire('open', { type: 'open' });
  }

  receive(data: unknown): void {
    this.#fire('message', { type: 'message', data });
  }

  /** The server closes (or completes the closing handshake) with `code`. */
  serverClose(code = 1000, reason = ''): void {
    this.readyState = 3;
    this.#fire('close', { type: 'close', code, reason, wasClean: true });
  }

  /** The network fails: `error`, then `close` 1006. */
  drop(error: unknown = new Error('connection reset')): void {
    this.readyState = 3;
    this.#fire('error', { type: 'error', error });
    this.#fire('close', { type: 'close', code: 1006, reason: '', wasClean: false });
  }

  #fire(type: string, event: unknown): void {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) listener(event);
  }
}

/** A fake with `@sturdysocket/node`'s protocol `ping(): Promise<number>`; the test answers pings. */
export class PingableFakeWebSocket extends FakeWebSocket {
  readonly pings: Array<{ resolve: (rtt: number) => void }> = [];

  ping(): Promise<number> {
    return new Promise((resolve) => this.pings.push({ resolve }));
  }

  answerPings(): void {
    for (const ping of this.pings.splice(0)) ping.resolve(1);
  }
}

/** A transport that records every socket it makes. */
export function fakeTransport<T extends FakeWebSocket = FakeWebSocket>(
  Kind: new (url: string, protocols?: string | string[], options?: unknown) => T = FakeWebSocket as never,
) {
  const sockets: T[] = [];
  class Recorded extends (Kind as new (
    url: string,
    protocols?: string | string[],
    options?: unknown,
  ) => FakeWebSocket) {
    constructor(url: string, protocols?: string | string[], options?: unknown) {
      super(url, protocols, options);
      sockets.push(this as unknown as T);
    }
  }
  return {
    WebSocket: Recorded as unknown as new (url: string, protocols?: string | string[]) => T,
    sockets,
    last(): T {
      const socket = sockets.at(-1);
      if (!socket) throw new Error('no socket was made');
      return socket;
    },
    /** Sockets the reconnecting socket has not let go of. */
    live(): T[] {
      return sockets.filter((socket) => !socket.released);
    },
  };
}
