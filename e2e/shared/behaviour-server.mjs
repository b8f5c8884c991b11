// The server every runtime's behavioural suite talks to: a `ws` server (an implementation we did
// not write) plus an optional static file server on the same origin, for browser pages.
//
// Paths:
//   /echo               echoes every message, text as text and binary as binary
//   /protocols          picks the first offered subprotocol it supports (SUPPORTED_PROTOCOLS), echoes
//   /close?code&reason  closes right after opening with that code and reason
//   /headers            sends the request headers it received as one JSON text message, then echoes;
//                       it picks a subprotocol as /protocols does
//   /reject?status=N    refuses the upgrade with HTTP status N (default 403)
//   anything else       served from `staticDir` when given (GET only), else 404
//
// Run directly (`node e2e/shared/behaviour-server.mjs [--static DIR] [--port N]`), it prints one
// JSON line `{"port":…,"refusedPort":…}` on stdout once listening and stops on SIGTERM/SIGINT, and
// with `--exit-with-stdin` also when its stdin closes (so a runner that dies never leaves it behind).
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';

/** Subprotocols the `/protocols` path accepts, in its order of preference. */
export const SUPPORTED_PROTOCOLS = ['sturdy.v2', 'sturdy.v1'];

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
};

/** A TCP port on 127.0.0.1 with nothing listening on it (it was bound, then released). */
export async function findRefusedPort() {
  const probe = createNetServer();
  await new Promise((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address();
  await new Promise((done) => probe.close(done));
  return port;
}

/**
 * Starts the server on 127.0.0.1. Resolves with `{ port, refusedPort, close() }`.
 * @param {{ port?: number, staticDir?: string }} [options]
 */
export async function startBehaviourServer(options = {}) {
  const staticRoot = options.staticDir === undefined ? undefined : resolve(options.staticDir);
  const http = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (staticRoot === undefined || request.method !== 'GET') {
      response.writeHead(404).end();
      return;
    }
    const file = normalize(join(staticRoot, path === '/' ? 'index.html' : path));
    if (file !== staticRoot && !file.startsWith(staticRoot + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        // Revalidated on every load, so a page never runs a stale build; not no-store, which keeps a
        // page that used a WebSocket out of Chromium's back-forward cache (websocket-used-with-ccns).
        'cache-control': 'no-cache',
      });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });

  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered, request) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (path !== '/protocols' && path !== '/headers') return false;
      return SUPPORTED_PROTOCOLS.find((protocol) => offered.has(protocol)) ?? false;
    },
  });

  http.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/reject') {
      const status = Number(url.searchParams.get('status') ?? '403');
      socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      // A client's protocol error (a malformed frame, a bad close code) is ws's to answer with a
      // close; without a listener its 'error' event would end this server for every suite.
      ws.on('error', () => {});
      switch (url.pathname) {
        case '/close': {
          const code = Number(url.searchParams.get('code') ?? '1000');
          ws.close(code, url.searchParams.get('reason') ?? '');
          return;
        }
        case '/headers':
          ws.send(JSON.stringify(request.headers));
          break;
        case '/echo':
        case '/protocols':
          break;
        default:
          ws.close(4404, `No such path: ${url.pathname}`);
          return;
      }
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    });
  });

  await new Promise((done) => http.listen(options.port ?? 0, '127.0.0.1', done));
  const { port } = http.address();
  const refusedPort = await findRefusedPort();
  return {
    port,
    refusedPort,
    close: () =>
      new Promise((done) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        http.closeAllConnections();
        http.close(() => done());
      }),
  };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const optionValue = (flag) => {
    const index = args.indexOf(flag);
    return index === -1 ? undefined : args[index + 1];
  };
  const port = optionValue('--port');
  const server = await startBehaviourServer({
    ...(port === undefined ? {} : { port: Number(port) }),
    ...(optionValue('--static') === undefined ? {} : { staticDir: optionValue('--static') }),
  });
  process.stdout.write(`${JSON.stringify({ port: server.port, refusedPort: server.refusedPort })}\n`);
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (args.includes('--exit-with-stdin')) {
    process.stdin.on('end', stop);
    process.stdin.resume();
  }
}
