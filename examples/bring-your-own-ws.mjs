// connect() over a WebSocket class you bring: here `ws`, which can send headers.
// Run: node examples/bring-your-own-ws.mjs   (after `pnpm build`)
import { connect } from 'sturdysocket';
import WebSocket from 'ws';
import { startEchoServer } from './echo-server.mjs';

const server = await startEchoServer();
const socket = connect(server.url, {
  WebSocket,
  capabilities: { headers: true },
  headers: { 'X-Client': 'example' },
});
const reply = new Promise((resolve) => socket.on('message', (data) => resolve(String(data))));
socket.send('over ws');
console.log('echo:', await reply);
socket.close();
await server.close();
