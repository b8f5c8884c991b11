// Demo chapter: the opening handshake, done by hand with @sturdysocket/core over a plain
// node:net socket — once against an honest server (ws), once against one that lies.
import { createServer, connect as tcpConnect } from 'node:net';
import {
  computeAccept,
  createHandshakeRequest,
  HandshakeError,
  HttpResponseHeadReader,
  serializeHandshakeRequest,
  validateHandshakeResponse,
} from '@sturdysocket/core';
import { WebSocketServer } from 'ws';

/** Sends the request over TCP and returns the parsed response head. */
function exchange(request) {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(request.port, request.hostname, () => socket.write(serializeHandshakeRequest(request)));
    const reader = new HttpResponseHeadReader();
    socket.on('data', (chunk) => {
      try {
        const done = reader.push(chunk);
        if (done) {
          socket.destroy();
          resolve(done.head);
        }
      } catch (error) {
        socket.destroy();
        reject(error);
      }
    });
    socket.on('error', reject);
  });
}

export async function handshakeChapter(log) {
  const honest = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => honest.once('listening', resolve));
  // A server that answers 101 but with an accept value computed from the wrong key.
  const liar = createServer((socket) => {
    socket.once('data', async () => {
      const forged = await computeAccept('AAAAAAAAAAAAAAAAAAAAAA==');
      socket.end(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${forged}\r\n\r\n`,
      );
    });
  });
  await new Promise((resolve) => liar.listen(0, '127.0.0.1', resolve));

  try {
    for (const [label, port] of [
      ['the ws server', honest.address().port],
      ['a lying server', liar.address().port],
    ]) {
      const request = createHandshakeRequest({ url: `ws://127.0.0.1:${port}/chat` });
      const head = await exchange(request);
      const expected = await computeAccept(request.key);
      const received = head.headers.find(([name]) => name.toLowerCase() === 'sec-websocket-accept')?.[1];
      log(`handshake with ${label} (port ${port})`);
      log(`  key sent          ${request.key}`);
      log(`  accept expected   ${expected}`);
      log(`  accept received   ${received}`);
      try {
        await validateHandshakeResponse(request, { status: head.status, headers: head.headers });
        log('  verdict           ✔ valid: the server proved it read our key');
      } catch (error) {
        if (!(error instanceof HandshakeError)) throw error;
        log(`  verdict           ✘ ${error.name} reason=${error.reason} status=${error.status}: ${error.message}`);
      }
    }
  } finally {
    honest.close();
    liar.close();
  }
}
