import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 that injects the faults real networks produce, for tests of the
 * reconnect layer over real sockets:
 * - `cutAll('fin')`: both sides get an orderly FIN (a server or middlebox closing politely);
 * - `cutAll('rst')`: both sides get a RST (a crashed peer, a NAT dropping state);
 * - `freeze()` / `thaw()`: nothing is forwarded and nothing is closed (a half-open connection,
 *   a partition); sockets are paused, so the kernel buffers and TCP stays "up";
 * - `setDelay(ms)`: every chunk is forwarded `ms` later, in order;
 * - `refuse(true)`: stops listening, so connects fail with ECONNREFUSED; `refuse(false)` listens
 *   again on the same port;
 * - `blackHole(true)`: accepts connections, reads and discards what they send, and never answers
 *   (a handshake black hole).
 */
export class FaultProxy {
  readonly #targetPort: number;
  readonly #targetHost: string;
  #server: net.Server;
  #port = 0;
  readonly #pairs = new Set<Pair>();
  readonly #holes = new Set<net.Socket>();
  #frozen = false;
  #blackHole = false;
  #refusing = false;
  #delayMs = 0;
  /** Connections accepted since start (including refused-by-black-hole ones). */
  accepted = 0;
  /** When each connection was accepted (`performance.now()`), for arrival-spread measurements. */
  readonly acceptedAt: number[] = [];

  private constructor(targetPort: number, targetHost: string) {
    this.#targetPort = targetPort;
    this.#targetHost = targetHost;
    this.#server = this.#createServer();
  }

  /** Starts a proxy in front of `targetPort` on a free loopback port. */
  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<FaultProxy> {
    const proxy = new FaultProxy(targetPort, targetHost);
    await proxy.#listen(0);
    return proxy;
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.#port}`;
  }

  /** Connections currently held (forwarded pairs plus black-holed sockets). */
  get activeConnections(): number {
    return this.#pairs.size + this.#holes.size;
  }

  /** Cuts every current connection on both sides; returns how many were cut. */
  cutAll(kind: 'fin' | 'rst'): number {
    const pairs = [...this.#pairs];
    for (const pair of pairs) pair.cut(kind);
    for (const hole of this.#holes) kind === 'rst' ? hole.resetAndDestroy() : hole.end();
    this.#holes.clear();
    return pairs.length;
  }

  /** Stops forwarding on every connection, present and future, without closing any. */
  freeze(): void {
    this.#frozen = true;
    for (const pair of this.#pairs) pair.pause();
  }

  /** Resumes forwarding; what the kernel buffered meanwhile flows on. */
  thaw(): void {
    this.#frozen = false;
    for (const pair of this.#pairs) pair.resume();
  }

  /** Delays every forwarded chunk by `ms` from now on (0 to stop). */
  setDelay(ms: number): void {
    this.#delayMs = ms;
  }

  /** Accepts connections but never connects them upstream, answers or closes them. */
  blackHole(on = true): void {
    this.#blackHole = on;
    if (!on) {
      for (const hole of this.#holes) hole.destroy();
      this.#holes.clear();
    }
  }

  /** `true`: stop listening (ECONNREFUSED); `false`: listen again on the same port. */
  async refuse(on: boolean): Promise<void> {
    if (on === this.#refusing) return;
    this.#refusing = on;
    if (on) {
      await new Promise<void>((resolve) => {
        this.#server.close(() => resolve());
        // close() waits for open connections; existing ones are left alone, so do not wait for them.
        setImmediate(resolve);
      });
    } else {
      this.#server = this.#createServer();
      await this.#listen(this.#port);
    }
  }

  /** Destroys every connection and stops listening. */
  async close(): Promise<void> {
    this.cutAll('rst');
    for (const hole of this.#holes) hole.destroy();
    await new Promise<void>((resolve) => {
      if (!this.#server.listening) resolve();
      else this.#server.close(() => resolve());
    });
  }

  #createServer(): net.Server {
    const server = net.createServer({ noDelay: true }, (client) => this.#onConnection(client));
    server.on('error', () => undefined);
    return server;
  }

  #listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => {
        this.#server.off('error', reject);
        this.#port = (this.#server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  #onConnection(client: net.Socket): void {
    this.accepted += 1;
    this.acceptedAt.push(performance.now());
    client.on('error', () => undefined);
    if (this.#blackHole) {
      // Read and discard, so the client's own close (its FIN) is still seen and the hole let go.
      client.on('data', () => undefined);
      this.#holes.add(client);
      client.on('close', () => this.#holes.delete(client));
      return;
    }
    const upstream = net.connect({ port: this.#targetPort, host: this.#targetHost, noDelay: true });
    const pair = new Pair(client, upstream, () => this.#delayMs);
    this.#pairs.add(pair);
    pair.onClosed = () => this.#pairs.delete(pair);
    if (this.#frozen) pair.pause();
  }
}

/** One proxied connection: client ↔ upstream. */
class Pair {
  onClosed: () => void = () => undefined;
  readonly #client: net.Socket;
  readonly #upstream: net.Socket;
  #closed = 0;
  #cutTimer: NodeJS.Timeout | undefined;

  constructor(client: net.Socket, upstream: net.Socket, delayMs: () => number) {
    this.#client = client;
    this.#upstream = upstream;
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    forward(client, upstream, delayMs);
    forward(upstream, client, delayMs);
    for (const socket of [client, upstream]) {
      socket.on('close', () => {
        this.#closed += 1;
        if (this.#closed === 1) (socket === client ? upstream : client).destroy();
        if (this.#closed === 2) {
          if (this.#cutTimer) clearTimeout(this.#cutTimer);
          this.onClosed();
        }
      });
    }
  }

  pause(): void {
    this.#client.pause();
    this.#upstream.pause();
  }

  resume(): void {
    this.#client.resume();
    this.#upstream.resume();
  }

  cut(kind: 'fin' | 'rst'): void {
    if (kind === 'rst') {
      this.#client.resetAndDestroy();
      this.#upstream.resetAndDestroy();
      return;
    }
    this.#client.end();
    this.#upstream.end();
    // A peer that never answers the FIN must not keep the pair forever.
    this.#cutTimer = setTimeout(() => {
      this.#client.destroy();
      this.#upstream.destroy();
    }, 2000);
    this.#cutTimer.unref();
  }
}

/** Copies `from` → `to`, each chunk `delayMs()` later, in order; an orderly end is passed on. */
function forward(from: net.Socket, to: net.Socket, delayMs: () => number): void {
  let chain = Promise.resolve();
  from.on('data', (chunk: Buffer) => {
    const delay = delayMs();
    if (delay <= 0) {
      chain = chain.then(() => {
        if (!to.destroyed) to.write(chunk);
      });
      return;
    }
    chain = chain.then(
      () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            if (!to.destroyed) to.write(chunk);
            resolve();
          }, delay),
        ),
    );
  });
  from.on('end', () => {
    chain = chain.then(() => {
      if (!to.destroyed) to.end();
    });
  });
}
