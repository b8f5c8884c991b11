// The server the auth and reconnect suites of every runtime talk to: a `ws` server (a peer we did
// not write) that checks credentials itself and records what actually crossed the wire, plus a
// control port over which a test configures it, provokes failures, and asks what it saw.
//
// WebSocket port — one path per session: /s/<id>. What happens there is the session's config:
//   check        'none' | 'header' | 'subprotocol' | 'message' (default 'none')
//                 header:      `<header.name>: <header.scheme> <token>` must name a valid token, else the
//                              upgrade is refused with HTTP `refusalStatus` (default 401)
//                 subprotocol: an offered entry `<prefix><base64url(token)>` must name a valid token, else as above
//                 message:     the first message must be {"type":"auth","token"} with a valid token: answered
//                              `ack` (after `ackDelayMs`), else `nack`
//   tokens       the valid tokens (change them with /config to rotate credentials)
//   protocols    the real subprotocols the server speaks, in its order of preference; it picks the first
//                one offered (or the token entry itself when `echoToken`, as a confused server would)
//   closeOnOpen  { code, reason }: close right after accepting
// Every accepted connection echoes text as `echo:<text>`, answers the text `ping` with `pong` (not
// recorded as a message), and records every other message in the session's `messages`, in order.
//
// Control port (HTTP, JSON bodies, CORS open so a page can drive it too):
//   POST /sessions                 config → { id, path }
//   GET  /sessions/<id>            what the session saw: attempts, connections (headers, offered and
//                                  chosen protocols, verdict, log, close code and who closed), messages;
//                                  with ?settle=MS once its connections have closed (waiting at most MS)
//   POST /sessions/<id>/config     merges into the session's config
//   POST /sessions/<id>/close      { code, reason }: closes the session's open connections
//   POST /sessions/<id>/deafen     its open connections stop answering (no pong, no echo) without closing
//   POST /restart                  { downMs }: drops every connection, stops listening on the WebSocket
//                                  port (connections are refused), listens on the same port again later
//
// Run directly (`node e2e/shared/auth-server.mjs [--exit-with-stdin]`), it prints one JSON line
// `{"port":…,"controlPort":…}` once listening and stops on SIGTERM/SIGINT (and when stdin closes).
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';

export const SUBPROTOCOL_TOKEN_PREFIX = 'base64url.bearer.authorization.k8s.io.';

const DEFAULT_CONFIG = {
  check: 'none',
  tokens: [],
  header: { name: 'authorization', scheme: 'Bearer' },
  prefix: SUBPROTOCOL_TOKEN_PREFIX,
  protocols: [],
  echoToken: false,
  ack: 'auth-ok',
  nack: 'auth-denied',
  ackDelayMs: 0,
  closeOnOpen: undefined,
  refusalStatus: 401,
};

