// Interop: wss:// through nginx terminating TLS in front of a `ws` echo server — real TLS, a
// real reverse proxy, a certificate from a CA made by the test and passed as `ca`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HandshakeError, WebSocket } from '@sturdysocket/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECHO_SIZES, expectCleanClose, expectEcho, HUGE_SIZE, openClient } from '../servers/echo-suite.js';
import { freePort, type Launched, launch, requireExecutable, serverScript } from '../servers/launch.js';
import { makeCertificates, type TestCertificates } from '../servers/tls-certificates.js';

const NGINX = '/usr/sbin/nginx';

let dir: string;
let backend: Launched | undefined;
let nginx: Launched | undefined;
let certificates: TestCertificates;
let port: number;

function nginxConfig(listenPort: number, backendPort: number): string {
  return `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${listenPort} ssl;
    server_name localhost;
    ssl_certificate ${certificates.leafCertPath};
    ssl_certificate_key ${certificates.leafKeyPath};
    location / {
      proxy_pass http://127.0.0.1:${backendPort};
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection "upgrade";
      proxy_read_timeout 60s;
    }
  }
}
`;
}

beforeAll(async () => {
  requireExecutable(NGINX, 'install nginx (apt-get install -y nginx)');
  dir = mkdtempSync(join(tmpdir(), 'sturdysocket-nginx-'));
  certificates = makeCertificates(dir);
  backend = await launch(process.execPath, [serverScript('ws-echo-server.mjs')]);
  port = await freePort();
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig(port, backend.port));
  // -e: the error log from the start, not the system path; -p: a prefix of our own.
  nginx = await launch(NGINX, ['-c', join(dir, 'nginx.conf'), '-p', dir, '-e', join(dir, 'error.log')], { port });
});

afterAll(async () => {
  await nginx?.kill();
  await backend?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('wss:// through nginx', () => {
  let socket: WebSocket;

  beforeAll(async () => {
    socket = await openClient(`wss://localhost:${port}/`, { ca: certificates.caPem, protocols: ['echo'] });
  });

  afterAll(() => socket?.terminate());

  it('opens over TLS with the subprotocol', () => {
    expect(socket.protocol).toBe('echo');
    expect(socket.url).toBe(`wss://localhost:${port}/`);
  });

  for (const kind of ['text', 'binary'] as const) {
    it.each([...ECHO_SIZES, HUGE_SIZE])(`echoes %i bytes of ${kind}`, async (size) => {
      await expectEcho(socket, kind, size);
    });
  }

  it('answers ping() and closes cleanly', async () => {
    expect(await socket.ping()).toBeGreaterThanOrEqual(0);
    await expectCleanClose(socket, 4000, 'tls done');
  });

  it('connects to the IP literal in the certificate', async () => {
    const byAddress = await openClient(`wss://127.0.0.1:${port}/`, { ca: certificates.caPem });
    await expectEcho(byAddress, 'text', 10);
    await expectCleanClose(byAddress);
  });
});

describe('TLS failures', () => {
  async function tlsFailure(url: string, options: ConstructorParameters<typeof WebSocket>[1]): Promise<HandshakeError> {
    const socket = new WebSocket(url, options);
    const events: string[] = [];
    let error: unknown;
    socket.addEventListener('error', (event) => {
      events.push('error');
      error = (event as Event & { error?: unknown }).error;
    });
    await new Promise((resolve) => socket.addEventListener('close', resolve));
    expect(events).toEqual(['error']);
    expect(error).toBeInstanceOf(HandshakeError);
    return error as HandshakeError;
  }

  it('an untrusted certificate fails with reason tls', async () => {
    const error = await tlsFailure(`wss://localhost:${port}/`, {});
    expect(error.reason).toBe('tls');
    expect((error.cause as NodeJS.ErrnoException).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('a certificate for another name fails with reason tls', async () => {
    const error = await tlsFailure(`wss://localhost:${port}/`, { ca: certificates.caPem, servername: 'example.com' });
    expect(error.reason).toBe('tls');
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('rejectUnauthorized: false accepts it (and is documented as unsafe)', async () => {
    const socket = await openClient(`wss://localhost:${port}/`, { rejectUnauthorized: false });
    await expectCleanClose(socket);
  });
});
