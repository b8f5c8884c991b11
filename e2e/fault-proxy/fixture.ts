import { afterEach, beforeEach } from 'vitest';
import { TestServer } from './echo-server.js';
import { FaultProxy } from './fault-proxy.js';

/** What `useFaultProxy` gives the tests of a file. */
export interface FaultProxyFixture<Socket extends { close(): void }> {
  /** The echo server of the running test. */
  readonly server: TestServer;
  /** The fault proxy in front of it; clients connect to `proxy.url`. */
  readonly proxy: FaultProxy;
  /** Where a test puts the sockets it opens, to have them closed after it. */
  readonly sockets: Socket[];
}

/**
 * Gives each test of the calling file a fresh echo server behind a fresh fault proxy, and
 * afterwards closes the sockets the test kept in `sockets`, then the proxy and the server. Call
 * it at the top level of a test file: it registers that file's `beforeEach` and `afterEach`.
 */
export function useFaultProxy<Socket extends { close(): void }>(): FaultProxyFixture<Socket> {
  let running: { server: TestServer; proxy: FaultProxy } | undefined;
  const sockets: Socket[] = [];
  beforeEach(async () => {
    const server = await TestServer.start();
    running = { server, proxy: await FaultProxy.start(server.port) };
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await running?.proxy.close();
    await running?.server.stop();
    running = undefined;
  });
  const current = () => {
    if (running === undefined) throw new Error('useFaultProxy: the server runs only inside a test');
    return running;
  };
  return {
    get server() {
      return current().server;
    },
    get proxy() {
      return current().proxy;
    },
    sockets,
  };
}
