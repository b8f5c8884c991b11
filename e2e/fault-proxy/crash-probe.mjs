// Runs one fault scenario against reconnecting-websocket or partysocket in its own process, so a
// crash (an uncaught exception or unhandled rejection inside the library) is observed, not fatal
// to the test runner. Prints one JSON line: { crashed, error, opens, closes }.
// usage: node crash-probe.mjs <reconnecting-websocket|partysocket> <black-hole|provider-rejects> <url> <ms>
import PartySocket from 'partysocket/ws';
import RWS from 'reconnecting-websocket';
import WS from 'ws';

const [library, scenario, url, windowMs] = process.argv.slice(2);
const result = { crashed: false, error: '', opens: 0, closes: 0, firstOpenMs: -1, firstCloseMs: -1 };
const startedAt = performance.now();
const finish = () => {
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
};
process.on('uncaughtException', (error) => {
  result.crashed = true;
  result.error = `uncaught exception: ${error.message}`;
  finish();
});
process.on('unhandledRejection', (error) => {
  result.crashed = true;
  result.error = `unhandled rejection: ${error instanceof Error ? error.message : String(error)}`;
  finish();
});

let calls = 0;
const source =
  scenario === 'provider-rejects'
    ? async () => {
        calls++;
        if (calls === 1) throw new Error('token service down');
        return url;
      }
    : url;
const options = {
  WebSocket: WS,
  minReconnectionDelay: 100,
  maxReconnectionDelay: 1000,
  reconnectionDelayGrowFactor: 2,
  connectionTimeout: 500,
};
const Library = library === 'partysocket' ? PartySocket : RWS;
const socket = new Library(source, [], options);
socket.addEventListener('open', () => {
  if (result.opens++ === 0) result.firstOpenMs = Math.round(performance.now() - startedAt);
});
socket.addEventListener('close', () => {
  if (result.closes++ === 0) result.firstCloseMs = Math.round(performance.now() - startedAt);
});
setTimeout(() => {
  socket.close();
  setTimeout(finish, 50);
}, Number(windowMs));
