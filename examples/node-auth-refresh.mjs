// Auth on Node: a token provider, the Authorization header, and a refresh when the server
// expires the session with close code 4001.
// Run: node examples/node-auth-refresh.mjs   (after `pnpm build`)
import { connect, tokenAuth } from 'sturdysocket';
import { startEchoServer } from './echo-server.mjs';

let current = 'token-1';
const server = await startEchoServer({
  verifyClient: ({ req }, done) => done(req.headers.authorization === `Bearer ${current}`, 401),
});

let issued = 0;
const socket = connect(server.url, {
  auth: tokenAuth({
    token: async () => `token-${++issued}`, // your token endpoint goes here
    onEvent: (event) =>
      console.log('auth event:', event.type, event.type === 'token' ? `(fresh: ${event.fresh})` : event.reason),
  }),
});

const opened = () =>
  new Promise((resolve) => {
    const off = socket.on('open', () => {
      off();
      resolve();
    });
  });
await opened();
console.log('connected with token', issued);

current = 'token-2'; // the server rotates credentials and expires the session
const reopened = opened();
for (const client of server.wss.clients) client.close(4001, 'token expired');
await reopened;
console.log('reconnected with token', issued);

socket.close();
await server.close();
if (issued !== 2) process.exit(1);
