import { once } from 'node:events';
import { type AddressInfo, connect, type Socket } from 'node:net';
import {
  createHandshakeRequest,
  HttpResponseHeadReader,
  type PermessageDeflateConfig,
  ProtocolEngine,
  serializeHandshakeRequest,
  validateHandshakeResponse,
} from '@sturdysocket/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type PerMessageDeflateOptions, type RawData, WebSocketServer } from 'ws';
import { Recorder } from './deflate-harness.test-helper.js';
import { createNodePermessageDeflate, type NodePermessageDeflateOptions } from './index.js';

// The real `ws` server on the other end: our offer, its answer, both directions compressed.
// Kept small on purpose; the WebSocket class has the full interop suites.

const servers: WebSocketServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

async function echoServer(perMessageDeflate: PerMessageDeflateOptions) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate });
  servers.push(server);
  await once(server, 'listening');
  server.on('connection', (ws) => {
    ws.on('message', (data: RawData, isBinary: boolean) => ws.send(data, { binary: isBinary }));
  });
  return (server.address() as AddressInfo).port;
}

/** Our handshake and engine over a raw socket. Returns the engine, the recorder and the raw frames' first bytes. */
async function open(port: number, options: NodePermessageDeflateOptions) {
  const deflate = createNodePermessageDeflate(options);
  const request = createHandshakeRequest({ url: `ws://127.0.0.1:${port}/`, extensions: [deflate.offer] });
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  await once(socket, 'connect');
  socket.write(serializeHandshakeRequest(request));
  const reader = new HttpResponseHeadReader();
  let parsed: ReturnType<HttpResponseHeadReader['push']>;
  while (parsed === undefined) {
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    parsed = reader.push(chunk);
  }
  const result = await validateHandshakeResponse(request, parsed.head);
  const agreed = result.extensions.find((extension) => extension.name === 'permessage-deflate');
  expect(agreed).toBeDefined();
  const recorder = new Recorder();
  recorder.write = (chunks) => {
    for (const chunk of chunks) socket.write(chunk);
  };
  const engine = new ProtocolEngine(recorder, {
    codec: deflate.createCodec(agreed!.config as PermessageDeflateConfig),
  });
  const firstBytes: number[] = [];
  socket.on('data', (chunk: Buffer) => {
    firstBytes.push(chunk[0]!);
    engine.receive(chunk);
  });
  if (parsed.rest.length > 0) engine.receive(parsed.rest);
  return { engine, recorder, result, firstBytes };
}

const text = 'the same words again and again, '.repeat(200);

describe('permessage-deflate against the ws server', () => {
  it.each<[string, PerMessageDeflateOptions, NodePermessageDeflateOptions]>([
    ['with context takeover', { threshold: 0 }, { thresholdBytes: 0 }],
    [
      'without context takeover, small windows',
      { threshold: 0, serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 10 },
      { thresholdBytes: 0, serverMaxWindowBits: 12 },
    ],
  ])('echoes compressed messages %s', async (_, serverOptions, clientOptions) => {
    const port = await echoServer(serverOptions);
    const { engine, recorder, result, firstBytes } = await open(port, clientOptions);
    expect(result.extensionsHeader).toMatch(/^permessage-deflate/);
    const binary = Buffer.alloc(200_000, 'abcdefgh');
    engine.sendText(text);
    engine.sendText(`${text}!`);
    engine.sendBinary(binary, { fragmentBytes: 4096 });
    engine.sendText('');
    const events = await recorder.until(4);
    expect(events[0]).toEqual(['text', text]);
    expect(events[1]).toEqual(['text', `${text}!`]);
    expect(events[2]![0]).toBe('binary');
    expect((events[2]![1] as Buffer).equals(binary)).toBe(true);
    expect(events[3]).toEqual(['text', '']);
    // ws compressed its echoes: RSV1 on the first frame it sent.
    expect(firstBytes[0]! & 0x40).toBe(0x40);
    engine.close(1000);
    expect((await recorder.until(5))[4]).toEqual(['close', 1000, '']);
  });

  it('inflates what ws compresses within the window we asked for (server_max_window_bits=9)', async () => {
    // ws honours the offer: it compresses with a 512-byte window and says so.
    const port = await echoServer({ threshold: 0 });
    const { engine, recorder, result } = await open(port, { serverMaxWindowBits: 9, thresholdBytes: 0 });
    expect(result.extensionsHeader).toContain('server_max_window_bits=9');
    engine.sendText(text);
    expect((await recorder.until(1))[0]).toEqual(['text', text]);
  });
});
