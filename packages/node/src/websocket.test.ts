import { createHash } from 'node:crypto';
// The Node WebSocket against a real `ws` server in this process.
import type { AddressInfo } from 'node:net';
import { HandshakeError } from '@sturdysocket/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket as ServerSocket, WebSocketServer } from 'ws';
import { CloseEvent } from './events.js';
import { WebSocket } from './websocket.js';

/** Resolves once `condition` holds (checked every 5 ms); the test's timeout bounds the wait. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

interface ServerSide {
  readonly socket: ServerSocket;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly received: Array<{ data: Buffer; isBinary: boolean }>;
  readonly closed: Promise<{ code: number; reason: string }>;
}

let server: WebSocketServer;
let base: string;
const connections: ServerSide[] = [];
const connectionWaiters: Array<(side: ServerSide) => void> = [];

beforeAll(async () => {
  server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (protocols) => (protocols.has('chat.v2') ? 'chat.v2' : protocols.has('chat') ? 'chat' : false),
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.on('connection', (socket, request) => {
    const received: ServerSide['received'] = [];
    const side: ServerSide = {
      socket,
      headers: request.headers,
      received,
      closed: new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) }))),
    };
    connections.push(side);
    connectionWaiters.shift()?.(side);
    socket.on('message', (data, isBinary) => {
      const bytes = data as Buffer;
      received.push({ data: bytes, isBinary });
      if (request.url === '/echo') socket.send(bytes, { binary: isBinary });
    });
    if (request.url === '/close-4001') socket.close(4001, 'server closes');
    if (request.url === '/greet-then-close') {
      socket.send('hello');
      socket.close(1000);
    }
  });
});

afterAll(async () => {
  for (const client of server.clients) client.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function nextConnection(): Promise<ServerSide> {
  return new Promise((resolve) => connectionWaiters.push(resolve));
}

function once<T extends Event>(target: EventTarget, type: string): Promise<T> {
  return new Promise((resolve) => target.addEventListener(type, (event) => resolve(event as T), { once: true }));
}

async function openSocket(path = '/echo', ...rest: [] | [ConstructorParameters<typeof WebSocket>[1], ...unknown[]]) {
  const socket = new WebSocket(`${base}${path}`, ...(rest as [undefined]));
  const server = nextConnection();
  await once(socket, 'open');
  return { socket, server: await server };
}

function nextMessage(socket: WebSocket): Promise<MessageEvent> {
  return once<MessageEvent>(socket, 'message');
}

async function closeAndWait(socket: WebSocket): Promise<CloseEvent> {
  const closed = once<CloseEvent>(socket, 'close');
  if (socket.readyState < WebSocket.CLOSING) socket.close();
  return closed;
}

describe('the WHATWG interface', () => {
  it('has the readyState constants on the class and the instance', async () => {
    expect([WebSocket.CONNECTING, WebSocket.OPEN, WebSocket.CLOSING, WebSocket.CLOSED]).toEqual([0, 1, 2, 3]);
    const { socket } = await openSocket();
    expect([socket.CONNECTING, socket.OPEN, socket.CLOSING, socket.CLOSED]).toEqual([0, 1, 2, 3]);
    await closeAndWait(socket);
  });

  it('is CONNECTING, then OPEN with url, protocol, extensions and binaryType', async () => {
    const socket = new WebSocket(`${base}/echo`);
    expect(socket.readyState).toBe(WebSocket.CONNECTING);
    expect(socket.url).toBe(`${base}/echo`);
    expect(socket.protocol).toBe('');
    expect(socket.binaryType).toBe('blob');
    expect(socket.bufferedAmount).toBe(0);
    await once(socket, 'open');
    expect(socket.readyState).toBe(WebSocket.OPEN);
    expect(socket.extensions).toBe('');
    await closeAndWait(socket);
    expect(socket.readyState).toBe(WebSocket.CLOSED);
  });

  it('maps http: to ws:', () => {
    const socket = new WebSocket(`${base.replace('ws:', 'http:')}/echo`);
    expect(socket.url).toBe(`${base}/echo`);
    socket.terminate();
  });

  it('ignores a binaryType outside the enumeration', async () => {
    const socket = new WebSocket(`${base}/echo`);
    socket.binaryType = 'arraybuffer';
    socket.binaryType = 'string' as never;
    expect(socket.binaryType).toBe('arraybuffer');
    socket.terminate();
  });

  it('gives a lone onmessage handler an event that reads as a dispatched one', async () => {
    const { socket, server } = await openSocket();
    const seen = await new Promise<Record<string, unknown>>((resolve) => {
      socket.onmessage = function (this: WebSocket, event) {
        resolve({
          self: this,
          event,
          target: event.target,
          currentTarget: event.currentTarget,
          eventPhase: event.eventPhase,
          data: event.data,
          origin: event.origin,
          timeStamp: event.timeStamp,
        });
      };
      server.socket.send('hi');
    });
    expect(seen.self).toBe(socket);
    expect(seen.event).toBeInstanceOf(MessageEvent);
    expect(seen.target).toBe(socket);
    expect(seen.currentTarget).toBe(socket);
    expect(seen.eventPhase).toBe(Event.AT_TARGET);
    expect(seen).toMatchObject({ data: 'hi', origin: new URL(base).origin });
    expect(seen.timeStamp).toBeGreaterThan(0);
    expect(seen.timeStamp).toBeLessThanOrEqual(performance.now());
    // After the handler returned, as after a dispatch.
    const event = seen.event as MessageEvent;
    expect(event.currentTarget).toBeNull();
    expect(event.eventPhase).toBe(Event.NONE);
    socket.close();
  });

  it('keeps onmessage and message listeners in registration order, also after a listener is removed', async () => {
    const { socket, server } = await openSocket();
    const order: string[] = [];
    socket.onmessage = (event) => order.push(`onmessage:${event.data}`);
    const listener = (event: MessageEvent) => order.push(`listener:${event.data}`);
    const sendAndWait = async (text: string, count: number) => {
      server.socket.send(text);
      await until(() => order.length === count);
    };
    await sendAndWait('a', 1);
    socket.addEventListener('message', listener);
    await sendAndWait('b', 3);
    socket.removeEventListener('message', listener);
    await sendAndWait('c', 4);
    socket.onmessage = null;
    socket.addEventListener('message', listener);
    await sendAndWait('d', 5);
    expect(order).toEqual(['onmessage:a', 'onmessage:b', 'listener:b', 'onmessage:c', 'listener:d']);
    socket.close();
  });

  it('fires on… handlers with addEventListener listeners, in registration order', async () => {
    const socket = new WebSocket(`${base}/greet-then-close`);
    const order: string[] = [];
    socket.addEventListener('open', () => order.push('listener:open'));
    socket.onopen = () => order.push('onopen');
    socket.onmessage = (event) => order.push(`onmessage:${event.data}`);
    socket.onerror = () => order.push('onerror');
    const closed = new Promise<void>((resolve) => {
      socket.onclose = (event) => {
        order.push(`onclose:${event.code}`);
        resolve();
      };
    });
    await closed;
    expect(order).toEqual(['listener:open', 'onopen', 'onmessage:hello', 'onclose:1000']);
    expect(socket.onopen).toBeTypeOf('function');
    socket.onopen = null;
    expect(socket.onopen).toBeNull();
  });

  it('calls each socket’s own on… handler with the socket as this, and re-adds a cleared one last', () => {
    const first = new WebSocket(`${base}/echo`);
    const second = new WebSocket(`${base}/echo`);
    const seen: string[] = [];
    first.onmessage = function (this: WebSocket) {
      seen.push(this === first ? 'first' : 'wrong');
    };
    second.onmessage = function (this: WebSocket) {
      seen.push(this === second ? 'second' : 'wrong');
    };
    first.dispatchEvent(new Event('message'));
    second.dispatchEvent(new Event('message'));
    second.onmessage = null;
    second.dispatchEvent(new Event('message'));
    first.onerror = () => seen.push('onerror');
    first.addEventListener('error', () => seen.push('listener'));
    first.onerror = 'not a function' as never;
    expect(first.onerror).toBeNull();
    first.onerror = () => seen.push('onerror again');
    first.dispatchEvent(new Event('error'));
    expect(seen).toEqual(['first', 'second', 'listener', 'onerror again']);
    first.terminate();
    second.terminate();
  });

  it('replacing an on… handler keeps one listener', async () => {
    const { socket, server } = await openSocket();
    const seen: string[] = [];
    socket.onmessage = () => seen.push('first');
    socket.onmessage = () => seen.push('second');
    server.socket.send('x');
    await nextMessage(socket);
    expect(seen).toEqual(['second']);
    await closeAndWait(socket);
  });
});

describe('messages', () => {
  it('echoes text, counting non-ASCII text in UTF-8 bytes', async () => {
    const { socket, server } = await openSocket();
    socket.send('héllo wörld ✓');
    const event = await nextMessage(socket);
    expect(event).toBeInstanceOf(MessageEvent);
    expect(event.data).toBe('héllo wörld ✓');
    expect(event.origin).toBe(base);
    expect(server.received[0]).toEqual({ data: Buffer.from('héllo wörld ✓'), isBinary: false });
    await closeAndWait(socket);
  });

  it('sends lone surrogates as U+FFFD (USVString)', async () => {
    const { socket } = await openSocket();
    socket.send('a\uD800b');
    expect((await nextMessage(socket)).data).toBe('a\uFFFDb');
    await closeAndWait(socket);
  });

  it.each([0, 1, 125, 126, 65535, 65536, 1024 * 1024])('echoes %i binary bytes', async (size) => {
    const { socket } = await openSocket();
    socket.binaryType = 'nodebuffer';
    const payload = Buffer.alloc(size);
    for (let i = 0; i < size; i++) payload[i] = (i * 31) & 0xff;
    socket.send(payload);
    const event = await nextMessage(socket);
    expect(Buffer.compare(event.data as Buffer, payload)).toBe(0);
    await closeAndWait(socket);
  });

  it('delivers binary data as a Blob by default, ArrayBuffer or Buffer on request', async () => {
    const { socket } = await openSocket();
    socket.send(new Uint8Array([1, 2, 3]));
    const asBlob = (await nextMessage(socket)).data;
    expect(asBlob).toBeInstanceOf(Blob);
    expect([...new Uint8Array(await (asBlob as Blob).arrayBuffer())]).toEqual([1, 2, 3]);

    socket.binaryType = 'arraybuffer';
    socket.send(new Uint16Array([0x0102]));
    const asArrayBuffer = (await nextMessage(socket)).data;
    expect(asArrayBuffer).toBeInstanceOf(ArrayBuffer);
    expect((asArrayBuffer as ArrayBuffer).byteLength).toBe(2);

    socket.binaryType = 'nodebuffer';
    socket.send(new DataView(new Uint8Array([9, 8, 7, 6]).buffer, 1, 2));
    const asBuffer = (await nextMessage(socket)).data;
    expect(Buffer.isBuffer(asBuffer)).toBe(true);
    expect([...(asBuffer as Buffer)]).toEqual([8, 7]);
    await closeAndWait(socket);
  });

  it('gives every empty binary message an ArrayBuffer of its own, not one shared by all', async () => {
    const first = await openSocket();
    const second = await openSocket();
    const received: ArrayBuffer[] = [];
    for (const { socket, server } of [first, second]) {
      socket.binaryType = 'arraybuffer';
      socket.onmessage = (event) => received.push(event.data as ArrayBuffer);
      server.socket.send(Buffer.alloc(0), { binary: true });
      server.socket.send(Buffer.alloc(0), { binary: true });
    }
    await until(() => received.length === 4);
    expect(received.every((data) => data instanceof ArrayBuffer && data.byteLength === 0)).toBe(true);
    expect(new Set(received).size).toBe(4);
    await closeAndWait(first.socket);
    await closeAndWait(second.socket);
  });

  it('keeps Blob sends in order with the sends around them', async () => {
    const { socket, server } = await openSocket('/collect');
    socket.send('one');
    socket.send(new Blob(['two']));
    socket.send('three');
    const view = new Uint8Array([4]);
    socket.send(view);
    view[0] = 99; // changed after send(): the message must carry the bytes at call time
    const buffer = Buffer.from([6]); // a Buffer's slice() is a view: it needs a real copy
    socket.send(buffer);
    buffer[0] = 99;
    socket.send(new Blob([new Uint8Array([5, 5])]));
    socket.close(1000, 'after the blobs');
    const closed = await server.closed;
    expect(server.received.map(({ data, isBinary }) => (isBinary ? [...data] : String(data)))).toEqual([
      'one',
      [...Buffer.from('two')],
      'three',
      [4],
      [6],
      [5, 5],
    ]);
    expect(closed).toEqual({ code: 1000, reason: 'after the blobs' });
  });

  it('sends a Blob first, after the socket has been idle, with close() behind it', async () => {
    const { socket, server } = await openSocket('/collect');
    await new Promise((resolve) => setTimeout(resolve, 20));
    socket.send(new Blob(['blob first']));
    socket.send('then text');
    socket.close(1000);
    await server.closed;
    expect(server.received.map(({ data }) => String(data))).toEqual(['blob first', 'then text']);
  });
});

describe('bufferedAmount', () => {
  it('counts bytes handed to send() until the kernel has them, then falls to 0', async () => {
    const { socket, server } = await openSocket('/collect');
    socket.send('ab');
    socket.send('é');
    socket.send(new Uint8Array(10));
    socket.send(new Blob(['xyz']));
    expect(socket.bufferedAmount).toBe(2 + 2 + 10 + 3);
    while (server.received.length < 4) await new Promise((resolve) => setTimeout(resolve, 5));
    // The write callback may run a loop turn after the peer read the bytes.
    await until(() => socket.bufferedAmount === 0);
    await closeAndWait(socket);
  });

  it('grows when the peer does not read, and drains when it does', async () => {
    const { socket, server } = await openSocket('/collect');
    server.socket.pause();
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    // Far more than the kernel buffers hold.
    for (let i = 0; i < 64; i++) {
      socket.send(chunk);
      sent += chunk.byteLength;
    }
    expect(socket.bufferedAmount).toBe(sent);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stuck = socket.bufferedAmount;
    expect(stuck).toBeGreaterThan(0);
    expect(stuck).toBeLessThanOrEqual(sent);
    server.socket.resume();
    while (server.received.length < 64) await new Promise((resolve) => setTimeout(resolve, 10));
    // The write callback may run a loop turn after the peer read the bytes.
    await until(() => socket.bufferedAmount === 0);
    await closeAndWait(socket);
  });

  it('after close(), send() only adds to bufferedAmount', async () => {
    const { socket, server } = await openSocket('/collect');
    socket.close();
    socket.send('12345');
    socket.send(new Uint8Array(3));
    expect(socket.bufferedAmount).toBe(8);
    await once(socket, 'close');
    socket.send('x');
    expect(socket.bufferedAmount).toBe(9);
    await server.closed;
    expect(server.received).toEqual([]);
  });
});

describe('closing', () => {
  it('close(code, reason) reaches the server; the echo makes a clean close', async () => {
    const { socket, server } = await openSocket();
    const events: string[] = [];
    socket.addEventListener('close', () => events.push('close'));
    socket.close(4000, 'bye ✓');
    expect(socket.readyState).toBe(WebSocket.CLOSING);
    const closed = await once<CloseEvent>(socket, 'close');
    expect(closed).toBeInstanceOf(CloseEvent);
    expect(closed).toMatchObject({ code: 4000, reason: 'bye ✓', wasClean: true, sentCode: 4000 });
    expect(await server.closed).toEqual({ code: 4000, reason: 'bye ✓' });
    expect(events).toEqual(['close']);
  });

  it('close() without arguments sends a close frame without a code (1005)', async () => {
    const { socket, server } = await openSocket();
    const closed = await closeAndWait(socket);
    expect(closed).toMatchObject({ code: 1005, wasClean: true });
    expect((await server.closed).code).toBe(1005);
  });

  it('close(undefined, reason) sends 1000', async () => {
    const { socket, server } = await openSocket();
    socket.close(undefined, 'only a reason');
    expect(await server.closed).toEqual({ code: 1000, reason: 'only a reason' });
  });

  it("close(undefined, '') sends a close frame without a code, as close() does (WHATWG: 1000 only for a non-empty reason)", async () => {
    const { socket, server } = await openSocket();
    socket.close(undefined, '');
    expect((await server.closed).code).toBe(1005);
  });

  it('the server closes with a code and reason', async () => {
    const socket = new WebSocket(`${base}/close-4001`);
    const events: string[] = [];
    for (const type of ['open', 'error', 'close']) socket.addEventListener(type, () => events.push(type));
    const closed = await once<CloseEvent>(socket, 'close');
    expect(closed).toMatchObject({ code: 4001, reason: 'server closes', wasClean: true });
    expect(events).toEqual(['open', 'close']);
  });

  it('terminate() drops the connection: close 1006, not clean', async () => {
    const { socket, server } = await openSocket();
    socket.terminate();
    expect(socket.readyState).toBe(WebSocket.CLOSING);
    const closed = await once<CloseEvent>(socket, 'close');
    expect(closed).toMatchObject({ code: 1006, wasClean: false });
    expect((await server.closed).code).toBe(1006);
  });

  it('terminate() while CONNECTING fails the connection: error (aborted), then close 1006', async () => {
    const socket = new WebSocket(`${base}/echo`);
    const events: string[] = [];
    let error: unknown;
    socket.addEventListener('open', () => events.push('open'));
    socket.addEventListener('error', (event) => {
      events.push('error');
      error = event.error;
    });
    socket.terminate();
    const closed = await once<CloseEvent>(socket, 'close');
    expect(events).toEqual(['error']);
    expect(error).toBeInstanceOf(HandshakeError);
    expect((error as HandshakeError).reason).toBe('aborted');
    expect(closed).toMatchObject({ code: 1006, wasClean: false });
  });

  it('an abort signal has no effect once open', async () => {
    const controller = new AbortController();
    const { socket } = await openSocket('/echo', { signal: controller.signal });
    controller.abort();
    socket.send('still open');
    expect((await nextMessage(socket)).data).toBe('still open');
    expect(socket.readyState).toBe(WebSocket.OPEN);
    await closeAndWait(socket);
  });

  it('messages arriving after close() are dropped (WHATWG: only while OPEN)', async () => {
    const { socket, server } = await openSocket('/collect');
    const messages: unknown[] = [];
    socket.addEventListener('message', (event) => messages.push((event as MessageEvent).data));
    server.socket.send('before');
    await nextMessage(socket);
    socket.close();
    server.socket.send('after');
    await once(socket, 'close');
    expect(messages).toEqual(['before']);
  });
});

describe('exceptions WHATWG names', () => {
  // 1000.6 is 1001 once WebIDL has clamped and rounded it; NaN is 0.
  it.each([999, 1001, 1005, 1006, 2999, 5000, 1000.6, Number.NaN])(
    'close(%s) throws InvalidAccessError',
    async (code) => {
      const socket = new WebSocket(`${base}/echo`);
      expect(() => socket.close(code)).toThrowError(expect.objectContaining({ name: 'InvalidAccessError' }));
      expect(() => socket.close(code)).toThrow(DOMException);
      expect(socket.readyState).toBe(WebSocket.CONNECTING);
      socket.terminate();
    },
  );

  it('close() takes its code as a WebIDL [Clamp] unsigned short: 2999.5 goes out as 3000', async () => {
    const { socket, server } = await openSocket('/echo');
    socket.close(2999.5, 'rounded');
    expect(await server.closed).toEqual({ code: 3000, reason: 'rounded' });
    expect(await once<CloseEvent>(socket, 'close')).toMatchObject({ code: 3000, sentCode: 3000, wasClean: true });
  });

  it('close() with a reason over 123 UTF-8 bytes throws SyntaxError, even if 62 characters', () => {
    const socket = new WebSocket(`${base}/echo`);
    expect(() => socket.close(1000, 'é'.repeat(62))).toThrowError(expect.objectContaining({ name: 'SyntaxError' }));
    expect(() => socket.close(1000, 'a'.repeat(124))).toThrowError(expect.objectContaining({ name: 'SyntaxError' }));
    socket.close(1000, 'a'.repeat(123));
    expect(socket.readyState).toBe(WebSocket.CLOSING);
  });

  it('send() while CONNECTING throws InvalidStateError', () => {
    const socket = new WebSocket(`${base}/echo`);
    expect(() => socket.send('x')).toThrowError(expect.objectContaining({ name: 'InvalidStateError' }));
    expect(socket.bufferedAmount).toBe(0);
    socket.terminate();
  });

  it.each([
    ['not a url', 'SyntaxError'],
    ['ftp://example.com/', 'SyntaxError'],
    ['ws://example.com/#fragment', 'SyntaxError'],
  ])('new WebSocket(%j) throws %s', (url, name) => {
    expect(() => new WebSocket(url)).toThrowError(expect.objectContaining({ name }));
  });

  it('duplicate or malformed subprotocols throw SyntaxError', () => {
    expect(() => new WebSocket(`${base}/echo`, ['chat', 'chat'])).toThrowError(
      expect.objectContaining({ name: 'SyntaxError' }),
    );
    expect(() => new WebSocket(`${base}/echo`, 'not a token')).toThrowError(
      expect.objectContaining({ name: 'SyntaxError' }),
    );
  });

  it('a header with CR/LF throws TypeError; a negative timeout RangeError', () => {
    expect(() => new WebSocket(`${base}/echo`, { headers: { 'X-Evil': 'a\r\nInjected: yes' } })).toThrow(TypeError);
    expect(() => new WebSocket(`${base}/echo`, { handshakeTimeoutMs: -1 })).toThrow(RangeError);
  });
});

describe('subprotocols and handshake details', () => {
  it('negotiates a subprotocol given as the second argument', async () => {
    const { socket, server } = await openSocket('/echo', ['chat.v2', 'chat']);
    expect(socket.protocol).toBe('chat.v2');
    expect(server.headers['sec-websocket-protocol']).toBe('chat.v2, chat');
    await closeAndWait(socket);
  });

  it('takes protocols and options from an options object', async () => {
    const { socket } = await openSocket('/echo', { protocols: 'chat' });
    expect(socket.protocol).toBe('chat');
    await closeAndWait(socket);
  });

  it('opens without a subprotocol when the server picks none, unless requireProtocol', async () => {
    const { socket } = await openSocket('/echo', ['other']);
    expect(socket.protocol).toBe('');
    await closeAndWait(socket);

    const strict = new WebSocket(`${base}/echo`, ['other'], { requireProtocol: true });
    const error = await once<Event & { error: unknown }>(strict, 'error');
    expect((error.error as HandshakeError).reason).toBe('missing-protocol');
  });

  it('exposes the handshake with secret request headers redacted', async () => {
    const { socket, server } = await openSocket('/echo', {
      headers: {
        Authorization: 'Bearer top-secret',
        Cookie: 'session=s3cr3t',
        'X-Api-Key': 'k3y',
        'X-Plain': 'visible',
      },
      secretHeaders: ['x-api-key'],
      origin: 'https://app.example',
    });
    expect(server.headers.authorization).toBe('Bearer top-secret');
    expect(server.headers['x-api-key']).toBe('k3y');
    expect(server.headers.origin).toBe('https://app.example');
    const handshake = socket.handshake;
    expect(handshake).toBeDefined();
    expect(handshake?.status).toBe(101);
    expect(handshake?.key).toBe(server.headers['sec-websocket-key']);
    expect(handshake?.accept).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    const request = Object.fromEntries(handshake?.requestHeaders ?? []);
    expect(request).toMatchObject({
      Authorization: '[redacted]',
      Cookie: '[redacted]',
      'X-Api-Key': '[redacted]',
      'X-Plain': 'visible',
      Upgrade: 'websocket',
    });
    expect(JSON.stringify(handshake)).not.toMatch(/top-secret|s3cr3t|k3y/);
    const response = Object.fromEntries(
      handshake?.responseHeaders.map(([name, value]) => [name.toLowerCase(), value]) ?? [],
    );
    expect(response['sec-websocket-accept']).toBe(handshake?.accept);
    await closeAndWait(socket);
  });

  it('exposes the handshake with a subprotocol that carries a credential redacted, and still offers it', async () => {
    const { socket, server } = await openSocket('/echo', {
      protocols: ['chat', 'bearer.c2VjcmV0'],
      secretProtocols: ['bearer.c2VjcmV0'],
    });
    expect(server.headers['sec-websocket-protocol']).toBe('chat, bearer.c2VjcmV0');
    const request = Object.fromEntries(socket.handshake?.requestHeaders ?? []);
    expect(request['Sec-WebSocket-Protocol']).toBe('chat, [redacted]');
    expect(JSON.stringify(socket.handshake)).not.toContain('c2VjcmV0');
    await closeAndWait(socket);
  });

  it('refuses a secretProtocols that is not a list', () => {
    expect(() => new WebSocket(base, { secretProtocols: 'bearer.x' as unknown as string[] })).toThrow(TypeError);
  });

  it('reports each connection’s own key and accept, though connections alike share what they keep', async () => {
    const first = await openSocket('/echo', { perMessageDeflate: false });
    const second = await openSocket('/echo', { perMessageDeflate: false });
    for (const { socket, server } of [first, second]) {
      const key = server.headers['sec-websocket-key'] as string;
      const handshake = socket.handshake;
      expect(handshake?.key).toBe(key);
      const expected = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      expect(handshake?.accept).toBe(expected);
      const response = new Map(handshake?.responseHeaders.map(([name, value]) => [name.toLowerCase(), value]));
      expect(response.get('sec-websocket-accept')).toBe(expected);
      expect(handshake?.requestHeaders).toContainEqual(['Sec-WebSocket-Key', key]);
    }
    expect(first.socket.handshake?.key).not.toBe(second.socket.handshake?.key);
    await Promise.all([closeAndWait(first.socket), closeAndWait(second.socket)]);
  });

  it('reports the request headers it sent without a headers option, though it keeps none of them', async () => {
    const protocols = ['chat', 'other'];
    const { socket, server } = await openSocket('/echo', { protocols, origin: 'https://app.example' });
    protocols.push('added-after-the-request'); // must not show up in what was sent
    await new Promise((resolve) => setTimeout(resolve, 20));
    const sent = socket.handshake?.requestHeaders ?? [];
    expect(sent.map(([name]) => name)).toEqual([
      'Host',
      'Upgrade',
      'Connection',
      'Sec-WebSocket-Key',
      'Sec-WebSocket-Version',
      'Sec-WebSocket-Protocol',
      'Sec-WebSocket-Extensions',
      'Origin',
    ]);
    for (const [name, value] of sent) expect(server.headers[name.toLowerCase()]).toBe(value);
    expect(socket.handshake?.statusText).toBe('Switching Protocols');
    expect(socket.handshake?.extensions).toEqual([]);
    await closeAndWait(socket);
  });
});

describe('ping()', () => {
  it('resolves with the round-trip time', async () => {
    const { socket } = await openSocket();
    const rtt = await socket.ping();
    expect(rtt).toBeTypeOf('number');
    expect(rtt).toBeGreaterThanOrEqual(0);
    const withPayload = await socket.ping('hello');
    expect(withPayload).toBeGreaterThanOrEqual(0);
    await closeAndWait(socket);
  });

  it('ignores a pong that comes before any ping, then pings after a wait', async () => {
    const { socket, server } = await openSocket();
    server.socket.pong(Buffer.from('unsolicited'));
    server.socket.send('after the pong');
    await nextMessage(socket);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await socket.ping()).toBeGreaterThanOrEqual(0);
    await closeAndWait(socket);
  });

  it('several pings in a row all resolve', async () => {
    const { socket } = await openSocket();
    const rtts = await Promise.all([socket.ping(), socket.ping(), socket.ping(new Uint8Array([1]))]);
    expect(rtts).toHaveLength(3);
    await closeAndWait(socket);
  });

  it('rejects when the connection closes first; throws for misuse', async () => {
    const { socket, server } = await openSocket();
    server.socket.pause(); // the pong will never come
    const pending = socket.ping();
    socket.terminate();
    await expect(pending).rejects.toMatchObject({ name: 'InvalidStateError' });
    await expect(socket.ping()).rejects.toMatchObject({ name: 'InvalidStateError' });

    const connecting = new WebSocket(`${base}/echo`);
    expect(() => connecting.ping()).toThrowError(expect.objectContaining({ name: 'InvalidStateError' }));
    connecting.terminate();
  });

  it('an ignored ping promise does not become an unhandled rejection when the connection closes', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { socket, server } = await openSocket();
      server.socket.pause(); // the pong will never come
      socket.ping(); // fire and forget, as a heartbeat might
      socket.terminate();
      await once(socket, 'close');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('refuses a payload over 125 bytes', async () => {
    const { socket } = await openSocket();
    expect(() => socket.ping(new Uint8Array(126))).toThrow(RangeError);
    await closeAndWait(socket);
  });
});

describe('listener errors', () => {
  // Two paths: listeners are dispatched by Node's EventTarget; a lone onmessage is called directly.
  const setups = {
    'a throwing listener, among others': (socket: WebSocket, seen: unknown[]) => {
      socket.addEventListener('message', () => {
        throw new Error('listener bug');
      });
      socket.addEventListener('message', (event) => seen.push((event as MessageEvent).data));
    },
    'a throwing onmessage handler, the only listener': (socket: WebSocket, seen: unknown[]) => {
      socket.onmessage = (event) => {
        seen.push(event.data);
        throw new Error('listener bug');
      };
    },
  };

  it.each(Object.entries(setups))('%s: reported as an uncaught exception, corrupting nothing', async (_, setUp) => {
    const previous = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    const reported: unknown[] = [];
    process.on('uncaughtException', (error) => reported.push(error));
    try {
      const { socket } = await openSocket();
      const seen: unknown[] = [];
      setUp(socket, seen);
      socket.send('one');
      socket.send('two');
      while (seen.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setImmediate(resolve));
      expect(seen).toEqual(['one', 'two']);
      expect(reported.map((error) => (error as Error).message)).toEqual(['listener bug', 'listener bug']);
      expect(socket.readyState).toBe(WebSocket.OPEN);
      await closeAndWait(socket);
    } finally {
      process.removeAllListeners('uncaughtException');
      for (const listener of previous) process.on('uncaughtException', listener);
    }
  });
});

describe('re-entrancy', () => {
  it('close() from a message listener, mid-chunk: later messages are dropped, the close is clean', async () => {
    const { socket, server } = await openSocket('/collect');
    const seen: unknown[] = [];
    socket.onmessage = (event) => {
      seen.push(event.data);
      socket.close(4002, 'enough');
    };
    // One cork: the three frames reach the client in one chunk, parsed in one receive().
    server.socket.send('first');
    server.socket.send('second');
    server.socket.send('third');
    const closed = await once<CloseEvent>(socket, 'close');
    expect(seen).toEqual(['first']);
    expect(closed).toMatchObject({ code: 4002, wasClean: true });
  });

  it('terminate() from a message listener, mid-chunk: 1006 and nothing after it', async () => {
    const { socket, server } = await openSocket('/collect');
    const seen: unknown[] = [];
    socket.onmessage = (event) => {
      seen.push(event.data);
      socket.terminate();
    };
    server.socket.send('first');
    server.socket.send('second');
    const closed = await once<CloseEvent>(socket, 'close');
    expect(seen).toEqual(['first']);
    expect(closed).toMatchObject({ code: 1006, wasClean: false });
  });
});

describe('IPv6', () => {
  it('connects to an IPv6 literal and sends Host with brackets', async (context) => {
    const v6 = new WebSocketServer({ host: '::1', port: 0 });
    const listening = await new Promise<boolean>((resolve) => {
      v6.once('listening', () => resolve(true));
      v6.once('error', () => resolve(false));
    });
    // A machine without IPv6 loopback cannot run this; that is the machine's limit, not ours.
    if (!listening) context.skip();
    try {
      const port = (v6.address() as AddressInfo).port;
      const hosts: Array<string | undefined> = [];
      v6.on('connection', (socket, request) => {
        hosts.push(request.headers.host);
        socket.on('message', (data) => socket.send(data as Buffer, { binary: false }));
      });
      const socket = new WebSocket(`ws://[::1]:${port}/v6`);
      await once(socket, 'open');
      expect(socket.url).toBe(`ws://[::1]:${port}/v6`);
      expect(hosts).toEqual([`[::1]:${port}`]);
      socket.send('over IPv6');
      expect((await nextMessage(socket)).data).toBe('over IPv6');
      await closeAndWait(socket);
    } finally {
      await new Promise((resolve) => v6.close(resolve));
    }
  });
});

describe('regressions', () => {
  it('frames sent with the handshake response reach a listener added after awaiting open', async () => {
    const greeting = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => greeting.once('listening', resolve));
    // The server's first messages are written right behind its 101 response.
    greeting.on('connection', (socket) => {
      for (let i = 0; i < 100; i++) socket.send(`early ${i}`);
    });
    try {
      const socket = new WebSocket(`ws://127.0.0.1:${(greeting.address() as AddressInfo).port}/`);
      await once(socket, 'open');
      const messages: unknown[] = [];
      socket.onmessage = (event) => messages.push(event.data);
      while (messages.length < 100) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(messages[0]).toBe('early 0');
      expect(messages[99]).toBe('early 99');
      await closeAndWait(socket);
    } finally {
      await new Promise<void>((resolve) => greeting.close(() => resolve()));
    }
  });

  it.each([Number.POSITIVE_INFINITY, 2 ** 31])(
    'closeTimeoutMs %d does not destroy the socket at once (a timer past 2^31 - 1 ms fires after 1 ms)',
    async (closeTimeoutMs) => {
      const warnings: Error[] = [];
      const onWarning = (warning: Error) => warnings.push(warning);
      process.on('warning', onWarning);
      try {
        const { socket, server } = await openSocket('/echo', { closeTimeoutMs });
        // The server stops reading: our close frame waits in its kernel buffer, unanswered.
        const serverTcp = (server.socket as unknown as { _socket: import('node:net').Socket })._socket;
        serverTcp.pause();
        const closed = once<CloseEvent>(socket, 'close');
        socket.close(4000, 'slow');
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(socket.readyState).toBe(WebSocket.CLOSING);
        expect(warnings.filter((warning) => warning.name === 'TimeoutOverflowWarning')).toEqual([]);
        serverTcp.resume();
        expect(await closed).toMatchObject({ code: 4000, wasClean: true });
      } finally {
        process.off('warning', onWarning);
      }
    },
  );
});
