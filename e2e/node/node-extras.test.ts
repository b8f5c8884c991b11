// Beyond WHATWG: redirects, HTTP CONNECT proxies and the createConnection hook, against real
// servers (node:http/https with `ws` behind them) and a real tunnelling proxy.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, connect, createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { HandshakeError, type RedirectEvent, WebSocket } from '@sturdysocket/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { type ConnectProxy, startConnectProxy } from '../servers/connect-proxy.js';
import { makeCertificates, type TestCertificates } from '../servers/tls-certificates.js';

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  /** Whether the client presented a TLS certificate (on a server that asks for one). */
  clientCertificate: boolean;
}

/** An HTTP(S) server whose upgrade handler redirects per `routes` and otherwise echoes over ws. */
function redirecting(server: Server, routes: Record<string, [number, string]>, seen: Seen[]) {
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const path = request.url ?? '/';
    const peer = (socket as Partial<TLSSocket>).getPeerCertificate?.();
    seen.push({
      path,
      headers: request.headers,
      clientCertificate: peer !== undefined && Object.keys(peer).length > 0,
    });
    const route = routes[path];
    if (route) {
      socket.end(`HTTP/1.1 ${route[0]} Moved\r\nLocation: ${route[1]}\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) =>
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })),
    );
  });
  return wss;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function outcome(socket: WebSocket): Promise<{ opened: boolean; error: unknown; code: number }> {
  return new Promise((resolve) => {
    let opened = false;
    let error: unknown;
    socket.addEventListener('open', () => {
      opened = true;
      socket.close();
    });
    socket.addEventListener('error', (event) => {
      error = (event as Event & { error?: unknown }).error;
    });
    socket.addEventListener('close', (event) => resolve({ opened, error, code: (event as CloseEvent).code }));
  });
}

const SECRET_HEADERS = { Authorization: 'Bearer a-token', Cookie: 'sid=1', 'X-Api-Key': 'k', 'X-Plain': 'p' };

let dir: string;
let certificates: TestCertificates;
const seenA: Seen[] = [];
const seenB: Seen[] = [];
const seenTls: Seen[] = [];
const seenTlsB: Seen[] = [];
let serverA: Server;
let serverB: Server;
let serverTls: Server;
let serverTlsB: Server;
let portA: number;
let portB: number;
let portTls: number;
let portTlsB: number;
let proxy: ConnectProxy;
let authProxy: ConnectProxy;
let tlsProxy: ConnectProxy;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sturdysocket-extras-'));
  certificates = makeCertificates(dir);
  serverA = createHttpServer();
  serverB = createHttpServer();
  // Both TLS servers ask for a client certificate (and take any, or none), to see who is shown one.
  const tlsServerOptions = {
    cert: readFileSync(certificates.leafCertPath),
    key: readFileSync(certificates.leafKeyPath),
    requestCert: true,
    rejectUnauthorized: false,
  };
  serverTls = createHttpsServer(tlsServerOptions);
  serverTlsB = createHttpsServer(tlsServerOptions);
  portA = await listen(serverA);
  portB = await listen(serverB);
  portTls = await listen(serverTls);
  portTlsB = await listen(serverTlsB);
  redirecting(
    serverA,
    {
      '/same-origin': [302, '/final'],
      '/relative-chain': [301, 'hop2'],
      '/hop2': [307, `http://127.0.0.1:${portA}/final?after=2`],
      '/cross-origin': [308, `ws://127.0.0.1:${portB}/final`],
      '/cross-origin-then-same': [307, `ws://127.0.0.1:${portB}/same-origin`],
      '/see-other': [303, '/final'],
      '/loop': [302, '/loop'],
      '/bad-location': [302, 'ftp://example.com/'],
    },
    seenA,
  );
  redirecting(serverB, { '/same-origin': [302, '/final'] }, seenB);
  redirecting(
    serverTls,
    {
      '/downgrade': [302, `ws://127.0.0.1:${portA}/final`],
      '/downgrade-then-same': [302, `ws://127.0.0.1:${portA}/same-origin`],
      '/stay-secure': [302, '/final'],
      '/other-secure-origin': [302, `wss://localhost:${portTlsB}/final`],
    },
    seenTls,
  );
  redirecting(serverTlsB, {}, seenTlsB);
  proxy = await startConnectProxy();
  authProxy = await startConnectProxy({ username: 'user', password: 'p@ss word', allowedPorts: [portA] });
  tlsProxy = await startConnectProxy({
    tls: { cert: readFileSync(certificates.leafCertPath), key: readFileSync(certificates.leafKeyPath) },
  });
});

