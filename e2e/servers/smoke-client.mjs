// Run by other Node versions against a bundle of @sturdysocket/node: open, echo, ping, close.
// Usage: node smoke-client.mjs <bundle.mjs> <ws-url>; prints one JSON line.
const [bundlePath, url] = process.argv.slice(2);
const { WebSocket } = await import(bundlePath);

const socket = new WebSocket(url, ['echo']);
socket.binaryType = 'arraybuffer';
const result = { node: process.version, events: [], protocol: '', messages: [] };
const done = new Promise((resolve) => {
  socket.onopen = async () => {
    result.events.push('open');
    result.protocol = socket.protocol;
    socket.send('text ✓');
    socket.send(new Uint8Array([1, 2, 3]));
    socket.send(new Blob(['blob']));
    result.rttIsNumber = typeof (await socket.ping()) === 'number';
  };
  socket.onmessage = (event) => {
    result.messages.push(typeof event.data === 'string' ? event.data : [...new Uint8Array(event.data)]);
    if (result.messages.length === 3) socket.close(4000, 'smoke done');
  };
  socket.onerror = (event) => result.events.push(`error:${event.error?.message}`);
  socket.onclose = (event) => {
    result.events.push('close');
    result.close = { code: event.code, reason: event.reason, wasClean: event.wasClean };
    resolve();
  };
});
await done;
console.log(JSON.stringify(result));
