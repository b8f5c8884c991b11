// The behavioural suite every runtime runs against e2e/shared/behaviour-server.mjs: written once,
// run by vitest (Node), Playwright (Chromium page and Worker), `deno test` and `bun test`. It
// imports nothing, so each runner can load it as it is; it needs no `expect` library.

/** The part of the WHATWG `WebSocket` interface the suite exercises. */
export interface SuiteSocket {
  readonly readyState: number;
  readonly url: string;
  readonly protocol: string;
  readonly extensions: string;
  binaryType: string;
  send(data: string | ArrayBufferLike | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
}

/** The second argument of a transport's `createWebSocket`, as far as the suite uses it. */
export interface SuiteSocketOptions {
  protocols?: string[];
  headers?: Record<string, string>;
}

/** What the suite runs against. URLs are functions: runners learn the port after defining tests. */
export interface BehaviourTarget {
  /** `ws://127.0.0.1:PORT` of a running behaviour server, without a trailing slash. */
  baseUrl(): string;
  /** A `ws://127.0.0.1:PORT/` URL with nothing listening. */
  refusedUrl(): string;
  /** The transport under test: opens a socket, as `sturdysocket`'s `createWebSocket` does. */
  createWebSocket(url: string, options?: SuiteSocketOptions): SuiteSocket;
  /**
   * Known deviations of the runtime's WebSocket from WHATWG, each asserted exactly (so a runtime
   * that fixes one makes its runner fail until the quirk is removed).
   */
  quirks?: BehaviourQuirks;
}

export interface BehaviourQuirks {
  /**
   * The `close` event's code after a connection that never opened. WHATWG says 1006; Deno 2.9
   * dispatches a bare `new CloseEvent('close')`, so 0.
   * @default 1006
   */
  failedConnectionCloseCode?: number;
  /**
   * `close()` turns a fractional code into an integer by truncating it (`2999.5` is 2999, so it
   * throws) where WebIDL's `[Clamp]` rounds to the nearest integer, ties to even (`2999.5` is 3000).
   * Chromium does.
   * @default false
   */
  closeCodeTruncated?: boolean;
  /**
   * `close(undefined, reason)` takes the `undefined` code as 0 and throws `InvalidAccessError`,
   * where WebIDL takes an optional argument given as `undefined` as missing (and WHATWG then
   * closes with 1000). Chromium does.
   * @default false
   */
  undefinedCloseCodeIsZero?: boolean;
}

/** One named behaviour. */
export interface BehaviourCase {
  readonly name: string;
  run(target: BehaviourTarget): Promise<void>;
}

/** The `test(name, fn)` of whichever runner hosts the suite. */
export type TestFunction = (name: string, fn: () => Promise<void>) => void;

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;
const STEP_TIMEOUT_MS = 10_000;

export class AssertionError extends Error {
  override name = 'AssertionError';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

export function assertEqual<T>(actual: T, expected: T, what: string): void {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** Asserts `fn` throws synchronously an error whose `name` is `name` (TypeError, SyntaxError…). */
export function assertThrows(fn: () => unknown, name: string, what: string): void {
  try {
    fn();
  } catch (error) {
    assertEqual((error as { name?: unknown }).name, name, `${what}: error name`);
    return;
  }
  throw new AssertionError(`${what}: expected a ${name}, nothing was thrown`);
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new AssertionError(`Timed out after ${STEP_TIMEOUT_MS} ms: ${what}`)),
      STEP_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** What a socket went through, recorded from its creation. */
interface Recorder {
  readonly events: string[];
  readonly messages: unknown[];
  /** Resolves on `open`; rejects if the socket closes first. */
  opened(): Promise<void>;
  /** Resolves with the `close` event's code, reason and wasClean. */
  closed(): Promise<{ code: number; reason: string; wasClean: boolean }>;
  /** Resolves once `count` messages have arrived. */
  received(count: number): Promise<unknown[]>;
}

function record(socket: SuiteSocket): Recorder {
  const events: string[] = [];
  const messages: unknown[] = [];
  const waiters: Array<{ count: number; resolve: (messages: unknown[]) => void }> = [];
  let onOpen: () => void = () => {};
  let onEarlyClose: (reason: Error) => void = () => {};
  const opened = new Promise<void>((resolve, reject) => {
    onOpen = resolve;
    onEarlyClose = reject;
  });
  // A test that never awaits `opened` must not see an unhandled rejection.
  opened.catch(() => {});
  const closed = new Promise<{ code: number; reason: string; wasClean: boolean }>((resolve) => {
    socket.addEventListener('close', (closeEvent) => {
      const event = closeEvent as unknown as { code: number; reason: string; wasClean: boolean };
      events.push('close');
      onEarlyClose(new AssertionError(`Closed before opening (code ${event.code})`));
      resolve({ code: event.code, reason: event.reason, wasClean: event.wasClean });
    });
  });
  socket.addEventListener('open', () => {
    events.push('open');
    onOpen();
  });
  socket.addEventListener('error', () => {
    events.push('error');
  });
  socket.addEventListener('message', (event) => {
    messages.push((event as MessageEvent).data);
    for (const waiter of [...waiters]) {
      if (messages.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(messages.slice());
      }
    }
  });
  return {
    events,
    messages,
    opened: () => withTimeout(opened, 'open'),
    closed: () => withTimeout(closed, 'close'),
    received: (count) =>
      withTimeout(
        messages.length >= count
          ? Promise.resolve(messages.slice())
          : new Promise<unknown[]>((resolve) => waiters.push({ count, resolve })),
        `${count} message(s)`,
      ),
  };
}

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}

function patternBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let index = 0; index < length; index++) bytes[index] = (index * 31 + (index >>> 8)) & 0xff;
  return bytes;
}

