import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type InputConsumer, SocketInput } from './socket-input.js';

/** A TCP server that writes `chunks` to each connection, one write per event-loop turn, then ends. */
async function serverWriting(chunks: Uint8Array[]): Promise<Server> {
  const server = createServer(async (socket) => {
    for (const chunk of chunks) {
      socket.write(chunk);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    socket.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

function pattern(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 7 + seed) & 0xff;
  return bytes;
}

function concat(chunks: Uint8Array[]): Buffer {
  return Buffer.concat(chunks);
}

/** Byte equality (vitest's deep equality walks a large typed array element by element, slowly). */
function same(actual: Uint8Array, expected: Uint8Array): boolean {
  return Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(expected);
}

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function readAll(input: SocketInput, chunks: Uint8Array[], readByInput: boolean): Promise<Socket> {
  const server = await serverWriting(chunks);
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  const socket = readByInput
    ? connect({ port, host: '127.0.0.1', onread: input.readOptions() })
    : connect({ port, host: '127.0.0.1' });
  if (!readByInput) input.listen(socket);
  await once(socket, 'end');
  return socket;
}

describe('SocketInput', () => {
  const sent = [pattern(100, 1), pattern(70_000, 2), pattern(3, 3)];

  for (const readByInput of [true, false]) {
    it(`hands every byte to the consumer in order, in chunks it may keep (${readByInput ? 'onread' : "'data' events"})`, async () => {
      const input = new SocketInput();
      const received: Uint8Array[] = [];
      input.setConsumer({ receive: (chunk) => received.push(chunk) });
      await readAll(input, sent, readByInput);
      // Kept chunks still hold their bytes after later reads (never views of a reused buffer).
      expect(same(concat(received), concat(sent))).toBe(true);
    });
  }

  it('reads straight into the memory the consumer offers, and reports the filled part', async () => {
    const input = new SocketInput();
    const expected = 1024 * 1024;
    const memory = new Uint8Array(expected);
    let filled = 0;
    let copied = 0;
    const consumer: InputConsumer = {
      receive: (chunk) => {
        memory.set(chunk, filled);
        filled += chunk.length;
        copied += chunk.length;
      },
      inputTarget: () => (filled < expected ? memory.subarray(filled) : undefined),
      commitInput: (bytes) => {
        expect(bytes.buffer).toBe(memory.buffer);
        expect(bytes.byteOffset).toBe(filled);
        filled += bytes.length;
      },
    };
    input.setConsumer(consumer);
    const payload = pattern(expected, 9);
    await readAll(input, [payload.subarray(0, 300_000), payload.subarray(300_000)], true);
    expect(filled).toBe(expected);
    expect(same(memory, payload)).toBe(true);
    // Only reads that came before the consumer offered memory (none here: it offered from the start) are copied.
    expect(copied).toBe(0);
  });

  it('reads for many sockets at once, each into its own consumer’s memory', async () => {
    const expected = 512 * 1024;
    const runs = [1, 2, 3].map((seed) => {
      const input = new SocketInput();
      const memory = new Uint8Array(expected);
      let filled = 0;
      input.setConsumer({
        receive: (chunk) => {
          memory.set(chunk, filled);
          filled += chunk.length;
        },
        inputTarget: () => (filled < expected ? memory.subarray(filled) : undefined),
        commitInput: (bytes) => {
          expect(bytes.buffer).toBe(memory.buffer);
          filled += bytes.length;
        },
      });
      const payload = pattern(expected, seed);
      const chunks = [payload.subarray(0, 100_000), payload.subarray(100_000, 300_000), payload.subarray(300_000)];
      return readAll(input, chunks, true).then(() => same(memory, payload) && filled === expected);
    });
    expect(await Promise.all(runs)).toEqual([true, true, true]);
  });

  it('holds input that arrives while it has no consumer, and gives it to the next one first', async () => {
    const input = new SocketInput();
    await readAll(input, sent, true);
    const received: Uint8Array[] = [];
    input.setConsumer({ receive: (chunk) => received.push(chunk) });
    expect(same(concat(received), concat(sent))).toBe(true);
  });
});