afterAll(async () => {
  for (const server of [serverA, serverB, serverTls, serverTlsB]) {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  }
  await proxy?.close();
  await authProxy?.close();
  await tlsProxy?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('redirects', () => {
  it('are not followed by default: reason redirect with the status and Location', async () => {
    const result = await outcome(new WebSocket(`ws://127.0.0.1:${portA}/same-origin`));
    expect(result.opened).toBe(false);
    expect(result.error).toBeInstanceOf(HandshakeError);
    expect(result.error).toMatchObject({ reason: 'redirect', status: 302, headers: { location: '/final' } });
    expect(result.code).toBe(1006);
  });

  it('followed on the same origin keep the headers, with a fresh key per hop', async () => {
    const before = seenA.length;
    const socket = new WebSocket(`ws://127.0.0.1:${portA}/same-origin`, {
      followRedirects: true,
      headers: SECRET_HEADERS,
      secretHeaders: ['x-api-key'],
    });
    await new Promise((resolve) => socket.addEventListener('open', resolve));
    const hops = seenA.slice(before);
    expect(hops.map((hop) => hop.path)).toEqual(['/same-origin', '/final']);
    expect(hops[1]?.headers.authorization).toBe('Bearer a-token');
    expect(hops[0]?.headers['sec-websocket-key']).not.toBe(hops[1]?.headers['sec-websocket-key']);
    expect(socket.url).toBe(`ws://127.0.0.1:${portA}/same-origin`);
    expect(socket.handshake?.url).toBe(`ws://127.0.0.1:${portA}/final`);
    expect(socket.handshake?.key).toBe(hops[1]?.headers['sec-websocket-key']);
    socket.close();
  });

  it('follow relative Locations, http: ones and 301/303/307 alike', async () => {
    const before = seenA.length;
    const chain = await outcome(new WebSocket(`ws://127.0.0.1:${portA}/relative-chain`, { followRedirects: true }));
    expect(chain.opened).toBe(true);
    expect(seenA.slice(before).map((hop) => hop.path)).toEqual(['/relative-chain', '/hop2', '/final?after=2']);
    expect((await outcome(new WebSocket(`ws://127.0.0.1:${portA}/see-other`, { followRedirects: true }))).opened).toBe(
      true,
    );
  });

  it('to another origin drop Authorization, Cookie and secretHeaders', async () => {
    const before = seenB.length;
    const socket = new WebSocket(`ws://127.0.0.1:${portA}/cross-origin`, {
      followRedirects: true,
      headers: SECRET_HEADERS,
      secretHeaders: ['X-API-KEY'],
    });
    expect((await outcome(socket)).opened).toBe(true);
    const headers = seenB[before]?.headers;
    expect(headers?.['x-plain']).toBe('p');
    expect(headers?.authorization).toBeUndefined();
    expect(headers?.cookie).toBeUndefined();
    expect(headers?.['x-api-key']).toBeUndefined();
  });

  it('keep credentials dropped at a cross-origin hop dropped on the same-origin hops after it', async () => {
    const before = seenB.length;
    const socket = new WebSocket(`ws://127.0.0.1:${portA}/cross-origin-then-same`, {
      followRedirects: true,
      headers: SECRET_HEADERS,
      secretHeaders: ['X-API-KEY'],
    });
    expect((await outcome(socket)).opened).toBe(true);
    const hops = seenB.slice(before);
    expect(hops.map((hop) => hop.path)).toEqual(['/same-origin', '/final']);
    for (const { headers } of hops) {
      expect(headers['x-plain']).toBe('p');
      expect(headers.authorization).toBeUndefined();
      expect(headers.cookie).toBeUndefined();
      expect(headers['x-api-key']).toBeUndefined();
    }
  });

  it('keep a credential a redirect listener added for the new origin on its same-origin hops', async () => {
    const before = seenB.length;
    const socket = new WebSocket(`ws://127.0.0.1:${portA}/cross-origin-then-same`, {
      followRedirects: true,
      headers: SECRET_HEADERS,
    });
    socket.addEventListener('redirect', (event) => {
      if (new URL(event.from).port === String(portA)) event.headers.push(['Authorization', 'Bearer for-b']);
    });
    expect((await outcome(socket)).opened).toBe(true);
    expect(seenB.slice(before).map((hop) => hop.headers.authorization)).toEqual(['Bearer for-b', 'Bearer for-b']);
  });

  it('fire a redirect event per hop, whose listener can add a credential for the new origin', async () => {
    const before = seenB.length;
    const socket = new WebSocket(`ws://127.0.0.1:${portA}/cross-origin`, {
      followRedirects: true,
      headers: SECRET_HEADERS,
    });
    const hops: RedirectEvent[] = [];
    socket.addEventListener('redirect', (event) => {
      hops.push(event);
      event.headers.push(['Authorization', 'Bearer for-b']);
    });
    expect((await outcome(socket)).opened).toBe(true);
    expect(hops).toHaveLength(1);
    expect(hops[0]).toMatchObject({ from: `ws://127.0.0.1:${portA}/cross-origin`, status: 308 });
    expect(new URL(hops[0]?.to ?? '').port).toBe(String(portB));
    expect(seenB[before]?.headers.authorization).toBe('Bearer for-b');
  });

  it('refuse a hop whose redirect event is cancelled', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${portA}/cross-origin`, { followRedirects: true });
    socket.addEventListener('redirect', (event) => event.preventDefault());
    const result = await outcome(socket);
    expect(result.opened).toBe(false);
    expect(result.error).toMatchObject({ reason: 'redirect', status: 308 });
  });

  it('stop after maxRedirects', async () => {
    const result = await outcome(
      new WebSocket(`ws://127.0.0.1:${portA}/loop`, { followRedirects: true, maxRedirects: 3 }),
    );
    expect(result.error).toMatchObject({ reason: 'redirect', status: 302 });
    expect((result.error as Error).message).toMatch(/maxRedirects \(3\)/);
  });

  it('to a non-WebSocket scheme fail with reason redirect', async () => {
    const result = await outcome(new WebSocket(`ws://127.0.0.1:${portA}/bad-location`, { followRedirects: true }));
    expect(result.error).toMatchObject({ reason: 'redirect' });
  });

  it('from wss: to ws: fail with insecure-redirect unless allowed, and then drop credentials', async () => {
    const tlsOptions = { ca: certificates.caPem, followRedirects: true, headers: SECRET_HEADERS };
    const refused = await outcome(new WebSocket(`wss://localhost:${portTls}/downgrade`, tlsOptions));
    expect(refused.error).toMatchObject({ reason: 'insecure-redirect', status: 302 });

    const before = seenA.length;
    const allowed = await outcome(
      new WebSocket(`wss://localhost:${portTls}/downgrade`, { ...tlsOptions, allowInsecureRedirect: true }),
    );
    expect(allowed.opened).toBe(true);
    expect(seenA[before]?.headers.authorization).toBeUndefined();
    expect(seenA[before]?.headers['x-plain']).toBe('p');

    // Dropped at the downgrade, credentials do not come back on the plain-text hops after it.
    const beforeChain = seenA.length;
    const chain = await outcome(
      new WebSocket(`wss://localhost:${portTls}/downgrade-then-same`, { ...tlsOptions, allowInsecureRedirect: true }),
    );
    expect(chain.opened).toBe(true);
    const plainHops = seenA.slice(beforeChain);
    expect(plainHops.map((hop) => hop.path)).toEqual(['/same-origin', '/final']);
    expect(plainHops.map((hop) => hop.headers.authorization)).toEqual([undefined, undefined]);
    expect(plainHops.map((hop) => hop.headers.cookie)).toEqual([undefined, undefined]);

    const secure = await outcome(new WebSocket(`wss://localhost:${portTls}/stay-secure`, tlsOptions));
    expect(secure.opened).toBe(true);
  });

  it('show a client certificate only to the origin it was given for', async () => {
    const identity = {
      ca: certificates.caPem,
      cert: readFileSync(certificates.leafCertPath),
      key: readFileSync(certificates.leafKeyPath),
      followRedirects: true,
    };
    const sameOrigin = seenTls.length;
    expect((await outcome(new WebSocket(`wss://localhost:${portTls}/stay-secure`, identity))).opened).toBe(true);
    expect(seenTls.slice(sameOrigin).map((hop) => [hop.path, hop.clientCertificate])).toEqual([
      ['/stay-secure', true],
      ['/final', true],
    ]);

    const first = seenTls.length;
    const other = seenTlsB.length;
    expect((await outcome(new WebSocket(`wss://localhost:${portTls}/other-secure-origin`, identity))).opened).toBe(
      true,
    );
    expect(seenTls.slice(first).map((hop) => hop.clientCertificate)).toEqual([true]);
    expect(seenTlsB.slice(other).map((hop) => [hop.path, hop.clientCertificate])).toEqual([['/final', false]]);
  });
});

