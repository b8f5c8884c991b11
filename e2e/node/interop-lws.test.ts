// Interop: the Node WebSocket against libwebsockets' test server (C), in its own process. It
// speaks text only: `lws-mirror-protocol` sends every message to all its clients, the sender
// included, as it received it (in pieces of at most about 4 KiB, so larger messages come back
// split); `dumb-increment-protocol` streams a counter.
import type { WebSocket } from '@sturdysocket/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanClose, expectEcho, openClient } from '../servers/echo-suite.js';
import { freePort, type Launched, launch, requireExecutable } from '../servers/launch.js';

const LWS = '/usr/bin/libwebsockets-test-server';

let server: Launched | undefined;

beforeAll(async () => {
  requireExecutable(LWS, 'install libwebsockets-test-server (apt-get install -y libwebsockets-test-server)');
  const port = await freePort();
  // --interface=lo: without it the server listens on every interface.
  server = await launch(LWS, [`--port=${port}`, '--interface=lo'], { port });
});

afterAll(async () => {
  await server?.kill();
});

describe('libwebsockets test server', () => {
  let mirror: WebSocket;

  beforeAll(async () => {
    mirror = await openClient(`ws://localhost:${server?.port}/`, { protocols: ['lws-mirror-protocol'] });
  });

  afterAll(() => mirror?.terminate());

  it('negotiates lws-mirror-protocol', () => {
    expect(mirror.protocol).toBe('lws-mirror-protocol');
  });

  it.each([0, 1, 125, 126, 1000, 4000])('mirrors %i bytes of text', async (size) => {
    await expectEcho(mirror, 'text', size);
  });

  it('streams dumb-increment counters', async () => {
    const counter = await openClient(`ws://localhost:${server?.port}/`, { protocols: ['dumb-increment-protocol'] });
    expect(counter.protocol).toBe('dumb-increment-protocol');
    const values: number[] = [];
    await new Promise<void>((resolve) => {
      counter.addEventListener('message', (event) => {
        values.push(Number((event as MessageEvent).data));
        if (values.length === 3) resolve();
      });
    });
    expect(values[1]).toBe((values[0] as number) + 1);
    expect(values[2]).toBe((values[0] as number) + 2);
    await expectCleanClose(counter, 1000, 'enough');
  });

  it('answers ping() and closes cleanly', async () => {
    expect(await mirror.ping()).toBeGreaterThanOrEqual(0);
    await expectCleanClose(mirror, 1000, 'bye');
  });
});
