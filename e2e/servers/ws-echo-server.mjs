// Echo server on `ws`, in its own process. Prints "PORT <n>" once listening.
// `--deflate` accepts permessage-deflate (compressing every message, however small).
import { WebSocketServer } from 'ws';

const server = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  maxPayload: 64 * 1024 * 1024,
  perMessageDeflate: process.argv.includes('--deflate') ? { threshold: 0 } : false,
  handleProtocols: (protocols) => (protocols.has('echo') ? 'echo' : false),
});
server.on('listening', () => console.log(`PORT ${server.address().port}`));
server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
});
