// A minimal HTTP CONNECT proxy (RFC 9110 §9.3.6) for tests: optional Basic credentials, a list of
// ports it tunnels to, optional TLS (an https: proxy), and a record of every CONNECT it saw.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { type AddressInfo, connect, type Socket } from 'node:net';

export interface ConnectProxy {
  readonly url: string;
  readonly port: number;
  /** Every CONNECT: the authority asked for and the Proxy-Authorization sent (if any). */
  readonly requests: Array<{ authority: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

export async function startConnectProxy(
  options: {
    username?: string;
    password?: string;
    allowedPorts?: readonly number[];
    /** Serve over TLS with this certificate: the proxy's URL is then https://localhost:PORT. */
    tls?: { cert: Buffer; key: Buffer };
  } = {},
): Promise<ConnectProxy> {
  const requests: ConnectProxy['requests'] = [];
  const sockets = new Set<Socket>();
  const expected =
    options.username === undefined
      ? undefined
      : `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
  const refuse = (_request: IncomingMessage, response: ServerResponse) => response.writeHead(405).end();
  const server = options.tls ? createTlsServer(options.tls, refuse) : createServer(refuse);
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('error', () => {});
    client.on('close', () => sockets.delete(client));
    const authority = request.url ?? '';
    const authorization = request.headers['proxy-authorization'];
    requests.push({ authority, authorization });
    if (expected !== undefined && authorization !== expected) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
      return;
    }
    const match = /^(.*):(\d+)$/.exec(authority);
    const port = Number(match?.[2]);
    if (!match || (options.allowedPorts && !options.allowedPorts.includes(port))) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(port, (match[1] as string).replace(/^\[|\]$/g, ''));
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => sockets.delete(upstream));
    upstream.once('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: options.tls ? `https://localhost:${port}` : `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
