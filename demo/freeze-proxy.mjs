// A TCP relay the demo puts between client and server so it can make a connection half-open:
// `freeze()` stops forwarding in both directions without closing anything, exactly what a dead
// NAT entry or a pulled cable looks like to both ends. New connections are forwarded normally.
import { createConnection, createServer } from 'node:net';

export class FreezeProxy {
  #server;
  #pairs = new Set();

  constructor(targetPort) {
    this.#server = createServer((client) => {
      const upstream = createConnection(targetPort, '127.0.0.1');
      const pair = { client, upstream, frozen: false };
      this.#pairs.add(pair);
      const relay = (from, to) =>
        from.on('data', (chunk) => {
          if (!pair.frozen) to.write(chunk);
        });
      relay(client, upstream);
      relay(upstream, client);
      const end = () => {
        this.#pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
  }

  async listen() {
    await new Promise((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return this.#server.address().port;
  }

  /** Silently stops forwarding on every current connection; returns how many were frozen. */
  freezeAll() {
    for (const pair of this.#pairs) pair.frozen = true;
    return this.#pairs.size;
  }

  close() {
    for (const { client, upstream } of this.#pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.#server.close();
  }
}