function assertBytes(actual: unknown, expected: Uint8Array, what: string): void {
  assert(isArrayBuffer(actual), `${what}: expected an ArrayBuffer, got ${Object.prototype.toString.call(actual)}`);
  const bytes = new Uint8Array(actual);
  assertEqual(bytes.length, expected.length, `${what}: length`);
  for (let index = 0; index < bytes.length; index++) {
    if (bytes[index] !== expected[index]) throw new AssertionError(`${what}: byte ${index} differs`);
  }
}

async function openEcho(target: BehaviourTarget): Promise<{ socket: SuiteSocket; recorder: Recorder }> {
  const socket = target.createWebSocket(`${target.baseUrl()}/echo`);
  const recorder = record(socket);
  await recorder.opened();
  return { socket, recorder };
}

async function closeNormally(socket: SuiteSocket, recorder: Recorder): Promise<void> {
  socket.close(1000);
  const close = await recorder.closed();
  assertEqual(close.code, 1000, 'close code after a normal close');
}

/** The behaviours every transport shares. */
export const behaviourCases: readonly BehaviourCase[] = [
  {
    name: 'connects: CONNECTING, then open with the WHATWG attributes',
    async run(target) {
      const url = `${target.baseUrl()}/echo`;
      const socket = target.createWebSocket(url);
      assertEqual(socket.readyState, CONNECTING, 'readyState before open');
      const recorder = record(socket);
      await recorder.opened();
      assertEqual(socket.readyState, OPEN, 'readyState after open');
      assertEqual(socket.url, url, 'url');
      assertEqual(socket.protocol, '', 'protocol when none was offered');
      assertEqual(typeof socket.extensions, 'string', 'typeof extensions');
      socket.close(1000, 'done');
      const close = await recorder.closed();
      assertEqual(socket.readyState, CLOSED, 'readyState after close');
      assertEqual(close.wasClean, true, 'wasClean');
      assertEqual(recorder.events.join(','), 'open,close', 'event order');
    },
  },
  {
    name: 'echoes text, including non-ASCII characters',
    async run(target) {
      const { socket, recorder } = await openEcho(target);
      const text = 'héllo ✓ 🧦 — sturdy';
      socket.send(text);
      const [echoed] = await recorder.received(1);
      assertEqual(typeof echoed, 'string', 'typeof a text message');
      assertEqual(echoed, text, 'echoed text');
      await closeNormally(socket, recorder);
    },
  },
  {
    name: 'echoes binary as an ArrayBuffer when binaryType is arraybuffer',
    async run(target) {
      const { socket, recorder } = await openEcho(target);
      socket.binaryType = 'arraybuffer';
      const bytes = patternBytes(256);
      socket.send(bytes);
      socket.send(new Uint8Array(0));
      const [echoed, empty] = await recorder.received(2);
      assertBytes(echoed, bytes, 'echoed bytes');
      assertBytes(empty, new Uint8Array(0), 'echoed empty message');
      await closeNormally(socket, recorder);
    },
  },
  {
    name: 'echoes a 1 MiB binary message (64-bit length) intact',
    async run(target) {
      const { socket, recorder } = await openEcho(target);
      socket.binaryType = 'arraybuffer';
      const bytes = patternBytes(1024 * 1024);
      socket.send(bytes.buffer);
      const [echoed] = await recorder.received(1);
      assertBytes(echoed, bytes, 'echoed 1 MiB');
      await closeNormally(socket, recorder);
    },
  },
  {
    name: 'negotiates the subprotocol the server prefers among those offered',
    async run(target) {
      const socket = target.createWebSocket(`${target.baseUrl()}/protocols`, {
        protocols: ['sturdy.v1', 'sturdy.v2'],
      });
      const recorder = record(socket);
      await recorder.opened();
      assertEqual(socket.protocol, 'sturdy.v2', 'negotiated protocol');
      socket.send('after negotiation');
      const [echoed] = await recorder.received(1);
      assertEqual(echoed, 'after negotiation', 'echo on the negotiated protocol');
      await closeNormally(socket, recorder);
    },
  },
  {
    name: 'refuses a subprotocol that is not a token with a SyntaxError',
    async run(target) {
      assertThrows(
        () => target.createWebSocket(`${target.baseUrl()}/protocols`, { protocols: ['not a token'] }),
        'SyntaxError',
        'protocol with spaces',
      );
      assertThrows(
        () => target.createWebSocket(`${target.baseUrl()}/protocols`, { protocols: ['sturdy.v1', 'sturdy.v1'] }),
        'SyntaxError',
        'repeated protocol',
      );
    },
  },
  {
    name: "reports the server's close code and reason",
    async run(target) {
      const reason = 'gone away ✓';
      const socket = target.createWebSocket(`${target.baseUrl()}/close?code=4321&reason=${encodeURIComponent(reason)}`);
      const recorder = record(socket);
      const close = await recorder.closed();
      assertEqual(close.code, 4321, 'close code');
      assertEqual(close.reason, reason, 'close reason');
      assertEqual(close.wasClean, true, 'wasClean');
      assertEqual(recorder.events.join(','), 'open,close', 'events');
    },
  },
  {
    name: "sends the client's close code and reason (the server echoes them back)",
    async run(target) {
      const { socket, recorder } = await openEcho(target);
      socket.close(4000, 'done ✓');
      const close = await recorder.closed();
      assertEqual(close.code, 4000, 'close code');
      assertEqual(close.reason, 'done ✓', 'close reason');
      assertEqual(close.wasClean, true, 'wasClean');
    },
  },
  {
    name: 'refuses a reserved close code (InvalidAccessError) and a reason over 123 bytes (SyntaxError)',
    async run(target) {
      const { socket, recorder } = await openEcho(target);
      assertThrows(() => socket.close(1001), 'InvalidAccessError', 'close(1001)');
      assertThrows(() => socket.close(5000), 'InvalidAccessError', 'close(5000)');
      // 62 two-byte characters: 124 UTF-8 bytes, though only 62 UTF-16 units.
      assertThrows(() => socket.close(4000, 'é'.repeat(62)), 'SyntaxError', 'a 124-byte reason');
      assertEqual(socket.readyState, OPEN, 'readyState after refused close calls');
      socket.send('still open');
      const [echoed] = await recorder.received(1);
      assertEqual(echoed, 'still open', 'echo after refused close calls');
      socket.close(4000, 'é'.repeat(61));
      const close = await recorder.closed();
      assertEqual(close.reason, 'é'.repeat(61), 'a 122-byte reason');
    },
  },
  {
    name: 'converts close() arguments as WebIDL does before checking them ([Clamp] unsigned short, USVString)',
    async run(target) {
      const { socket, recorder } = await openEcho(target);
      // Arguments TypeScript would refuse, as a script may pass them.
      const close = socket.close as (...args: unknown[]) => void;
      const closeWith =
        (...args: unknown[]) =>
        () =>
          close.apply(socket, args);
      // A string that is not a number is 0 (web-platform-tests' Close-onlyReason), so is NaN.
      assertThrows(closeWith('Close with only reason'), 'InvalidAccessError', "close('Close with only reason')");
      assertThrows(closeWith(Number.NaN), 'InvalidAccessError', 'close(NaN)');
      assertThrows(
        closeWith(66_536),
        'InvalidAccessError',
        'close(66536), clamped to 65535 rather than wrapped to 1000',
      );
      assertThrows(closeWith(Symbol('code')), 'TypeError', 'close(Symbol())');
      // Both arguments are converted before either is checked.
      assertThrows(closeWith(1001, Symbol('reason')), 'TypeError', 'close(1001, Symbol())');
      // A lone surrogate becomes U+FFFD, three UTF-8 bytes: 42 of them are 126 bytes.
      assertThrows(closeWith(4000, '\ud800'.repeat(42)), 'SyntaxError', 'a reason of 42 lone surrogates');
      assertEqual(socket.readyState, OPEN, 'readyState after refused close calls');
      if (target.quirks?.closeCodeTruncated) {
        assertThrows(closeWith(2999.5, 'rounded'), 'InvalidAccessError', 'close(2999.5), truncated to 2999');
        close.call(socket, 3000.9, 'rounded');
      } else {
        assertThrows(closeWith(4999.5), 'InvalidAccessError', 'close(4999.5), rounded to the even 5000');
        close.call(socket, 2999.5, 'rounded');
      }
      const closed = await recorder.closed();
      assertEqual(closed.code, 3000, 'the code of the fractional close() that was sent');
      assertEqual(closed.reason, 'rounded', 'close reason');
    },
  },
  {
    name: 'sends 1000 for a close() with a reason and an undefined code',
    async run(target) {
      const { socket, recorder } = await openEcho(target);
      const close = socket.close as (...args: unknown[]) => void;
      if (target.quirks?.undefinedCloseCodeIsZero) {
        assertThrows(() => close.call(socket, undefined, 'only a reason'), 'InvalidAccessError', 'close(undefined, …)');
        socket.close(1000, 'only a reason');
      } else close.call(socket, undefined, 'only a reason');
      const closed = await recorder.closed();
      assertEqual(closed.code, 1000, 'close code');
      assertEqual(closed.reason, 'only a reason', 'close reason');
      assertEqual(closed.wasClean, true, 'wasClean');
    },
  },
  {
    name: 'fails a refused TCP connection with error, then close 1006, never open',
    async run(target) {
      const socket = target.createWebSocket(target.refusedUrl());
      const recorder = record(socket);
      const close = await recorder.closed();
      assertEqual(close.code, target.quirks?.failedConnectionCloseCode ?? 1006, 'close code');
      assertEqual(close.wasClean, false, 'wasClean');
      assertEqual(recorder.events.join(','), 'error,close', 'events');
      assertEqual(socket.readyState, CLOSED, 'readyState');
    },
  },
  {
    name: 'fails a refused upgrade (HTTP 403) with error, then close 1006, never open',
    async run(target) {
      const socket = target.createWebSocket(`${target.baseUrl()}/reject?status=403`);
      const recorder = record(socket);
      const close = await recorder.closed();
      assertEqual(close.code, target.quirks?.failedConnectionCloseCode ?? 1006, 'close code');
      assertEqual(close.wasClean, false, 'wasClean');
      assertEqual(recorder.events.join(','), 'error,close', 'events');
    },
  },
  {
    name: 'keeps 1000 messages, text and binary interleaved, in order',
    async run(target) {
      const { socket, recorder } = await openEcho(target);
      socket.binaryType = 'arraybuffer';
      const count = 1000;
      for (let index = 0; index < count; index++) {
        if (index % 10 === 9) socket.send(new Uint32Array([index]));
        else socket.send(`message ${index}`);
      }
      const messages = await recorder.received(count);
      for (let index = 0; index < count; index++) {
        const message = messages[index];
        if (index % 10 === 9) {
          assert(isArrayBuffer(message), `message ${index} should be binary`);
          assertEqual(new Uint32Array(message)[0], index, `binary message ${index}`);
        } else {
          assertEqual(message, `message ${index}`, `text message ${index}`);
        }
      }
      await closeNormally(socket, recorder);
    },
  },
];