/** A control-port client, for runners on Node and Bun (Deno and pages use `fetch` the same way). */
export function authControl(controlUrl) {
  const call = async (method, path, body) => {
    const response = await fetch(`${controlUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
    return response.json();
  };
  return {
    createSession: (config) => call('POST', '/sessions', config),
    seen: (id) => call('GET', `/sessions/${id}?settle=2000`),
    configure: (id, config) => call('POST', `/sessions/${id}/config`, config),
    closeConnections: (id, code, reason = '') => call('POST', `/sessions/${id}/close`, { code, reason }),
    deafen: (id) => call('POST', `/sessions/${id}/deafen`, {}),
    restart: (downMs) => call('POST', '/restart', { downMs }),
  };
}

/**
 * Starts both ports on 127.0.0.1. Resolves with `{ port, controlPort, close() }`.
 * @param {{ port?: number, controlPort?: number }} [options]
 */
export async function startAuthServer(options = {}) {
  /** @type {Map<string, { config: typeof DEFAULT_CONFIG, attempts: number, connections: any[], messages: string[], pings: number, sockets: Set<any> }>} */
  const sessions = new Map();
  let nextSession = 1;
  let listening = true;
  /** The pending return of the WebSocket port after a restart. */
  let relisten;

  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (_offered, request) => request.chosenProtocol ?? false,
  });

  const data = createServer((_request, response) => response.writeHead(404).end());
  data.on('upgrade', (request, socket, head) => {
    if (!listening) {
      socket.destroy();
      return;
    }
    const match = /^\/s\/(\d+)$/.exec(new URL(request.url ?? '/', 'http://localhost').pathname);
    const session = match ? sessions.get(match[1]) : undefined;
    if (session === undefined) {
      refuse(socket, 404);
      return;
    }
    session.attempts++;
    const { config } = session;
    const offered = String(request.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    const tokenEntries = offered.filter((entry) => entry.startsWith(config.prefix));
    const record = {
      headers: { ...request.headers },
      offered,
      protocol: '',
      verdict: 'accepted',
      log: [],
      closeCode: undefined,
      closeReason: undefined,
      closedBy: undefined,
    };
    session.connections.push(record);

    if (config.check === 'header') {
      const value = request.headers[config.header.name.toLowerCase()];
      const expected = config.tokens.map((token) =>
        config.header.scheme ? `${config.header.scheme} ${token}` : token,
      );
      if (typeof value !== 'string' || !expected.includes(value)) {
        record.verdict = `http-${config.refusalStatus}`;
        refuse(socket, config.refusalStatus);
        return;
      }
    } else if (config.check === 'subprotocol') {
      const valid = config.tokens.map((token) => config.prefix + Buffer.from(token, 'utf8').toString('base64url'));
      if (!tokenEntries.some((entry) => valid.includes(entry))) {
        record.verdict = `http-${config.refusalStatus}`;
        refuse(socket, config.refusalStatus);
        return;
      }
    }
    const real = config.protocols.find((protocol) => offered.includes(protocol));
    request.chosenProtocol = config.echoToken ? tokenEntries[0] : real;

    wss.handleUpgrade(request, socket, head, (ws) => {
      record.protocol = ws.protocol;
      const connection = { ws, deaf: false, closingByServer: false };
      session.sockets.add(connection);
      ws.on('close', (code, reason) => {
        session.sockets.delete(connection);
        record.closeCode = code;
        record.closeReason = reason.toString();
        record.closedBy = connection.closingByServer ? 'server' : 'client';
      });
      ws.on('error', () => {});
      if (config.closeOnOpen !== undefined) {
        connection.closingByServer = true;
        ws.close(config.closeOnOpen.code, config.closeOnOpen.reason ?? '');
        return;
      }
      let authenticated = config.check !== 'message';
      let first = true;
      ws.on('message', (raw, isBinary) => {
        const text = isBinary ? `<binary ${raw.length}>` : raw.toString();
        if (first && config.check === 'message') {
          first = false;
          const token = parseAuthMessage(text);
          if (token !== undefined && config.tokens.includes(token)) {
            record.log.push('auth');
            setTimeout(() => {
              if (ws.readyState !== ws.OPEN) return;
              authenticated = true;
              record.log.push('ack');
              ws.send(config.ack);
            }, config.ackDelayMs);
          } else {
            record.log.push(token === undefined ? `not-auth:${text}` : 'auth-refused');
            ws.send(config.nack);
          }
          return;
        }
        if (connection.deaf) {
          record.log.push(text === 'ping' ? 'ping-ignored' : `ignored:${text}`);
          return;
        }
        if (text === 'ping') {
          session.pings++;
          ws.send('pong');
          return;
        }
        record.log.push(authenticated ? text : `before-ack:${text}`);
        session.messages.push(text);
        ws.send(`echo:${text}`);
      });
    });
  });

  const control = createServer(async (request, response) => {
    const reply = (status, body) => {
      response.writeHead(status, {
        'content-type': 'application/json',
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'content-type',
        'cache-control': 'no-store',
      });
      response.end(body === undefined ? '{}' : JSON.stringify(body));
    };
    if (request.method === 'OPTIONS') return reply(204);
    let body = {};
    try {
      const chunks = [];
      for await (const chunk of request) chunks.push(chunk);
      const text = Buffer.concat(chunks).toString('utf8');
      if (text !== '') body = JSON.parse(text);
    } catch {
      return reply(400, { error: 'the body is not JSON' });
    }
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method === 'POST' && path === '/sessions') {
      const id = String(nextSession++);
      sessions.set(id, {
        config: { ...DEFAULT_CONFIG, ...body },
        attempts: 0,
        connections: [],
        messages: [],
        pings: 0,
        sockets: new Set(),
      });
      return reply(200, { id, path: `/s/${id}` });
    }
    if (request.method === 'POST' && path === '/restart') {
      await stopListening();
      relisten = setTimeout(
        () => {
          relisten = undefined;
          data.listen(port, '127.0.0.1', () => {
            listening = true;
          });
        },
        Number(body.downMs ?? 500),
      );
      return reply(200, { down: true });
    }
    const match = /^\/sessions\/(\d+)(?:\/(config|close|deafen))?$/.exec(path);
    const session = match ? sessions.get(match[1]) : undefined;
    if (match === null || session === undefined) return reply(404, { error: `no such session: ${path}` });
    const action = match[2];
    if (request.method === 'GET' && action === undefined) {
      // `?settle=MS`: first wait (at most MS) for the session's connections to finish closing, so
      // close codes the client has already sent are recorded.
      const settleUntil =
        Date.now() + Number(new URL(request.url ?? '/', 'http://localhost').searchParams.get('settle'));
      while (session.sockets.size > 0 && Date.now() < settleUntil) await new Promise((done) => setTimeout(done, 10));
      const { sockets: _sockets, ...seen } = session;
      return reply(200, { ...seen, open: session.sockets.size });
    }
    if (request.method !== 'POST') return reply(405, { error: 'method not allowed' });
    if (action === 'config') {
      session.config = { ...session.config, ...body };
      return reply(200, session.config);
    }
    if (action === 'close') {
      for (const connection of session.sockets) {
        connection.closingByServer = true;
        connection.ws.close(Number(body.code ?? 1000), String(body.reason ?? ''));
      }
      return reply(200, { closed: session.sockets.size });
    }
    for (const connection of session.sockets) connection.deaf = true;
    return reply(200, { deafened: session.sockets.size });
  });

  async function stopListening() {
    listening = false;
    for (const session of sessions.values()) {
      for (const connection of session.sockets) connection.closingByServer = true;
    }
    for (const client of wss.clients) client.terminate();
    data.closeAllConnections();
    await new Promise((done) => data.close(() => done()));
  }

  await new Promise((done) => data.listen(options.port ?? 0, '127.0.0.1', done));
  const { port } = data.address();
  await new Promise((done) => control.listen(options.controlPort ?? 0, '127.0.0.1', done));
  const controlPort = control.address().port;

  return {
    port,
    controlPort,
    close: async () => {
      clearTimeout(relisten);
      if (data.listening) await stopListening();
      listening = false;
      control.closeAllConnections();
      await new Promise((done) => control.close(() => done()));
      wss.close();
    },
  };
}

/** Ends an upgrade request with an HTTP status instead of switching protocols. */
function refuse(socket, status) {
  socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** The token of a `{"type":"auth","token":…}` message, else undefined. */
function parseAuthMessage(text) {
  try {
    const value = JSON.parse(text);
    return value?.type === 'auth' && typeof value.token === 'string' ? value.token : undefined;
  } catch {
    return undefined;
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const server = await startAuthServer();
  process.stdout.write(`${JSON.stringify({ port: server.port, controlPort: server.controlPort })}\n`);
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (process.argv.includes('--exit-with-stdin')) {
    process.stdin.on('end', stop);
    process.stdin.resume();
  }
}
