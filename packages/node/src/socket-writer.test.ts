// SocketWriter on a real loopback TCP connection; socket.write is only counted, never replaced.
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SocketWriter } from './socket-writer.js';

let server: Server;
let client: Socket;
let peer: Socket;
let received: Buffer[];
let writes: number;

beforeEach(async () => {
  received = [];
  server = createServer((socket) => {
    peer = socket;
    socket.on('data', (chunk) => received.push(chunk));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await once(client, 'connect');
  while (peer === undefined) await new Promise((resolve) => setImmediate(resolve));
  writes = 0;
  const write = client.write.bind(client) as (...args: unknown[]) => boolean;
  client.write = ((...args: unknown[]) => {
    writes++;
    return write(...args);
  }) as typeof client.write;
});

afterEach(async () => {
  client.destroy();
  peer?.destroy();
  await new Promise((resolve) => server.close(resolve));
});

/** A fake data frame: only its first byte matters to the writer (opcode 0x2, FIN). */
function dataFrame(size: number): Uint8Array {
  const frame = new Uint8Array(size);
  frame[0] = 0x82;
  return frame;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

/** The peer stops reading and `writer` writes a frame of `BIG` bytes: the socket then needs a drain. */
const BIG = 8 * 1024 * 1024;
async function fillUntilDrain(writer: SocketWriter): Promise<void> {
  peer.pause();
  writer.reserve(BIG);
  writer.enqueue([dataFrame(BIG)]);
  writer.messageAccepted(BIG);
  await until(() => client.writableNeedDrain);
}

it('writes the frames of one tick in one socket.write and releases bufferedAmount after it', async () => {
  const writer = new SocketWriter();
  writer.attach(client);
  for (let i = 0; i < 100; i++) {
    writer.reserve(10);
    writer.enqueue([dataFrame(16)]);
    writer.messageAccepted(10);
  }
  // A control frame (ping, opcode 0x9) carries no application bytes.
  writer.enqueue([Uint8Array.of(0x89, 0x80, 0, 0, 0, 0)]);
  expect(writer.bufferedAmount).toBe(1000);
  expect(writes).toBe(0);
  await until(() => writer.bufferedAmount === 0);
  expect(writes).toBe(1);
  await until(() => Buffer.concat(received).length === 100 * 16 + 6);
});

it('corks large batches into one writev instead of copying them', async () => {
  const writer = new SocketWriter();
  writer.attach(client);
  const corks: string[] = [];
  const cork = client.cork.bind(client);
  const uncork = client.uncork.bind(client);
  client.cork = () => {
    corks.push('cork');
    cork();
  };
  client.uncork = () => {
    corks.push('uncork');
    uncork();
  };
  writer.reserve(3 * 20_000);
  for (let i = 0; i < 3; i++) {
    writer.enqueue([dataFrame(20_000)]);
    writer.messageAccepted(20_000);
  }
  await until(() => writer.bufferedAmount === 0);
  expect(writes).toBe(3);
  expect(corks).toEqual(['cork', 'uncork']);
});

it('copies runs of small frames together around a large one, in order', async () => {
  const writer = new SocketWriter();
  writer.attach(client);
  const frames = [
    ...Array.from({ length: 300 }, () => dataFrame(100)),
    dataFrame(20_000),
    ...Array.from({ length: 300 }, () => dataFrame(100)),
  ];
  frames.forEach((frame, i) => {
    frame[1] = i & 0xff;
    writer.reserve(1);
    writer.enqueue([frame]);
    writer.messageAccepted(1);
  });
  await until(() => writer.bufferedAmount === 0);
  // 30 KB of small frames, the large one, 30 KB of small frames: three writes under one cork.
  expect(writes).toBe(3);
  const expected = Buffer.concat(frames);
  await until(() => Buffer.concat(received).length === expected.length);
  expect(Buffer.concat(received).equals(expected)).toBe(true);
});

it('holds later frames while the socket needs a drain, and the FIN behind them', async () => {
  const writer = new SocketWriter();
  writer.attach(client);
  await fillUntilDrain(writer);
  writer.reserve(5);
  writer.enqueue([dataFrame(5)]);
  writer.messageAccepted(5);
  writer.endAfterFlush();
  await new Promise((resolve) => setTimeout(resolve, 20));
  // The second frame waits in the writer, not in the socket; the FIN waits behind it.
  expect(writes).toBe(1);
  expect(client.writableEnded).toBe(false);
  expect(writer.bufferedAmount).toBe(BIG + 5);
  peer.resume();
  await until(() => writer.bufferedAmount === 0);
  expect(writes).toBe(2);
  await once(peer, 'end');
  expect(client.writableEnded).toBe(true);
});

it('keeps counting bytes a destroyed socket never sent', async () => {
  const writer = new SocketWriter();
  writer.attach(client);
  peer.pause();
  const big = 16 * 1024 * 1024;
  writer.reserve(big);
  writer.enqueue([dataFrame(big)]);
  writer.messageAccepted(big);
  await until(() => writes === 1);
  client.destroy();
  await once(client, 'close');
  expect(writer.bufferedAmount).toBe(big);
  writer.enqueue([dataFrame(4)]);
  expect(writer.bufferedAmount).toBe(big);
});

it('listens for drain only while it waits for one, every time it has to', async () => {
  const writer = new SocketWriter();
  const before = client.listenerCount('drain');
  writer.attach(client);
  expect(client.listenerCount('drain')).toBe(before);
  const big = 8 * 1024 * 1024;
  for (let round = 1; round <= 2; round++) {
    peer.pause();
    writer.reserve(big + 5);
    writer.enqueue([dataFrame(big)]);
    writer.messageAccepted(big);
    await until(() => client.writableNeedDrain);
    writer.enqueue([dataFrame(5)]);
    writer.messageAccepted(5);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(client.listenerCount('drain')).toBe(before + 1);
    peer.resume();
    await until(() => writer.bufferedAmount === 0);
    expect(writes).toBe(2 * round);
    expect(client.listenerCount('drain')).toBe(before);
  }
});

/** A fake pong frame (opcode 0xA, FIN) whose 4-byte payload is `n`, as the engine writes it: one chunk. */
function pongFrame(n: number): Uint8Array {
  const frame = Buffer.alloc(6 + 4);
  frame[0] = 0x8a;
  frame[1] = 0x80 | 4;
  frame.writeUInt32BE(n, 6);
  return frame;
}

it('holds one pong, the newest, while the socket needs a drain: a ping flood cannot grow the queue', async () => {
  const writer = new SocketWriter();
  writer.attach(client);
  await fillUntilDrain(writer);
  for (let n = 1; n <= 10_000; n++) {
    writer.enqueue([pongFrame(n)]);
    if (n === 5_000) {
      // A data frame among the pongs keeps its place.
      writer.reserve(5);
      writer.enqueue([dataFrame(5)]);
      writer.messageAccepted(5);
    }
  }
  peer.resume();
  await until(() => writer.bufferedAmount === 0);
  await until(() => Buffer.concat(received).length >= BIG + 10 + 5);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const after = Buffer.concat(received).subarray(BIG);
  expect(after.length).toBe(10 + 5);
  expect(after.subarray(0, 10).equals(pongFrame(10_000))).toBe(true);
  expect(after[10]).toBe(0x82);
});

it('writes a pong for every ping while the socket takes them', async () => {
  const writer = new SocketWriter();
  writer.attach(client);
  for (let n = 1; n <= 100; n++) writer.enqueue([pongFrame(n)]);
  const expected = Buffer.concat(Array.from({ length: 100 }, (_, i) => pongFrame(i + 1)));
  await until(() => Buffer.concat(received).length === expected.length);
  expect(Buffer.concat(received).equals(expected)).toBe(true);
});

it('reports our close frame written only once the write that holds it is done, behind the data before it', async () => {
  const writer = new SocketWriter();
  writer.attach(client);
  let reports = 0;
  writer.onCloseFrameWritten = () => reports++;
  await fillUntilDrain(writer);
  // A close frame (opcode 0x8) with code 1000, as the engine writes it.
  writer.enqueue([Uint8Array.of(0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8)]);
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(writer.closeFrameWritten).toBe(false);
  expect(reports).toBe(0);
  peer.resume();
  await until(() => writer.closeFrameWritten);
  expect(reports).toBe(1);
  expect(writer.bufferedAmount).toBe(0);
  // Later writes (a pong, say) report nothing more.
  writer.enqueue([pongFrame(1)]);
  await until(() => Buffer.concat(received).length === BIG + 8 + 10);
  expect(reports).toBe(1);
});
