// The Node WebSocket against a server that breaks the rules on purpose (e2e/servers/hostile-server.ts):
// every failure must arrive as a typed error and a close event, never as a crash or a hang.
import { HandshakeError, ProtocolError, WebSocket } from '@sturdysocket/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type HostileServer, PING_FLOOD_COUNT, startHostileServer } from '../servers/hostile-server.js';
import { observe } from '../servers/observe.js';

// Nothing here may hang: every case must settle well within this (the suite's default is 30 s).
vi.setConfig({ testTimeout: 5_000 });

let server: HostileServer;

beforeAll(async () => {
  server = await startHostileServer();
});

afterAll(async () => {
  await server?.close();
});

async function failedHandshake(path: string, options: ConstructorParameters<typeof WebSocket>[2] = {}) {
  const socket = new WebSocket(server.url(path), [], { handshakeTimeoutMs: 2000, ...options });
  const observed = observe(socket);
  await observed.closed;
  expect(observed.events).toEqual(['error', 'close']);
  expect(observed.close?.code).toBe(1006);
  expect(observed.close?.wasClean).toBe(false);
  expect(socket.readyState).toBe(WebSocket.CLOSED);
  expect(socket.handshake).toBeUndefined();
  const error = observed.error?.error;
  expect(error).toBeInstanceOf(HandshakeError);
  expect(observed.error?.message).toBe((error as Error).message);
  return error as HandshakeError;
}

