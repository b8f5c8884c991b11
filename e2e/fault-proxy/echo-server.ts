import http from 'node:http';
import type net from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * A real `ws` server for the fault-injection tests, restartable on the same port: it records
 * every message received (in order), echoes `echo:` messages, answers application pings
 * (`"ping"` → `"pong"`), and can refuse upgrades with an HTTP status.
 */
export class TestServer {
  /** Every message received, as text, across restarts. */
  readonly received: string[] = [];
  /** Connections accepted, across restarts. */
  connections = 0;
  #http: http.Server | undefined;
  #wss: WebSocketServer | undefined;
  #port = 0;
  #refusal: { status: number; headers: Record<string, string> } | undefined;
  /** What to do with each new connection; by default nothing special. */
  onConnection: (socket: WebSocket) => void = () => undefined;

  static async start(): Promise<TestServer> {
    const server = new TestServer();
    await server.#listen(0);
    return server;
  }

  get port(): number {
    return this.#port;
  }

  get clients(): number {
    return this.#wss?.clients.size ?? 0;
  }

  /** Answer every upgrade with `status` (and `headers`) until `refuseWith(undefined)`. */
  refuseWith(status: number | undefined, headers: Record<string, string> = {}): void {
    this.#refusal = status === undefined ? undefined : { status, headers };
  }

  /** Kills the server as a crash would: every connection dropped, the port closed. */
  async stop(): Promise<void> {
    const wss = this.#wss;
    const server = this.#http;
    this.#wss = undefined;
    this.#http = undefined;
    if (wss) for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** Starts again on the same port. */
  async restart(): Promise<void> {
    await this.#listen(this.#port);
  }

  #listen(port: number): Promise<void> {
    const server = http.createServer((_, response) => response.writeHead(426).end());
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (request, socket: net.Socket, head) => {
      const refusal = this.#refusal;
      if (refusal) {
        const headers = Object.entries(refusal.headers)
          .map(([name, value]) => `${name}: ${value}\r\n`)
          .join('');
        socket.end(`HTTP/1.1 ${refusal.status} Refused\r\nContent-Length: 0\r\nConnection: close\r\n${headers}\r\n`);
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => {
        this.connections += 1;
        ws.on('error', () => undefined);
        ws.on('message', (data) => {
          const text = data.toString();
          if (text === 'ping') {
            ws.send('pong');
            return;
          }
          this.received.push(text);
          if (text.startsWith('echo:')) ws.send(text);
        });
        this.onConnection(ws);
      });
    });
    this.#http = server;
    this.#wss = wss;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        this.#port = (server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }
}

/** Polls `predicate` every 5 ms until it holds, or fails after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
