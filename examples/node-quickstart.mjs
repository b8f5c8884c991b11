// Quick start on Node: typed JSON messages over a connection that reconnects by itself.
// Run: node examples/node-quickstart.mjs   (after `pnpm build`)
import { connect, messages } from 'sturdysocket';
import { startEchoServer } from './echo-server.mjs';

const server = await startEchoServer();

const socket = connect(server.url, { codec: 'json' });
socket.on('open', () => console.log('open'));

// Sent before the connection opens: queued, then delivered in order.
for (let n = 1; n <= 3; n++) console.log(`send #${n}:`, socket.send({ n, text: `hello ${n}` }));

for await (const message of messages(socket)) {
  console.log('received', message);
  if (message.n === 3) break;
}

socket.close();
await server.close();