describe('HTTP CONNECT proxy', () => {
  // The https: proxy is reached over TLS (its certificate, from the test CA, names localhost).
  it.each([
    ['an http: proxy', () => proxy],
    ['an https: proxy, over TLS', () => tlsProxy],
  ])('tunnels ws: through %s', async (_, which) => {
    const through = which();
    const before = through.requests.length;
    const socket = new WebSocket(`ws://127.0.0.1:${portB}/final`, { proxy: through.url, ca: certificates.caPem });
    await new Promise((resolve) => socket.addEventListener('open', resolve));
    const echoed = new Promise((resolve) =>
      socket.addEventListener('message', (event) => resolve((event as MessageEvent).data)),
    );
    socket.send('through the tunnel');
    expect(await echoed).toBe('through the tunnel');
    expect(through.requests.slice(before)).toEqual([{ authority: `127.0.0.1:${portB}`, authorization: undefined }]);
    socket.close();
  });

  it('tunnels wss: (TLS end to end, checked against the CA)', async () => {
    const before = proxy.requests.length;
    const socket = new WebSocket(`wss://localhost:${portTls}/final`, { proxy: proxy.url, ca: certificates.caPem });
    expect((await outcome(socket)).opened).toBe(true);
    expect(proxy.requests[before]?.authority).toBe(`localhost:${portTls}`);
  });

  it('sends the URL credentials as Basic Proxy-Authorization, never in errors', async () => {
    const url = new URL(authProxy.url);
    url.username = 'user';
    url.password = encodeURIComponent('p@ss word');
    expect((await outcome(new WebSocket(`ws://127.0.0.1:${portA}/final`, { proxy: url }))).opened).toBe(true);

    url.password = 'wrong-secret';
    const refused = await outcome(new WebSocket(`ws://127.0.0.1:${portA}/final`, { proxy: url }));
    expect(refused.error).toMatchObject({ reason: 'proxy-auth', status: 407 });
    expect(String((refused.error as Error).message)).not.toContain('wrong-secret');
  });

  it('sends credentials with a literal % (no percent-encoding) as written, not an untyped URIError', async () => {
    const before = proxy.requests.length;
    const url = new URL(proxy.url);
    url.username = '50%off';
    url.password = '100%';
    const result = await outcome(new WebSocket(`ws://127.0.0.1:${portA}/final`, { proxy: url }));
    expect(result.error).toBeUndefined();
    expect(result.opened).toBe(true);
    expect(proxy.requests[before]?.authorization).toBe(`Basic ${Buffer.from('50%off:100%').toString('base64')}`);
  });

  it('a proxy that hangs up without answering is proxy-refused at once, not a handshake timeout', async () => {
    const hangUp = createNetServer((client) => {
      client.on('error', () => {});
      client.once('data', () => client.end());
    });
    await new Promise<void>((resolve) => hangUp.listen(0, '127.0.0.1', resolve));
    try {
      const socket = new WebSocket(`ws://127.0.0.1:${portA}/final`, {
        proxy: `http://127.0.0.1:${(hangUp.address() as AddressInfo).port}`,
        handshakeTimeoutMs: 3_000,
      });
      const result = await outcome(socket);
      expect(result.error).toMatchObject({ reason: 'proxy-refused' });
      expect((result.error as Error).message).toMatch(/closed the connection/);
    } finally {
      await new Promise((resolve) => hangUp.close(resolve));
    }
  });

  it('a refused tunnel is proxy-status; an unreachable proxy proxy-refused', async () => {
    const url = new URL(authProxy.url);
    url.username = 'user';
    url.password = encodeURIComponent('p@ss word');
    const forbidden = await outcome(new WebSocket(`ws://127.0.0.1:${portB}/final`, { proxy: url }));
    expect(forbidden.error).toMatchObject({ reason: 'proxy-status', status: 403 });

    const gone = await startConnectProxy();
    await gone.close();
    const unreachable = await outcome(new WebSocket(`ws://127.0.0.1:${portB}/final`, { proxy: gone.url }));
    expect(unreachable.error).toMatchObject({ reason: 'proxy-refused' });
    expect(((unreachable.error as HandshakeError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('tunnels wss: through an https: proxy (TLS inside TLS, each checked for its own host)', async () => {
    const before = tlsProxy.requests.length;
    const socket = new WebSocket(`wss://localhost:${portTls}/final`, { proxy: tlsProxy.url, ca: certificates.caPem });
    const result = await outcome(socket);
    expect(result.opened).toBe(true);
    expect(tlsProxy.requests[before]?.authority).toBe(`localhost:${portTls}`);
  });

  it('an https: proxy whose certificate does not verify is proxy-refused and hears no CONNECT', async () => {
    const before = tlsProxy.requests.length;
    // No `ca`: the test CA is not among Node's.
    const refused = await outcome(new WebSocket(`ws://127.0.0.1:${portB}/final`, { proxy: tlsProxy.url }));
    expect(refused.opened).toBe(false);
    expect(refused.error).toMatchObject({ reason: 'proxy-refused' });
    expect(((refused.error as HandshakeError).cause as NodeJS.ErrnoException).code).toMatch(
      /CERT|SIGNATURE|SELF_SIGNED|ISSUER/,
    );
    expect(tlsProxy.requests.length).toBe(before);

    // rejectUnauthorized: false applies to the proxy's certificate too (documented; tests only).
    const unchecked = await outcome(
      new WebSocket(`ws://127.0.0.1:${portB}/final`, { proxy: tlsProxy.url, rejectUnauthorized: false }),
    );
    expect(unchecked.opened).toBe(true);
  });

  it("'env' reads HTTP_PROXY and honours NO_PROXY", async () => {
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
    try {
      process.env.HTTP_PROXY = proxy.url;
      process.env.NO_PROXY = 'example.com, .internal';
      let before = proxy.requests.length;
      expect((await outcome(new WebSocket(`ws://127.0.0.1:${portB}/final`, { proxy: 'env' }))).opened).toBe(true);
      expect(proxy.requests.length).toBe(before + 1);

      process.env.NO_PROXY = `localhost,127.0.0.1:${portB}`;
      before = proxy.requests.length;
      expect((await outcome(new WebSocket(`ws://127.0.0.1:${portB}/final`, { proxy: 'env' }))).opened).toBe(true);
      expect(proxy.requests.length).toBe(before);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('a malformed proxy option throws TypeError without echoing it', () => {
    expect(() => new WebSocket(`ws://127.0.0.1:${portB}/`, { proxy: 'socks5://u:secret@host:1080' })).toThrow(
      TypeError,
    );
    expect(() => new WebSocket(`ws://127.0.0.1:${portB}/`, { proxy: 'not a url secret' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret') }),
    );
  });
});

describe('createConnection', () => {
  it('replaces the TCP connection; the handshake is still ours', async () => {
    const calls: Array<{ host: string; port: number; secure: boolean }> = [];
    const before = seenB.length;
    const socket = new WebSocket('ws://service.invalid:1234/final', {
      createConnection: ({ host, port, secure }) => {
        calls.push({ host, port, secure });
        return connect(portB, '127.0.0.1');
      },
    });
    expect((await outcome(socket)).opened).toBe(true);
    expect(calls).toEqual([{ host: 'service.invalid', port: 1234, secure: false }]);
    expect(seenB[before]?.headers.host).toBe('service.invalid:1234');
  });
});
