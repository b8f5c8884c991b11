// The `sturdysocket` CLI, run in-process through `main()` with captured output, against real
// servers: a ws echo server, a server that lies about the accept value, one that refuses with 401.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { computeAccept } from '@sturdysocket/core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { main } from '../../packages/sturdysocket/src/cli/main.js';
import { makeCertificates } from '../servers/tls-certificates.js';

/** A function that terminates the clients of `wss` and closes `server`, the one it listens on. */
function closerOf(wss: WebSocketServer, server: { close(done: () => void): unknown } = wss): () => Promise<void> {
  return async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

/** A `ws` server on a free loopback port that gives each connection to `onConnection`. */
async function startWsServer(onConnection: (client: WebSocket, request: IncomingMessage) => void = () => {}) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', onConnection);
  return { wss, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`, close: closerOf(wss) };
}

let echoUrl: string;
let closeEcho: () => Promise<void>;
let liar: Server;
let liarUrl: string;
const seenAuthorization: string[] = [];

beforeAll(async () => {
  const echo = await startWsServer((socket, request) => {
    seenAuthorization.push(String(request.headers.authorization));
    socket.on('message', (data) => socket.send(`echo:${data}`));
  });
  echoUrl = echo.url;
  closeEcho = echo.close;
  liar = createServer((socket) => {
    socket.once('data', async () => {
      const forged = await computeAccept('AAAAAAAAAAAAAAAAAAAAAA==');
      socket.end(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${forged}\r\n\r\n`,
      );
    });
  });
  await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
  liarUrl = `ws://127.0.0.1:${(liar.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await closeEcho();
  await new Promise((resolve) => liar.close(resolve));
});

async function run(args: string[], stdin = '', env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    stdin: Readable.from(stdin === '' ? [] : [stdin]),
    env,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('sturdysocket CLI', () => {
  it('accept prints the RFC 6455 vector; key prints a valid fresh key', async () => {
    expect(await run(['accept', 'dGhlIHNhbXBsZSBub25jZQ=='])).toMatchObject({
      code: 0,
      out: 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=',
    });
    const key = await run(['key']);
    expect(key.out).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect((await run(['key'])).out).not.toBe(key.out);
  });

  it('refuses a malformed key with a usage error, exit 2, one line, no stack', async () => {
    const result = await run(['accept', 'nope']);
    expect(result.code).toBe(2);
    expect(result.err.split('\n')[0]).toMatch(/^error: UsageError: "nope" is not a valid Sec-WebSocket-Key/);
    expect(result.err).not.toMatch(/\n\s+at /);
  });

  it('probe passes against a real server and reports key, accept, status and ping', async () => {
    const result = await run(['probe', echoUrl]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/accept received +\S+ +✔ match/);
    expect(result.out).toMatch(/status +101/);
    expect(result.out).toMatch(/ping round trip +[\d.]+ ms/);
    expect(result.out).toMatch(/verdict +✔ PASS/);
  });

  it('probe over wss: reports TLS version, cipher, certificate and the time to TCP, TLS and open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sturdysocket-cli-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const certificates = makeCertificates(dir);
    const caPath = join(dir, 'ca-for-cli.pem');
    writeFileSync(caPath, certificates.caPem);
    const https = createHttpsServer({
      cert: readFileSync(certificates.leafCertPath),
      key: readFileSync(certificates.leafKeyPath),
    });
    const wss = new WebSocketServer({ server: https });
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    onTestFinished(closerOf(wss, https));
    const url = `wss://localhost:${(https.address() as AddressInfo).port}/`;
    const result = await run(['probe', url, '--ca', caPath, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out);
    expect(report.tls.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(report.tls.peerCertificate.subject).toContain('localhost');
    expect(report.timings.tcpMs).toBeLessThanOrEqual(report.timings.tlsMs);
    expect(report.timings.tlsMs).toBeLessThanOrEqual(report.timings.openMs);
    const untrusted = await run(['probe', url, '--json']);
    expect(untrusted.code).toBe(1);
    expect(JSON.parse(untrusted.out).error.reason).toBe('tls');
  });

  it('probe --json fails against a lying server with the typed reason', async () => {
    const result = await run(['probe', liarUrl, '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out);
    expect(report).toMatchObject({ verdict: 'fail', status: 101, error: { reason: 'bad-accept' } });
  });

  it('connect --stdin sends each line and prints the replies; the token is sent but never printed', async () => {
    const result = await run(
      ['connect', echoUrl, '--stdin', '--wait-ms', '300', '--token', 'cli-secret-token'],
      'one\ntwo\n',
    );
    expect(result.code).toBe(0);
    expect(result.out).toContain('< echo:one');
    expect(result.out).toContain('< echo:two');
    expect(seenAuthorization).toContain('Bearer cli-secret-token');
    expect(`${result.out}${result.err}`).not.toContain('cli-secret-token');
  });

  it('connect --stdin sends lines queued while the handshake is slow before exiting (they were dropped, exit 0)', async () => {
    // The server answers the upgrade only after longer than --wait-ms: the lines are queued when
    // stdin ends, and the command must send them rather than close with them still in the outbox.
    const http = createHttpServer();
    const slow = new WebSocketServer({ noServer: true });
    const received: string[] = [];
    http.on('upgrade', (request, socket, head) => {
      setTimeout(() => {
        slow.handleUpgrade(request, socket, head, (client) => {
          client.on('message', (data) => {
            received.push(String(data));
            client.send(`echo:${data}`);
          });
        });
      }, 300);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    onTestFinished(closerOf(slow, http));
    const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/`;
    const result = await run(['connect', url, '--stdin', '--wait-ms', '200'], 'one\ntwo\n');
    expect(received).toEqual(['one', 'two']);
    expect(result.out).toContain('< echo:two');
    expect(result.code).toBe(0);
  });

  it('connect exits 0 when the server ends the session with 1000, without --reconnect (it printed a max-retries error, exit 1)', async () => {
    const closing = await startWsServer((client, request) => {
      const code = Number(new URL(request.url ?? '/', 'ws://x').searchParams.get('code'));
      client.send('bye');
      client.close(code, 'done');
    });
    onTestFinished(closing.close);
    const normal = await run(['connect', `${closing.url}?code=1000`, '--stdin', '--wait-ms', '2000'], '');
    expect(normal.out).toContain('< bye');
    expect(normal.out).toContain('disconnected (code 1000, done)');
    expect(normal.err).toBe('');
    expect(normal.code).toBe(0);
    // Any other close still ends the command as a failure.
    const refused = await run(['connect', `${closing.url}?code=4403`, '--stdin', '--wait-ms', '2000'], '');
    expect(refused.err).toMatch(/^error: /);
    expect(refused.code).toBe(1);
  });

  it('connect prints a binary message as its length and bytes in hex (it printed [object Blob])', async () => {
    const binary = await startWsServer((client) => {
      client.send(Buffer.from([0x01, 0x02, 0x03, 0xff]));
      client.close(1000);
    });
    onTestFinished(binary.close);
    const result = await run(['connect', binary.url, '--stdin', '--wait-ms', '2000'], '');
    expect(result.out).toContain('< <binary 4 bytes: 010203ff>');
    const json = await run(['connect', binary.url, '--stdin', '--json', '--wait-ms', '2000'], '');
    const events = json.out.split('\n').map((line) => JSON.parse(line));
    expect(events.find((event) => event.type === 'message')?.data).toBe('<binary 4 bytes: 010203ff>');
  });

  it('connect and probe never print the password of a URL with credentials (they printed the URL as given)', async () => {
    const withCredentials = echoUrl.replace('ws://', 'ws://user:url-secret@');
    for (const json of [[], ['--json']]) {
      const result = await run(['connect', withCredentials, '--stdin', '--wait-ms', '100', ...json], 'hi\n');
      expect(result.code).toBe(0);
      expect(result.out).toContain('echo:hi');
      expect(result.out).toContain('user:');
      expect(`${result.out}${result.err}`).not.toContain('url-secret');
    }
    for (const json of [[], ['--json']]) {
      const result = await run(['probe', withCredentials, ...json]);
      expect(result.code).toBe(0);
      expect(`${result.out}${result.err}`).not.toContain('url-secret');
    }
  });

  it('connect closes with 1000 and exits 130 when interrupted (Ctrl-C dropped the connection)', async () => {
    const server = await startWsServer();
    onTestFinished(server.close);
    const closed = new Promise<number>((resolve) =>
      server.wss.once('connection', (socket) => socket.once('close', (code) => resolve(code))),
    );
    const interrupt = new AbortController();
    const out: string[] = [];
    const session = main(['connect', server.url], {
      out: (line) => out.push(line),
      err: (line) => out.push(line),
      stdin: new PassThrough(), // a terminal nobody types into: only the interrupt ends it
      env: {},
      interrupt: interrupt.signal,
    });
    while (!out.some((line) => line.startsWith('connected to'))) await new Promise((resolve) => setTimeout(resolve, 5));
    interrupt.abort();
    expect(await session).toBe(130);
    expect(await closed).toBe(1000);
    expect(out.join('\n')).toContain('disconnected (code 1000)');
  });

  it('connect --json prints one JSON object per event', async () => {
    const result = await run(['connect', echoUrl, '--stdin', '--json', '--wait-ms', '300'], 'hi\n');
    const events = result.out.split('\n').map((line) => JSON.parse(line));
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['open', 'message', 'close']));
    expect(events.find((event) => event.type === 'message')?.data).toBe('echo:hi');
  });

  it('connect reports a refused connection as one typed line and exit 1', async () => {
    const result = await run(['connect', liarUrl, '--stdin', '--wait-ms', '100'], '');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^error: HandshakeError reason=bad-accept status=101: /);
    expect(result.err).not.toMatch(/\n\s+at /);
  });

  it('--verbose adds the stack', async () => {
    const result = await run(['accept', 'nope', '--verbose']);
    expect(result.err).toMatch(/\n\s+at /);
  });

  it('an unknown option or a missing option value is a usage error, exit 2 (it exited 1 as a failure)', async () => {
    for (const args of [
      ['connect', echoUrl, '--bogus'],
      ['probe', echoUrl, '--timeout-ms'],
    ]) {
      const result = await run(args);
      expect(result.code).toBe(2);
      expect(result.err).toContain('run `sturdysocket --help` for usage');
    }
  });

  it('an unknown command prints the usage and exits 2', async () => {
    const result = await run(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('Usage: sturdysocket');
  });
});