/** Behaviours of transports that send handshake headers (`capabilities.headers === true`). */
export const headerCases: readonly BehaviourCase[] = [
  {
    name: 'sends handshake headers: Authorization and custom headers reach the server',
    async run(target) {
      const socket = target.createWebSocket(`${target.baseUrl()}/headers`, {
        headers: { Authorization: 'Bearer sturdy-token-1', 'X-Sturdy-Trace': 'trace-42' },
      });
      const recorder = record(socket);
      const [report] = await recorder.received(1);
      const received = JSON.parse(String(report)) as Record<string, string>;
      assertEqual(received.authorization, 'Bearer sturdy-token-1', 'Authorization at the server');
      assertEqual(received['x-sturdy-trace'], 'trace-42', 'X-Sturdy-Trace at the server');
      await closeNormally(socket, recorder);
    },
  },
  {
    name: 'sends headers and subprotocols together',
    async run(target) {
      const socket = target.createWebSocket(`${target.baseUrl()}/headers`, {
        protocols: ['sturdy.v1'],
        headers: { Authorization: 'Bearer sturdy-token-2' },
      });
      const recorder = record(socket);
      const [report] = await recorder.received(1);
      const received = JSON.parse(String(report)) as Record<string, string>;
      assertEqual(received.authorization, 'Bearer sturdy-token-2', 'Authorization at the server');
      assertEqual(received['sec-websocket-protocol'], 'sturdy.v1', 'protocols offered');
      assertEqual(socket.protocol, 'sturdy.v1', 'negotiated protocol');
      await closeNormally(socket, recorder);
    },
  },
  {
    name: 'refuses to set a header the handshake owns, and a value with CR/LF, with a TypeError',
    async run(target) {
      const url = `${target.baseUrl()}/headers`;
      assertThrows(
        () => target.createWebSocket(url, { headers: { 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' } }),
        'TypeError',
        'Sec-WebSocket-Key',
      );
      assertThrows(() => target.createWebSocket(url, { headers: { Host: 'elsewhere' } }), 'TypeError', 'Host');
      assertThrows(
        () => target.createWebSocket(url, { headers: { 'X-Injected': 'a\r\nEvil: 1' } }),
        'TypeError',
        'CR/LF in a value',
      );
    },
  },
];

/** Registers every case in `cases` with the host runner's `test`. */
export function defineBehaviourSuite(
  test: TestFunction,
  target: BehaviourTarget,
  cases: readonly BehaviourCase[] = behaviourCases,
): void {
  for (const behaviour of cases) test(behaviour.name, () => behaviour.run(target));
}

/** Runs the case named `name`; for runners (a page, a Worker) that receive names over a channel. */
export async function runBehaviourCase(name: string, target: BehaviourTarget): Promise<void> {
  const behaviour = [...behaviourCases, ...headerCases].find((candidate) => candidate.name === name);
  if (behaviour === undefined) throw new Error(`No behaviour named ${JSON.stringify(name)}`);
  await behaviour.run(target);
}
