// A local echo server for the examples: `ws`, on a free loopback port. Not part of the SDK.
import { WebSocketServer } from 'ws';

export async function startEchoServer(options = {}) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, ...options });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })));
  return {
    wss,
    url: `ws://127.0.0.1:${wss.address().port}/`,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(resolve);
      }),
  };
}