describe('handshake failures', () => {
  it.each([
    ['/wrong-accept', 'bad-accept'],
    ['/missing-accept', 'missing-accept'],
    ['/missing-upgrade', 'missing-upgrade'],
    ['/missing-connection', 'missing-connection'],
    ['/unrequested-protocol', 'unrequested-protocol'],
    ['/unrequested-extension', 'unrequested-extension'],
    ['/bad-deflate-params', 'bad-extension-params'],
    ['/malformed-status', 'malformed-response'],
    ['/close-during-handshake', 'network'],
  ] as const)('%s fails with reason %s', async (path, reason) => {
    const error = await failedHandshake(path);
    expect(error.reason).toBe(reason);
  });

  it('a 200 answer fails with http-status, its status and headers', async () => {
    const error = await failedHandshake('/status-200');
    expect(error.reason).toBe('http-status');
    expect(error.status).toBe(200);
    expect(error.headers?.['x-trace']).toBe('abc');
  });

  it('a 503 answer keeps Retry-After for the reconnect layer', async () => {
    const error = await failedHandshake('/status-503');
    expect(error).toMatchObject({ reason: 'http-status', status: 503 });
    expect(error.headers?.['retry-after']).toBe('7');
  });

  it('a redirect is not followed by default', async () => {
    const error = await failedHandshake('/redirect');
    expect(error).toMatchObject({ reason: 'redirect', status: 302 });
  });

  it('an endless response head stops at maxResponseHeaderBytes', async () => {
    const error = await failedHandshake('/huge-headers', { maxResponseHeaderBytes: 8 * 1024 });
    expect(error.reason).toBe('response-too-large');
  });

  it('a server that never answers times out', async () => {
    const error = await failedHandshake('/never-answer', { handshakeTimeoutMs: 200 });
    expect(error.reason).toBe('timeout');
  });

  it('an abort signal aborts the handshake', async () => {
    const controller = new AbortController();
    const socket = new WebSocket(server.url('/never-answer'), { signal: controller.signal });
    const observed = observe(socket);
    setTimeout(() => controller.abort(new Error('user gave up')), 20);
    await observed.closed;
    expect(observed.events).toEqual(['error', 'close']);
    const error = observed.error?.error as HandshakeError;
    expect(error.reason).toBe('aborted');
    expect((error.cause as Error).message).toBe('user gave up');
  });

  it('an already aborted signal never connects', async () => {
    const error = await failedHandshake('/never-answer', { signal: AbortSignal.abort() });
    expect(error.reason).toBe('aborted');
  });

  it('a refused connection fails with network and keeps the cause', async () => {
    const probe = await startHostileServer();
    const port = probe.port;
    await probe.close();
    const socket = new WebSocket(`ws://127.0.0.1:${port}/`);
    const observed = observe(socket);
    await observed.closed;
    const error = observed.error?.error as HandshakeError;
    expect(error.reason).toBe('network');
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('close() while CONNECTING fails the connection: error, then close 1006', async () => {
    const socket = new WebSocket(server.url('/never-answer'));
    const observed = observe(socket);
    socket.close();
    expect(socket.readyState).toBe(WebSocket.CLOSING);
    await observed.closed;
    expect(observed.events).toEqual(['error', 'close']);
    expect((observed.error!.error as HandshakeError).reason).toBe('aborted');
    expect(observed.close?.code).toBe(1006);
  });

  it('headers in odd case and list form are accepted', async () => {
    const socket = new WebSocket(server.url('/odd-case-headers'));
    const observed = observe(socket);
    await observed.opened;
    expect(socket.handshake?.status).toBe(101);
    socket.terminate();
    await observed.closed;
    expect(observed.events).toEqual(['open', 'close']);
  });
});

describe('protocol violations after open', () => {
  it.each([
    ['/masked-frame', 'masked-frame', 1002],
    ['/bad-opcode', 'reserved-opcode', 1002],
    ['/reserved-bits', 'reserved-bits', 1002],
    ['/bad-utf8', 'invalid-utf8', 1007],
    ['/bad-close-code', 'invalid-close-code', 1002],
    ['/oversize', 'message-too-big', 1009],
    ['/deflate-bomb', 'message-too-big', 1009],
  ] as const)('%s: error (%s), close 1006, close frame %i sent to the server', async (path, violation, code) => {
    const socket = new WebSocket(server.url(path), { maxPayload: 64 * 1024 });
    const observed = observe(socket);
    await observed.closed;
    expect(observed.events).toEqual(['open', 'error', 'close']);
    const error = observed.error?.error as ProtocolError;
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.violation).toBe(violation);
    expect(error.closeCode).toBe(code);
    expect(observed.close).toMatchObject({ code: 1006, wasClean: false, sentCode: code });
    await server.closed(path);
    expect(server.closeCodes(path)).toEqual([code]);
  });
});

describe('awkward but valid delivery', () => {
  it('frames split into one-byte writes, with a ping between fragments', async () => {
    const socket = new WebSocket(server.url('/one-byte-writes'));
    socket.binaryType = 'nodebuffer';
    const observed = observe(socket);
    await observed.closed;
    expect(observed.messages).toEqual(['first', 'second', Buffer.from([1, 2, 3])]);
    expect(observed.close).toMatchObject({ code: 1000, reason: 'done', wasClean: true });
    const pong = server.frames('/one-byte-writes').find((received) => received.opcode === 10);
    expect(pong?.payload.toString()).toBe('ping-in-between');
    expect(pong?.masked).toBe(true);
  });

  it('a compressed message, a close frame and the FIN in one write: inflated, then a clean close', async () => {
    const socket = new WebSocket(server.url('/deflate-then-fin'));
    const observed = observe(socket);
    await observed.closed;
    expect(observed.events).toEqual(['open', 'message', 'close']);
    expect(observed.messages[0]).toBe('squeezed '.repeat(20_000));
    expect(observed.close).toMatchObject({ code: 1000, reason: 'compressed goodbye', wasClean: true });
  });

  it('1000 frames and a close in one write', async () => {
    const socket = new WebSocket(server.url('/many-frames-one-write'));
    const observed = observe(socket);
    await observed.closed;
    expect(observed.messages).toHaveLength(1000);
    expect(observed.messages[999]).toBe('message 999');
    expect(observed.close).toMatchObject({ code: 4000, reason: 'bye', wasClean: true });
    expect(server.closeCodes('/many-frames-one-write')).toEqual([4000]);
  });
});

describe('closing', () => {
  it('the server closes: its code and reason, echoed, clean', async () => {
    const socket = new WebSocket(server.url('/server-close'));
    const observed = observe(socket);
    await observed.closed;
    expect(observed.events).toEqual(['open', 'close']);
    expect(observed.close).toMatchObject({ code: 4001, reason: 'server says bye', wasClean: true, sentCode: 4001 });
    expect(server.closeCodes('/server-close')).toEqual([4001]);
  });

  it('an empty close frame is reported as 1005 and echoed empty', async () => {
    const socket = new WebSocket(server.url('/server-close-no-code'));
    const observed = observe(socket);
    await observed.closed;
    expect(observed.close).toMatchObject({ code: 1005, reason: '', wasClean: true });
    expect(server.closeCodes('/server-close-no-code')).toEqual([null]);
  });

  it('a server that never closes TCP after the close handshake: destroyed after closeTimeoutMs, still clean', async () => {
    const socket = new WebSocket(server.url('/close-then-silence'), { closeTimeoutMs: 200 });
    const observed = observe(socket);
    await observed.closed;
    expect(observed.close).toMatchObject({ code: 1000, wasClean: true });
  });

  it('a server that ignores our close frame: 1006 after closeTimeoutMs', async () => {
    const socket = new WebSocket(server.url('/ignore-close'), { closeTimeoutMs: 200 });
    const observed = observe(socket);
    await observed.opened;
    socket.close(4321, 'please');
    await observed.closed;
    expect(observed.events).toEqual(['open', 'close']);
    expect(observed.close).toMatchObject({ code: 1006, wasClean: false, sentCode: 4321 });
  });

  it('TCP FIN without a close frame: close 1006, no error', async () => {
    const socket = new WebSocket(server.url('/fin-after-open'));
    const observed = observe(socket);
    await observed.closed;
    expect(observed.events).toEqual(['open', 'close']);
    expect(observed.close).toMatchObject({ code: 1006, wasClean: false });
  });

  it('TCP reset after open: error with the socket error, then close 1006', async () => {
    const socket = new WebSocket(server.url('/reset-after-open'));
    const observed = observe(socket);
    await observed.opened;
    socket.send('reset me');
    await observed.closed;
    expect(observed.events).toEqual(['open', 'error', 'close']);
    expect((observed.error!.error as NodeJS.ErrnoException).code).toBe('ECONNRESET');
    expect(observed.close).toMatchObject({ code: 1006, wasClean: false });
  });

  it('a reset once the closing handshake is complete is a clean close, not an error (RFC 6455 §7.1.4)', async () => {
    // As Autobahn|Python does: it aborts the TCP connection once it has read the client's close frame.
    const socket = new WebSocket(server.url('/close-then-reset'));
    const observed = observe(socket);
    await observed.closed;
    expect(server.closeCodes('/close-then-reset')).toEqual([4401]);
    expect(observed.events).toEqual(['open', 'close']);
    expect(observed.close).toMatchObject({ code: 4401, reason: 'unauthorized', wasClean: true, sentCode: 4401 });
  });

  it('a server that pings without reading the pongs: the client holds one pong, the newest, not one per ping', async () => {
    const socket = new WebSocket(server.url('/ping-flood'));
    const observed = observe(socket);
    await observed.closed;
    expect(observed.close).toMatchObject({ code: 1000, reason: 'flood over', wasClean: true });
    const pongs = server.frames('/ping-flood').filter((received) => received.opcode === 10);
    // While the socket was full, later pongs replaced the waiting one (RFC 6455 §5.5.3).
    expect(pongs.length).toBeGreaterThan(0);
    expect(pongs.length).toBeLessThan(PING_FLOOD_COUNT);
    expect(pongs.at(-1)?.payload.readUInt32BE(0)).toBe(PING_FLOOD_COUNT - 1);
  });

  it('a ping from the server is answered with the same payload', async () => {
    const socket = new WebSocket(server.url('/send-ping'));
    const observed = observe(socket);
    await observed.opened;
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.close();
    await observed.closed;
    const pong = server.frames('/send-ping').find((received) => received.opcode === 10);
    expect(pong?.payload.toString()).toBe('are you there');
    expect(observed.close).toMatchObject({ wasClean: true });
  });
});
