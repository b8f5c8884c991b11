// The demo's server side: a `ws` server that checks bearer tokens, records every message it
// receives (so the demo can prove what arrived, once and in order), and can be killed,
// restarted on the same port, or told to expire the current token.
import { WebSocketServer } from 'ws';

export class DemoServer {
  /** Every application message received, across restarts, in arrival order. */
  received = [];
  /** The token the server accepts now. */
  validToken;
  #wss;
  #port;

  constructor(validToken) {
    this.validToken = validToken;
  }

  get port() {
    return this.#port;
  }

  async start(port = 0) {
    this.#wss = new WebSocketServer({
      host: '127.0.0.1',
      port,
      verifyClient: (info, done) =>
        info.req.headers.authorization === `Bearer ${this.validToken}` ? done(true) : done(false, 401),
    });
    await new Promise((resolve, reject) => {
      this.#wss.once('listening', resolve);
      this.#wss.once('error', reject);
    });
    this.#port = this.#wss.address().port;
    this.#wss.on('connection', (socket) => {
      socket.on('message', (data) => {
        this.received.push(String(data));
        socket.send(`ack ${data}`);
      });
    });
  }

  /** Kills the server: every connection dropped, nothing listening. */
  async kill() {
    for (const client of this.#wss.clients) client.terminate();
    await new Promise((resolve) => this.#wss.close(resolve));
  }

  /** Rotates the accepted token and closes every session with 4001 ("credentials expired"). */
  expireToken(nextToken) {
    this.validToken = nextToken;
    for (const client of this.#wss.clients) client.close(4001, 'token expired');
  }

  async stop() {
    await this.kill().catch(() => {});
  }
}
