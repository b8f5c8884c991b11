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
    try {
      running = { server, proxy: await FaultProxy.start(server.port) };
    } catch (error) {
      await server.stop();
      throw error;
    }
  });
  afterEach(async () => {
    // A socket or the proxy that fails to close must not leave the server behind for the next test.
    const stopped = running;
    running = undefined;
    try {
      for (const socket of sockets.splice(0)) socket.close();
    } finally {
      try {
        await stopped?.proxy.close();
      } finally {
        await stopped?.server.stop();
      }
    }
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
