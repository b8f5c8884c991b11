// The events a WebSocket fires (WHATWG WebSockets §"Feedback from the protocol"). Node 20 has
// EventTarget and MessageEvent but no CloseEvent and no ErrorEvent; these follow their IDL.

export interface CloseEventInit extends EventInit {
  wasClean?: boolean;
  code?: number;
  reason?: string;
  /**
   * Not in WHATWG: the close code this client put in its own close frame, when it sent one.
   * When the client failed the connection (a protocol error), `code` is 1006 as the spec says
   * and `sentCode` tells which code went to the server (1002, 1007, 1009…).
   */
  sentCode?: number | undefined;
}

/** WHATWG `CloseEvent`, as Node 20 lacks the global (Node 24 has it). */
export class CloseEvent extends Event {
  readonly wasClean: boolean;
  readonly code: number;
  readonly reason: string;
  /** Not in WHATWG: see `CloseEventInit.sentCode`. */
  readonly sentCode: number | undefined;

  constructor(type: string, init: CloseEventInit = {}) {
    super(type, init);
    this.wasClean = init.wasClean ?? false;
    this.code = init.code ?? 0;
    this.reason = init.reason ?? '';
    this.sentCode = init.sentCode;
  }
}

export interface ErrorEventInit extends EventInit {
  message?: string;
  error?: unknown;
}

/**
 * The `error` event. WHATWG fires a plain `Event`; this one also carries what went wrong, shaped
 * like the HTML `ErrorEvent` (`message`, `error`): a `HandshakeError` when the connection never
 * opened, a `ProtocolError` when the server broke RFC 6455, or the socket's own error.
 */
export class ErrorEvent extends Event {
  readonly message: string;
  readonly error: unknown;

  constructor(type: string, init: ErrorEventInit = {}) {
    super(type, init);
    this.message = init.message ?? '';
    this.error = init.error;
  }
}

/**
 * The `message` event: a WHATWG `MessageEvent` (`event instanceof MessageEvent` holds, and it has
 * `data`, `origin`, `lastEventId`, `source`, `ports`), made for the hot path. Node's own
 * `MessageEvent` constructor converts its whole init dictionary (WebIDL) and was a third of the
 * CPU of receiving a small message; this one stores two fields. It extends `Event` (so
 * `dispatchEvent` accepts it) and takes `MessageEvent.prototype` as its prototype's prototype,
 * with its own accessors in front of the native ones (which would reject an object they did not
 * construct).
 */
export class WebSocketMessageEvent extends Event {
  readonly #data: unknown;
  readonly #origin: string;

  constructor(type: string, data: unknown, origin: string) {
    super(type);
    this.#data = data;
    this.#origin = origin;
  }

  get data(): unknown {
    return this.#data;
  }
  get origin(): string {
    return this.#origin;
  }
}

const EMPTY_PORTS: readonly never[] = Object.freeze([]);

/**
 * Makes a class's instances WebSocket `MessageEvent`s: `MessageEvent.prototype` (where the runtime
 * has it) behind `prototype`, and the members that are the same for every WebSocket message —
 * `lastEventId` `''`, `source` `null`, `ports` empty (WHATWG WebSockets), and the legacy
 * `initMessageEvent`, a no-op as for a dispatched event. The class itself defines `data` and
 * `origin`: the runtime's accessors would reject an object its own constructor did not make.
 */
export function makeMessageEventClass(prototype: object): void {
  if (typeof MessageEvent === 'function') Object.setPrototypeOf(prototype, MessageEvent.prototype);
  Object.defineProperties(prototype, {
    [Symbol.toStringTag]: { value: 'MessageEvent', configurable: true },
    lastEventId: { get: () => '', enumerable: true, configurable: true },
    source: { get: () => null, enumerable: true, configurable: true },
    ports: { get: () => EMPTY_PORTS, enumerable: true, configurable: true },
    initMessageEvent: { value: () => {}, writable: true, configurable: true },
  });
}

makeMessageEventClass(WebSocketMessageEvent.prototype);
